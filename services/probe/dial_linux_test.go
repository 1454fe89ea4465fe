package probe

import (
	"context"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tinit/tinit/internal/leaktest"
)

func TestZoneIndex(t *testing.T) {
	b, err := os.ReadFile("/sys/class/net/lo/ifindex")
	if err != nil {
		t.Fatal(err)
	}
	lo, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 32)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		zone string
		want uint32
		err  string
	}{
		{"", 0, ""},
		{"7", 7, ""},
		{"lo", uint32(lo), ""},
		{"nosuch0", 0, `zone "nosuch0": no such interface`},
		{"../lo", 0, `zone "../lo": not an interface name`},
		{"..", 0, `zone "..": not an interface name`},
		{"averyveryverylongname", 0, "not an interface name"},
	} {
		got, err := zoneIndex(tt.zone)
		if got != tt.want || (err == nil) != (tt.err == "") || err != nil && !strings.Contains(err.Error(), tt.err) {
			t.Errorf("zoneIndex(%q) = %d, %v; want %d, %q", tt.zone, got, err, tt.want, tt.err)
		}
	}
}

// TestTCPIPv6 dials ::1, with and without a zone (which loopback
// ignores, but which must be resolved first).
func TestTCPIPv6(t *testing.T) {
	ln, err := net.Listen("tcp", "[::1]:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	for _, addr := range []string{"[::1]:" + port, "[::1%lo]:" + port, "[::1%1]:" + port} {
		if err := TCP(ctxT(t), addr); err != nil {
			t.Errorf("%s: got %v, want nil", addr, err)
		}
	}
	if err := TCP(ctxT(t), "[fe80::1%nosuch0]:"+port); err == nil || !strings.Contains(err.Error(), "no such interface") {
		t.Errorf("unknown zone: got %v, want no such interface", err)
	}
}

// TestLookupServerDown: a nameserver that is not there refuses at once;
// the error says which.
func TestLookupServerDown(t *testing.T) {
	useFiles(t, "", "nameserver 127.0.0.1\noptions attempts:1\n")
	port := closedPort(t)
	p, _ := strconv.ParseUint(port, 10, 16)
	setVar(t, &dnsPort, uint16(p))
	err := TCP(ctxT(t), "db.test:80")
	want := `probe tcp "db.test:80": lookup "db.test": "db.test." on 127.0.0.1:` + port + ": read udp 127.0.0.1:" + port + ": connection refused"
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

// TestFailedDialsLeakNoFD counts this process's fds before and after
// dials that fail in each way they can: every socket is closed.
func TestFailedDialsLeakNoFD(t *testing.T) {
	closed := closedPort(t)
	expired, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	startDNS(t, "search a.test\n", answerTable(nil))
	leaktest.WarmPoller()
	before := leaktest.FDs()
	for range 10 {
		for _, tt := range []struct {
			ctx  context.Context
			addr string
		}{
			{ctxT(t), "127.0.0.1:" + closed},     // refused
			{expired, "127.0.0.1:" + closed},     // no time
			{ctxT(t), "[::1%nosuch0]:" + closed}, // before the socket
			{ctxT(t), "db:" + closed},            // no such host, after two names
			{expired, "db:" + closed},
		} {
			if err := TCP(tt.ctx, tt.addr); err == nil {
				t.Fatalf("%s: got nil, want an error", tt.addr)
			}
		}
	}
	if leaked := leaktest.NewFDs(before, leaktest.FDs()); len(leaked) > 0 {
		t.Errorf("leaked fds: %v", leaked)
	}
}
