package probe

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// setVar sets *p to v for the test.
func setVar[T any](t *testing.T, p *T, v T) {
	old := *p
	*p = v
	t.Cleanup(func() { *p = old })
}

// useFiles points the hosts file and resolv.conf at files with these
// contents, for the test.
func useFiles(t *testing.T, hosts, resolvConf string) {
	dir := t.TempDir()
	for _, f := range []struct {
		path *string
		name string
		text string
	}{{&hostsPath, "hosts", hosts}, {&resolvConfPath, "resolv.conf", resolvConf}} {
		path := filepath.Join(dir, f.name)
		if err := os.WriteFile(path, []byte(f.text), 0o644); err != nil {
			t.Fatal(err)
		}
		setVar(t, f.path, path)
	}
}

// noDNS makes a test fail if it asks DNS: resolv.conf names a nameserver
// that fails the test when it receives a query.
func noDNS(t *testing.T, hosts string) {
	startDNS(t, "", func(q fakeQuery) [][]byte {
		t.Errorf("asked DNS for %s", q)
		return nil
	})
	path := filepath.Join(t.TempDir(), "hosts")
	if err := os.WriteFile(path, []byte(hosts), 0o644); err != nil {
		t.Fatal(err)
	}
	setVar(t, &hostsPath, path)
}

const testHosts = `# comment line
127.0.0.1	localhost
::1	localhost ip6-localhost
10.0.0.1 db db.internal   # the database
10.0.0.2 web
not-an-address db
fd00::1 DB.Internal.
10.0.0.3 #db
`

func TestHostsAddrs(t *testing.T) {
	for _, tt := range []struct {
		name string
		want string
	}{
		{"db", "[10.0.0.1]"},
		{"db.internal", "[10.0.0.1 fd00::1]"},
		{"DB.INTERNAL.", "[10.0.0.1 fd00::1]"},
		{"web", "[10.0.0.2]"},
		{"localhost", "[127.0.0.1 ::1]"},
		{"ip6-localhost", "[::1]"},
		{"database", "[]"},
		{"comment", "[]"},
		{"#db", "[]"},
	} {
		if got := fmt.Sprint(hostsAddrs(testHosts, tt.name)); got != tt.want {
			t.Errorf("hostsAddrs(%q) = %s, want %s", tt.name, got, tt.want)
		}
	}
}

// TestLookupLocal: IP addresses, the hosts file and localhost never ask
// DNS; the hosts file comes first, even for localhost.
func TestLookupLocal(t *testing.T) {
	for _, tt := range []struct {
		hosts string
		host  string
		want  string
	}{
		{"", "10.1.2.3", "[10.1.2.3]"},
		{"", "fe80::1%eth0", "[fe80::1%eth0]"},
		{testHosts, "db.internal", "[10.0.0.1 fd00::1]"},
		{testHosts, "localhost", "[127.0.0.1 ::1]"},
		{"::1 localhost\n", "localhost", "[::1]"},
		{"", "localhost", "[127.0.0.1 ::1]"},
		{"", "LocalHost.", "[127.0.0.1 ::1]"},
		{"", "app.localhost", "[127.0.0.1 ::1]"},
		{"10.9.9.9 app.localhost\n", "app.localhost", "[10.9.9.9]"},
	} {
		t.Run(tt.host, func(t *testing.T) {
			noDNS(t, tt.hosts)
			got, err := lookup(ctxT(t), tt.host)
			if fmt.Sprint(got) != tt.want || err != nil {
				t.Errorf("hosts %q: lookup(%q) = %v, %v; want %s", tt.hosts, tt.host, got, err, tt.want)
			}
		})
	}
}

// TestLookupMissingFiles: without a hosts file or resolv.conf, a name is
// asked of 127.0.0.1.
func TestLookupMissingFiles(t *testing.T) {
	dns := startDNS(t, "", answerA("10.0.0.7"))
	dir := t.TempDir()
	setVar(t, &hostsPath, filepath.Join(dir, "hosts"))
	setVar(t, &resolvConfPath, filepath.Join(dir, "resolv.conf"))
	got, err := lookup(ctxT(t), "db.test")
	if fmt.Sprint(got) != "[10.0.0.7]" || err != nil {
		t.Errorf("got %v, %v; want [10.0.0.7]", got, err)
	}
	if want := "[A db.test. AAAA db.test.]"; fmt.Sprint(dns.asked()) != want {
		t.Errorf("asked %v, want %s", dns.asked(), want)
	}
}

func TestLookupUnreadableHosts(t *testing.T) {
	setVar(t, &hostsPath, t.TempDir()) // a directory
	if _, err := lookup(ctxT(t), "db"); err == nil || !strings.Contains(err.Error(), `lookup "db"`) {
		t.Errorf("got %v, want an error naming the host", err)
	}
}

// TestTCPByName: the probes dial the addresses a name has, in order,
// until one connects; when none does, the error names the last.
func TestTCPByName(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	port := strconv.Itoa(srv.Listener.Addr().(*net.TCPAddr).Port)
	closed := closedPort(t)
	noDNS(t, "127.0.0.2 svc\n127.0.0.1 svc\n")
	if err := TCP(ctxT(t), "svc:"+port); err != nil {
		t.Errorf("svc:%s: got %v, want nil", port, err)
	}
	if err := HTTP(ctxT(t), "http://svc:"+port+"/", nil); err != nil {
		t.Errorf("http://svc:%s/: got %v, want nil", port, err)
	}
	err := TCP(ctxT(t), "svc:"+closed)
	if want := "127.0.0.1:" + closed + ": connect: connection refused"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("svc:%s: got %v, want %q", closed, err, want)
	}
}

// closedPort returns a TCP port on 127.0.0.1 that nothing listens on.
func closedPort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln.Close()
	return strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
}

func TestParseResolvConf(t *testing.T) {
	def := "servers [127.0.0.1:53] search [] ndots 1 timeout 5s attempts 2"
	for _, tt := range []struct {
		text string
		want string
	}{
		{"", def},
		{"# nothing\n; nothing\nnameserver\n", def},
		{"nameserver 10.0.0.2\nnameserver fd00::53\n", "servers [10.0.0.2:53 [fd00::53]:53] search [] ndots 1 timeout 5s attempts 2"},
		{"nameserver 1.1.1.1\nnameserver bogus\nnameserver 2.2.2.2\nnameserver 3.3.3.3\nnameserver 4.4.4.4\n",
			"servers [1.1.1.1:53 2.2.2.2:53 3.3.3.3:53] search [] ndots 1 timeout 5s attempts 2"},
		{"#nameserver 10.0.0.2\n", def},
		{"search a.example b.example.\ndomain corp\n", "servers [127.0.0.1:53] search [corp] ndots 1 timeout 5s attempts 2"},
		{"domain corp\nsearch a.example . b.example.\n", "servers [127.0.0.1:53] search [a.example b.example] ndots 1 timeout 5s attempts 2"},
		{"search a b c d e f g h\n", "servers [127.0.0.1:53] search [a b c d e f] ndots 1 timeout 5s attempts 2"},
		{"options ndots:5 timeout:2 attempts:3 rotate edns0\n", "servers [127.0.0.1:53] search [] ndots 5 timeout 2s attempts 3"},
		{"options ndots:0 timeout:0 attempts:0\n", "servers [127.0.0.1:53] search [] ndots 0 timeout 1s attempts 1"},
		{"options ndots:99 timeout:99 attempts:99\n", "servers [127.0.0.1:53] search [] ndots 15 timeout 30s attempts 5"},
		{"options ndots:-1 timeout:x attempts\n", def},
	} {
		c := parseResolvConf(tt.text)
		got := fmt.Sprintf("servers %v search %v ndots %d timeout %v attempts %d", c.servers, c.search, c.ndots, c.timeout, c.attempts)
		if got != tt.want {
			t.Errorf("parseResolvConf(%q):\n got %s\nwant %s", tt.text, got, tt.want)
		}
	}
}

func TestNames(t *testing.T) {
	c := &resolvConf{search: []string{"a.example", "b.example"}, ndots: 1}
	for _, tt := range []struct {
		host  string
		ndots int
		want  string
	}{
		{"db", 1, "[db.a.example. db.b.example. db.]"},
		{"db.corp", 1, "[db.corp. db.corp.a.example. db.corp.b.example.]"},
		{"db.corp", 2, "[db.corp.a.example. db.corp.b.example. db.corp.]"},
		{"db", 0, "[db. db.a.example. db.b.example.]"},
		{"db.corp.", 5, "[db.corp.]"},
	} {
		c.ndots = tt.ndots
		if got := fmt.Sprint(c.names(tt.host)); got != tt.want {
			t.Errorf("ndots %d: names(%q) = %s, want %s", tt.ndots, tt.host, got, tt.want)
		}
	}
	if got := fmt.Sprint((&resolvConf{ndots: 1}).names("db")); got != "[db.]" {
		t.Errorf("no search list: names(db) = %s, want [db.]", got)
	}
}

// FuzzParseResolvConf checks that any resolv.conf stays within glibc's
// limits.
func FuzzParseResolvConf(f *testing.F) {
	f.Add("nameserver 10.0.0.2\nsearch a b\noptions ndots:2 timeout:1 attempts:3\n")
	f.Fuzz(func(t *testing.T, text string) {
		c := parseResolvConf(text)
		if len(c.servers) < 1 || len(c.servers) > maxServers || len(c.search) > maxSearch ||
			c.ndots < 0 || c.ndots > maxNdots || c.timeout < time.Second || c.timeout > maxTimeout*time.Second ||
			c.attempts < 1 || c.attempts > maxAttempts {
			t.Fatalf("%q: out of limits: %+v", text, c)
		}
		for _, d := range c.search {
			if d == "" || strings.HasPrefix(d, ".") || strings.HasSuffix(d, ".") {
				t.Fatalf("%q: search domain %q", text, d)
			}
		}
		for _, s := range c.servers {
			if back, ok := ParseIP(s.ip.String()); !ok || back != s.ip || s.port != dnsPort {
				t.Fatalf("%q: server %v", text, s)
			}
		}
	})
}
