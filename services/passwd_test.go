package services

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const testPasswd = `root:x:0:0:root:/root:/bin/bash
# a comment
+nis::::::
app:x:1000:1000:App,,,:/srv/app:/bin/sh
broken:x:notanumber:1:::
short:x:1:1
postgres:x:104:110:PostgreSQL:/var/lib/postgresql:/bin/bash
`

const testGroup = `root:x:0:
adm:x:4:app,syslog
app:x:1000:
ssl-cert:x:109:postgres
postgres:x:110:
docker:x:999:app , postgres
bad:x:-1:
`

// accountFiles writes the test account files and returns their paths.
func accountFiles(t *testing.T) (string, string) {
	dir := t.TempDir()
	p, g := filepath.Join(dir, "passwd"), filepath.Join(dir, "group")
	os.WriteFile(p, []byte(testPasswd), 0o644)
	os.WriteFile(g, []byte(testGroup), 0o644)
	return p, g
}

const appEnv = "USER=app LOGNAME=app HOME=/srv/app"

func TestResolveIdentity(t *testing.T) {
	a := loadAccounts(accountFiles(t))
	acc := func(s string) *Account { x, _ := ParseAccount(s); return &x }
	tests := []struct {
		name    string
		svc     Service
		want    string // "uid gid groups" or "keep" for tinit's groups; "" for nil
		env     string
		wantErr string
	}{
		{name: "nothing", svc: Service{}, want: ""},
		{name: "user by name", svc: Service{User: acc("app")}, want: "1000 1000 [1000 4 999]", env: appEnv},
		{name: "user by number", svc: Service{User: acc("104")}, want: "104 110 [110 109 999]", env: "USER=postgres LOGNAME=postgres HOME=/var/lib/postgresql"},
		{name: "unknown number", svc: Service{User: acc("4242")}, want: "4242 4242 []"},
		{name: "user and group", svc: Service{User: acc("app"), Group: acc("adm")}, want: "1000 4 [1000 4 999]", env: appEnv},
		{name: "explicit groups", svc: Service{User: acc("app"), Groups: []Account{*acc("ssl-cert"), *acc("7"), *acc("ssl-cert")}}, want: "1000 1000 [109 7]", env: appEnv},
		{name: "group only", svc: Service{Group: acc("postgres")}, want: "5 110 keep"},
		{name: "unknown user", svc: Service{User: acc("nobody")}, wantErr: `user "nobody": not in /etc/passwd`},
		{name: "unknown group", svc: Service{User: acc("app"), Group: acc("wheel")}, wantErr: `group "wheel": not in /etc/group`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, err := resolveIdentity(&tt.svc, a, 5)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Errorf("got %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := credString(id.cred); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if got := strings.Join(id.userEnv(nil), " "); got != tt.env {
				t.Errorf("env %q, want %q", got, tt.env)
			}
		})
	}
}

func credString(c *Credential) string {
	switch {
	case c == nil:
		return ""
	case c.KeepGroups:
		return strings.Join([]string{itoa(c.UID), itoa(c.GID), "keep"}, " ")
	}
	var gs []string
	for _, g := range c.Groups {
		gs = append(gs, itoa(g))
	}
	return itoa(c.UID) + " " + itoa(c.GID) + " [" + strings.Join(gs, " ") + "]"
}

func itoa(n uint32) string { return Account{ID: n}.String() }

func TestUserEnvKeepsTheServicesOwn(t *testing.T) {
	id := identity{user: &passwdEntry{Name: "app", Home: "/srv/app"}}
	if got := id.userEnv([]string{"HOME=/data"}); !slices.Equal(got, []string{"USER=app", "LOGNAME=app"}) {
		t.Errorf("got %q", got)
	}
}

func TestMissingAccountFiles(t *testing.T) {
	a := loadAccounts("/nonexistent/passwd", "/nonexistent/group")
	acc, _ := ParseAccount("1000")
	if id, err := resolveIdentity(&Service{User: &acc}, a, 0); err != nil || id.cred.UID != 1000 {
		t.Errorf("numeric user without /etc/passwd: %+v, %v", id, err)
	}
	acc, _ = ParseAccount("app")
	if _, err := resolveIdentity(&Service{User: &acc}, a, 0); err == nil {
		t.Errorf("named user without /etc/passwd: no error")
	}
}

func FuzzParsePasswd(f *testing.F) {
	f.Add([]byte(testPasswd))
	f.Add([]byte("a:x:1:2:::\n:x:1:1:::\na:x:4294967295:1:::\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, e := range parsePasswd(data) {
			if e.Name == "" || strings.ContainsAny(e.Name, ":\n") || e.UID == 1<<32-1 {
				t.Errorf("bad entry %+v", e)
			}
		}
	})
}

func FuzzParseGroup(f *testing.F) {
	f.Add([]byte(testGroup))
	f.Add([]byte("g:x:1:a,,b\ng:x:2:\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, g := range parseGroup(data) {
			if g.Name == "" || strings.ContainsAny(g.Name, ":\n") {
				t.Errorf("bad entry %+v", g)
			}
			for _, m := range g.Members {
				if m == "" || strings.ContainsAny(m, ",:\n") {
					t.Errorf("bad member %q of %+v", m, g)
				}
			}
		}
	})
}

func TestLookPath(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "tool"), []byte("#!/bin/sh\n"), 0o755)
	os.WriteFile(filepath.Join(dir, "data"), []byte("x"), 0o644)
	os.Mkdir(filepath.Join(dir, "sub"), 0o755)
	path := "/nonexistent:" + dir
	for _, tt := range []struct {
		name, want, err string
	}{
		{"tool", filepath.Join(dir, "tool"), ""},
		{"/abs/prog", "/abs/prog", ""},
		{"data", "", "not executable"},
		{"sub", "", "not executable"},
		{"nothing", "", "not found"},
	} {
		got, err := lookPath(tt.name, path)
		if got != tt.want || (err == nil) != (tt.err == "") || err != nil && !strings.Contains(err.Error(), tt.err) {
			t.Errorf("lookPath(%q): got %q, %v; want %q, %q", tt.name, got, err, tt.want, tt.err)
		}
	}
}

func TestCgroupLeaf(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"0::/tinit/web\n", "web"},
		{"0::/docker/abc/tinit/db\n", "db"},
		{"12:pids:/x\n0::/user.slice/session-1.scope\n", ""},
		{"0::/tinit\n", ""},
		{"", ""},
	} {
		if got := cgroupLeaf([]byte(tt.in)); got != tt.want {
			t.Errorf("cgroupLeaf(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestEnvironUserReplacesInherited: a service with a user gets that
// user's USER, LOGNAME and HOME instead of tinit's, once each (getenv
// takes the first of two), unless it sets them itself.
func TestEnvironUserReplacesInherited(t *testing.T) {
	s := &Supervisor{opt: Options{Environ: []string{"PATH=/bin", "HOME=/root", "USER=root", "LOGNAME=root", "TERM=dumb"}}}
	id := identity{user: &passwdEntry{Name: "app", Home: "/home/app"}}
	tests := []struct {
		own  []string
		want []string
	}{
		{nil, []string{"PATH=/bin", "TERM=dumb", "USER=app", "LOGNAME=app", "HOME=/home/app"}},
		{[]string{"HOME=/data"}, []string{"PATH=/bin", "TERM=dumb", "HOME=/data", "USER=app", "LOGNAME=app"}},
	}
	for _, tt := range tests {
		svc := &Service{Name: "web", InheritEnv: true, Env: tt.own}
		if got := s.environ(svc, id); !slices.Equal(got, tt.want) {
			t.Errorf("env %q:\ngot  %q\nwant %q", tt.own, got, tt.want)
		}
	}
	if got := s.environ(&Service{Name: "web", InheritEnv: true}, identity{}); !slices.Equal(got, s.opt.Environ) {
		t.Errorf("without a user: got %q, want tinit's environment", got)
	}
}

// TestAccountLinesAsTheCLibrary: lines that glibc's getent finds are
// found too: missing trailing fields (passwd after the gid, group's
// member list) and leading blanks; lines with too few or too many
// fields are not.
func TestAccountLinesAsTheCLibrary(t *testing.T) {
	pw := parsePasswd([]byte("short:x:1:1\n  indented:x:2:2:::/bin/sh\ntoofew:x:3\ntoomany:x:4:4:a:/h:/s:extra\n"))
	var names []string
	for _, e := range pw {
		names = append(names, e.Name)
	}
	if !slices.Equal(names, []string{"short", "indented"}) || pw[0].Home != "" || pw[1].Shell != "/bin/sh" {
		t.Errorf("passwd entries %+v, want short and indented", pw)
	}
	gr := parseGroup([]byte("nocolon:x:1234\ntoofew:x\n"))
	if len(gr) != 1 || gr[0].Name != "nocolon" || gr[0].GID != 1234 || gr[0].Members != nil {
		t.Errorf("group entries %+v, want nocolon alone", gr)
	}
}
