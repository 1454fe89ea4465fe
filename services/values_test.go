package services

import (
	"math"
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"10s", 10 * time.Second, true},
		{"1m30s", 90 * time.Second, true},
		{"250ms", 250 * time.Millisecond, true},
		{"1.5h", 90 * time.Minute, true},
		{"0", 0, true},
		{"0s", 0, true},
		{"10", 0, false},
		{"1d", 0, false},
		{"10 s", 0, false},
		{"-1s", 0, false},
		{"", 0, false},
		{"soon", 0, false},
		{"99999999999h", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseDuration(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestFormatDuration(t *testing.T) {
	tests := []struct {
		in   time.Duration
		want string
	}{
		{0, "0s"}, {time.Hour, "1h"}, {90 * time.Second, "90s"}, {2 * time.Minute, "2m"},
		{100 * time.Millisecond, "100ms"}, {1500 * time.Microsecond, "1500us"}, {3, "3ns"},
	}
	for _, tt := range tests {
		if got := formatDuration(tt.in); got != tt.want {
			t.Errorf("formatDuration(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseSize(t *testing.T) {
	tests := []struct {
		in   string
		want uint64
		ok   bool
	}{
		{"0", 0, true},
		{"4096", 4096, true},
		{"64K", 64 << 10, true},
		{"64k", 64 << 10, true},
		{"512M", 512 << 20, true},
		{"1G", 1 << 30, true},
		{"2T", 2 << 40, true},
		{"3P", 3 << 50, true},
		{"8191P", 8191 << 50, true},
		{"8192P", 0, false}, // 2^63 does not fit cgroup files' int64
		{"", 0, false},
		{"M", 0, false},
		{"1.5G", 0, false},
		{"-1", 0, false},
		{"+1", 0, false},
		{"1 G", 0, false},
		{"1GB", 0, false},
		{"1E", 0, false},
		{"99999999999999999999", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseSize(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestFormatSize(t *testing.T) {
	tests := []struct {
		in   uint64
		want string
	}{{0, "0"}, {1000, "1000"}, {1024, "1K"}, {10 << 20, "10M"}, {1 << 30, "1G"}, {1<<30 + 1, "1073741825"}}
	for _, tt := range tests {
		if got := formatSize(tt.in); got != tt.want {
			t.Errorf("formatSize(%d) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseCPUMax(t *testing.T) {
	tests := []struct {
		in   string
		want string // cpu.max text
		ok   bool
	}{
		{"50%", "50000 100000", true},
		{"250%", "250000 100000", true},
		{"1%", "1000 100000", true},
		{"12.5%", "12500 100000", true},
		{"max", "max 100000", true},
		{"max 50000", "max 50000", true},
		{"50000 100000", "50000 100000", true},
		{"2", "200000 100000", true},
		{"1.5", "150000 100000", true},
		{"0.25", "25000 100000", true},
		{"1024", "102400000 100000", true},
		{"1025", "", false},
		{"0.001", "", false},
		{"max  100000", "", false},
		{" 50%", "", false},
		{"0.5%", "", false},
		{"0%", "", false},
		{"102401%", "", false},
		{"1e2%", "", false},
		{"NaN%", "", false},
		{"inf%", "", false},
		{"%", "", false},
		{"", "", false},
		{"50000 100000 3", "", false},
		{"999 100000", "", false},
		{"50000 999", "", false},
		{"50000 1000001", "", false},
		{"fast", "", false},
	}
	for _, tt := range tests {
		got, err := ParseCPUMax(tt.in)
		if (err == nil) != tt.ok || tt.ok && got.String() != tt.want {
			t.Errorf("ParseCPUMax(%q) = %q, %v; want %q, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestQuantityString(t *testing.T) {
	if got := (Quantity{Max: true}).String(); got != "max" {
		t.Errorf("Quantity{Max}.String() = %q, want %q", got, "max")
	}
	if got := (Quantity{Value: 536870912}).String(); got != "536870912" {
		t.Errorf("Quantity{512M}.String() = %q, want %q", got, "536870912")
	}
}

func TestParseRlimit(t *testing.T) {
	inf := RlimInfinity
	tests := []struct {
		name, in   string
		soft, hard uint64
		ok         bool
	}{
		{"nofile", "1024", 1024, 1024, true},
		{"nofile", "1024:4096", 1024, 4096, true},
		{"nofile", "1024:infinity", 1024, inf, true},
		{"core", "infinity", inf, inf, true},
		{"core", "unlimited", inf, inf, true},
		{"memlock", "64M", 64 << 20, 64 << 20, true},
		{"memlock", "64M:1G", 64 << 20, 1 << 30, true},
		{"nice", "40", 40, 40, true},
		{"rtprio", "0:99", 0, 99, true},
		{"nofile", "4096:1024", 0, 0, false},
		{"nofile", "infinity:1024", 0, 0, false},
		{"nofile", "64K", 0, 0, false}, // a count, not a size
		{"nice", "41", 0, 0, false},
		{"rtprio", "100", 0, 0, false},
		{"nofile", "", 0, 0, false},
		{"nofile", "1:2:3", 0, 0, false},
		{"nofile", "-1", 0, 0, false},
		{"NOFILE", "1", 0, 0, false},
		{"RLIMIT_NOFILE", "1", 0, 0, false},
		{"files", "1", 0, 0, false},
	}
	for _, tt := range tests {
		got, err := ParseRlimit(tt.name, tt.in)
		if (err == nil) != tt.ok || tt.ok && (got.Soft != tt.soft || got.Hard != tt.hard || got.Resource.String() != tt.name) {
			t.Errorf("ParseRlimit(%q, %q) = %v, %v; want %d:%d, ok %v", tt.name, tt.in, got, err, tt.soft, tt.hard, tt.ok)
		}
	}
}

// TestRlimitNumbers pins the resource numbers to Linux's generic ABI.
func TestRlimitNumbers(t *testing.T) {
	for i, spec := range rlimitTable {
		if int(spec.num) != i {
			t.Errorf("rlimitTable[%d] is %s with number %d", i, spec.name, int(spec.num))
		}
	}
	r, err := RlimitFromInt("nofile", 1024)
	if err != nil || r.Resource != 7 || r.String() != "nofile = 1024:1024" {
		t.Errorf("RlimitFromInt(nofile, 1024) = %v, %v", r, err)
	}
	if _, err := RlimitFromInt("nofile", -1); err == nil {
		t.Errorf("RlimitFromInt(nofile, -1) succeeded")
	}
	if _, err := RlimitFromInt("nofile", math.MaxInt64); err == nil {
		t.Errorf("RlimitFromInt(nofile, MaxInt64) succeeded")
	}
}

func TestParseUmask(t *testing.T) {
	tests := []struct {
		in   string
		want Umask
		ok   bool
	}{
		{"0022", 0o22, true}, {"022", 0o22, true}, {"0777", 0o777, true}, {"0000", 0, true}, {"077", 0o77, true},
		{"22", 0, false}, {"00022", 0, false}, {"0800", 0, false}, {"1777", 0, false}, {"", 0, false}, {"0o22", 0, false},
		{"-022", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseUmask(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseUmask(%q) = %v, %v; want %v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
	if got := Umask(0o27).String(); got != "0027" {
		t.Errorf("Umask(027).String() = %q, want %q", got, "0027")
	}
}

func TestParseAccount(t *testing.T) {
	tests := []struct {
		in   string
		want Account
		ok   bool
	}{
		{"root", Account{Name: "root"}, true},
		{"www-data", Account{Name: "www-data"}, true},
		{"svc_1.x", Account{Name: "svc_1.x"}, true},
		{"machine$", Account{Name: "machine$"}, true},
		{"0", Account{ID: 0}, true},
		{"1000", Account{ID: 1000}, true},
		{"4294967294", Account{ID: 4294967294}, true},
		{"4294967295", Account{}, false},
		{"99999999999999999999", Account{}, false},
		{"", Account{}, false},
		{"-user", Account{}, false},
		{".user", Account{}, false},
		{"a b", Account{}, false},
		{"a:b", Account{}, false},
		{"$", Account{}, false},
	}
	for _, tt := range tests {
		got, err := ParseAccount(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseAccount(%q) = %+v, %v; want %+v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
	if got := (Account{ID: 33}).String(); got != "33" {
		t.Errorf("Account{ID: 33}.String() = %q", got)
	}
}

func TestSuggest(t *testing.T) {
	keys := []string{"command", "restart", "ready_tcp", "type", "after", "wants", "env", "env_file"}
	tests := []struct {
		in, want string
	}{
		{"comand", "command"},
		{"commnad", "command"},
		{"Restart", "restart"},
		{"ready-tcp", "ready_tcp"},
		{"tpye", "type"},
		{"afetr", "after"},
		{"env_fil", "env_file"},
		{"frobnicate", ""},
		{"x", ""},
		{"envv", "env"},
		{"command", ""},
	}
	for _, tt := range tests {
		if got := suggest(tt.in, keys); got != tt.want {
			t.Errorf("suggest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b  string
		limit int
		want  int
	}{
		{"", "", 3, 0}, {"abc", "abc", 3, 0}, {"abc", "abd", 3, 1}, {"abc", "acb", 3, 1},
		{"abc", "", 3, 3}, {"kitten", "sitting", 3, 3}, {"kitten", "sitting", 2, 3}, {"a", "abcdef", 2, 3},
	}
	for _, tt := range tests {
		if got := editDistance(tt.a, tt.b, tt.limit); got != tt.want {
			t.Errorf("editDistance(%q, %q, %d) = %d, want %d", tt.a, tt.b, tt.limit, got, tt.want)
		}
	}
}

// FuzzParseCPUMax: what ParseCPUMax accepts, the kernel accepts in cpu.max.
func FuzzParseCPUMax(f *testing.F) {
	for _, s := range []string{"max", "50%", "1.5", "0.001", "1024", "max 100000", "50000 100000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCPUMax(s)
		if err != nil || c.Quota == 0 {
			return
		}
		if err := limitsOf(CgroupLimits{CPUMax: &c}).CPU.Check(); err != nil {
			t.Fatalf("ParseCPUMax(%q) = %+v, which the kernel refuses: %v", s, c, err)
		}
	})
}

// TestMaxIsNoLimit: "max", the documented default of memory_max, cpu_max
// and pids_max, limits nothing: a service that writes it needs no cgroup
// and turns on no controller.
func TestMaxIsNoLimit(t *testing.T) {
	cfg, err := Parse("max.toml", []byte(`
[service.a]
command = ["/bin/true"]
memory_max = "max"
cpu_max = "max"
pids_max = "max"
`))
	if err != nil {
		t.Fatal(err)
	}
	if l := cfg.Services[0].Cgroup; l.Any() {
		t.Errorf("limits %+v count as limits", l)
	}
	if c := CgroupControllers(cfg); len(c) != 0 {
		t.Errorf("controllers %v, want none", c)
	}
}
