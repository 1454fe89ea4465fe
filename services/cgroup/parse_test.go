package cgroup

import (
	"strings"
	"testing"
	"time"
)

const hybridMountinfo = `22 27 0:21 / /proc rw,relatime - proc proc rw
31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime shared:7 - cgroup2 cgroup2 rw
`

func TestParseMountinfo(t *testing.T) {
	tests := []struct {
		name, in string
		want     mount
		wantErr  bool
	}{
		{"hybrid", hybridMountinfo, mount{"/sys/fs/cgroup/unified", "/"}, false},
		{"unified", "30 25 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n", mount{"/sys/fs/cgroup", "/"}, false},
		{"unified wins over elsewhere",
			"1 1 0:1 / /mnt/cg rw - cgroup2 none rw\n2 1 0:1 / /sys/fs/cgroup rw - cgroup2 none rw\n",
			mount{"/sys/fs/cgroup", "/"}, false},
		{"elsewhere", "1 1 0:1 / /mnt/my\\040cg rw - cgroup2 none rw", mount{"/mnt/my cg", "/"}, false},
		{"bind-mounted subtree", "1 1 0:1 /docker/abc /sys/fs/cgroup ro - cgroup2 cgroup rw\n",
			mount{"/sys/fs/cgroup", "/docker/abc"}, false},
		{"v1 only", "35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n", mount{}, true},
		{"empty", "", mount{}, true},
		{"short line", "1 2 - cgroup2", mount{}, true},
	}
	for _, tt := range tests {
		got, err := parseMountinfo([]byte(tt.in))
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("%s: got %+v, %v, want %+v (error %v)", tt.name, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestUnescapeOctal(t *testing.T) {
	for in, want := range map[string]string{
		`plain`: "plain", `a\040b`: "a b", `tab\011`: "tab\t", `back\134slash`: `back\slash`,
		`bad\09`: `bad\09`, `short\04`: `short\04`, `end\`: `end\`, `\777`: `\777`,
	} {
		if got := unescapeOctal(in); got != want {
			t.Errorf("unescapeOctal(%q): got %q, want %q", in, got, want)
		}
	}
}

func TestParseProcCgroup(t *testing.T) {
	tests := []struct {
		in, want string
		wantErr  bool
	}{
		{"0::/\n", "/", false},
		{"0::/system.slice/tinit.service\n", "/system.slice/tinit.service", false},
		{"9:name=systemd:/\n4:memory:/x\n0::/a:b\n", "/a:b", false},
		{"4:memory:/x\n", "", true},
		{"0::relative\n", "", true},
		{"", "", true},
	}
	for _, tt := range tests {
		got, err := parseProcCgroup([]byte(tt.in))
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("parseProcCgroup(%q): got %q, %v, want %q (error %v)", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestDirOf(t *testing.T) {
	tests := []struct {
		m       mount
		p, want string
		wantErr bool
	}{
		{mount{"/sys/fs/cgroup", "/"}, "/", "/sys/fs/cgroup", false},
		{mount{"/sys/fs/cgroup", "/"}, "/a/b", "/sys/fs/cgroup/a/b", false},
		{mount{"/sys/fs/cgroup/unified", "/"}, "/x", "/sys/fs/cgroup/unified/x", false},
		{mount{"/sys/fs/cgroup", "/docker/abc"}, "/docker/abc", "/sys/fs/cgroup", false},
		{mount{"/sys/fs/cgroup", "/docker/abc"}, "/docker/abc/init", "/sys/fs/cgroup/init", false},
		{mount{"/sys/fs/cgroup", "/docker/abc"}, "/docker/abcd", "", true},
		{mount{"/sys/fs/cgroup", "/docker/abc"}, "/other", "", true},
	}
	for _, tt := range tests {
		got, err := dirOf(tt.m, tt.p)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("dirOf(%+v, %q): got %q, %v, want %q (error %v)", tt.m, tt.p, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestParseEvents(t *testing.T) {
	tests := []struct {
		in      string
		want    events
		wantErr bool
	}{
		{"populated 1\nfrozen 0\n", events{populated: true}, false},
		{"populated 0\nfrozen 1\n", events{frozen: true}, false},
		{"populated 0\n", events{}, false},
		{"populated 1\nfuture 1\n", events{populated: true}, false},
		{"frozen 1\n", events{}, true},
		{"populated 2\n", events{}, true},
		{"populated\n", events{}, true},
	}
	for _, tt := range tests {
		got, err := parseEvents([]byte(tt.in))
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("parseEvents(%q): got %+v, %v, want %+v (error %v)", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestParsePids(t *testing.T) {
	if got, err := parsePids([]byte("12\n345\n")); err != nil || len(got) != 2 || got[0] != 12 || got[1] != 345 {
		t.Errorf("got %v, %v, want [12 345]", got, err)
	}
	for _, bad := range []string{"x\n", "0\n", "-1\n"} {
		if _, err := parsePids([]byte(bad)); err == nil {
			t.Errorf("parsePids(%q): got nil error", bad)
		}
	}
}

func TestLimitSettings(t *testing.T) {
	l := Limits{MemoryMax: 64 << 20, CPU: CPUMax{Quota: 20 * time.Millisecond, Period: 50 * time.Millisecond}, PidsMax: 32}
	got, err := l.settings()
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, s := range got {
		lines = append(lines, s.String())
	}
	want := `echo "67108864" > memory.max; echo "20000 50000" > cpu.max; echo "32" > pids.max`
	if strings.Join(lines, "; ") != want {
		t.Errorf("got %q, want %q", strings.Join(lines, "; "), want)
	}
	if s, err := (Limits{}).settings(); err != nil || len(s) != 0 {
		t.Errorf("zero limits: got %v, %v, want none", s, err)
	}
	for _, bad := range []Limits{
		{MemoryMax: -1}, {PidsMax: -5},
		{CPU: CPUMax{Quota: time.Microsecond}},
		{CPU: CPUMax{Quota: time.Second, Period: 2 * time.Second}},
	} {
		if _, err := bad.settings(); err == nil {
			t.Errorf("%+v: got nil error", bad)
		}
	}
}

func TestCheckName(t *testing.T) {
	for name, ok := range map[string]bool{
		"web": true, "web.api": true, "a-b_c": true, strings.Repeat("n", 255): true,
		"": false, ".": false, "..": false, "a/b": false, "a\nb": false, "a\x00": false, strings.Repeat("n", 256): false,
	} {
		if err := checkName(name); (err == nil) != ok {
			t.Errorf("checkName(%.20q): got %v, want ok=%v", name, err, ok)
		}
	}
}

func FuzzParseMountinfo(f *testing.F) {
	f.Add([]byte(hybridMountinfo))
	f.Add([]byte("1 1 0:1 /a\\040b /x\\134 rw - cgroup2 none rw\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := parseMountinfo(b)
		if err == nil && (m.point == "" || m.root == "") {
			t.Fatalf("%q: accepted with empty fields %+v", b, m)
		}
	})
}

func FuzzParseProcCgroup(f *testing.F) {
	f.Add([]byte("0::/a/b\n"))
	f.Add([]byte("1:cpu:/\n0::/\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := parseProcCgroup(b)
		if err == nil && !strings.HasPrefix(p, "/") {
			t.Fatalf("%q: accepted relative path %q", b, p)
		}
		if err == nil {
			if _, err := dirOf(mount{"/sys/fs/cgroup", "/"}, p); err != nil {
				t.Fatalf("dirOf(%q): %v", p, err)
			}
		}
	})
}

func FuzzParseEvents(f *testing.F) {
	f.Add([]byte("populated 1\nfrozen 0\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		ev, err := parseEvents(b)
		if err != nil && ev != (events{}) {
			t.Fatalf("%q: error %v with events %+v", b, err, ev)
		}
	})
}
