package vm

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestHostKHz(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"processor\t: 0\ncpu MHz\t\t: 2445.404\ncache size\t: 512 KB\n", 2445404},
		{"cpu MHz : 3000\ncpu MHz : 1200\n", 3000000},
		{"processor : 0\n", 0},
		{"cpu MHz : fast\n", 0},
		{"cpu MHz : -5\n", 0},
		{"", 0},
	}
	for _, tt := range tests {
		if got := hostKHz([]byte(tt.in)); got != tt.want {
			t.Errorf("hostKHz(%q): got %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestKernelCmdline(t *testing.T) {
	cmd := guestCommand("6.1", "pidfd", 3*time.Minute, []string{"/guest/init.test"})
	tests := []struct {
		arch  guestArch
		khz   int
		debug bool
		extra string
		want  string
	}{
		{archAMD64, 2445404, false, "", "console=ttyS0 panic=-1 tsc=reliable quiet tsc_early_khz=2445404 -- /guest/runner -kernel=6.1 -tier=pidfd -timeout=3m0s /guest/init.test"},
		{archAMD64, 0, true, " initcall_debug  loglevel=8", "console=ttyS0 panic=-1 tsc=reliable initcall_debug loglevel=8 -- /guest/runner -kernel=6.1 -tier=pidfd -timeout=3m0s /guest/init.test"},
		{archARM64, 2445404, false, "", "console=ttyAMA0 panic=-1 quiet -- /guest/runner -kernel=6.1 -tier=pidfd -timeout=3m0s /guest/init.test"},
	}
	for _, tt := range tests {
		if got := kernelCmdline(tt.arch, tt.khz, tt.debug, tt.extra, cmd); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
	if got, want := kernelCmdline(archAMD64, 0, false, "", nil), "console=ttyS0 panic=-1 tsc=reliable quiet"; got != want {
		t.Errorf("no command: got %q, want %q (no --)", got, want)
	}
}

// TestKernelCmdlineFits keeps the command line under x86's
// COMMAND_LINE_SIZE (2048) with every guest package in it, and free of
// words the kernel would mangle before /init sees them.
func TestKernelCmdlineFits(t *testing.T) {
	var tests []string
	for _, p := range guestPackages {
		tests = append(tests, testBinary{Pkg: p.Path}.GuestPath())
	}
	line := kernelCmdline(archAMD64, 9999999, false, "", guestCommand("7.x", "autoreap", time.Hour, tests))
	if len(line) >= 2048 {
		t.Errorf("command line of %d bytes, want < 2048: %s", len(line), line)
	}
	_, after, _ := strings.Cut(line, " -- ")
	if slices.Contains(strings.Fields(after), "--") || strings.ContainsAny(after, `"'`) {
		t.Errorf("init's arguments %q hold -- or quotes, which the kernel does not pass on", after)
	}
}

func TestQemuArgs(t *testing.T) {
	for _, a := range []guestArch{archAMD64, archARM64} {
		args := qemuArgs(a, "/k/vmlinuz", "/i.gz", "console="+a.Console)
		for _, want := range [][]string{a.Machine, {"-accel", "tcg"}, {"-smp", "1"}, {"-no-reboot"}, {"-kernel", "/k/vmlinuz"}, {"-initrd", "/i.gz"}, {"-append", "console=" + a.Console}} {
			i := slices.Index(args, want[0])
			if i < 0 || !slices.Equal(args[i:min(i+len(want), len(args))], want) {
				t.Errorf("%s: qemu args %q: want %q", a.GOARCH, args, want)
			}
		}
	}
}

func TestArchOf(t *testing.T) {
	for _, tt := range []struct{ label, want, err string }{
		{"6.1", "amd64", ""}, {"7.x", "amd64", ""}, {"arm64/6.12", "arm64", ""}, {"riscv64/6.12", "", "unknown architecture"},
	} {
		a, err := archOf(tt.label)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("archOf(%q): %v, want an error saying %q", tt.label, err, tt.err)
			}
			continue
		}
		if err != nil || a.GOARCH != tt.want {
			t.Errorf("archOf(%q) = %s, %v; want %s", tt.label, a.GOARCH, err, tt.want)
		}
	}
}

func TestTestBinaryName(t *testing.T) {
	tests := []struct{ pkg, want string }{
		{"./reaper", "reaper.test"},
		{"./cmd/tinit", "cmd-tinit.test"},
		{"init/", "init.test"},
	}
	for _, tt := range tests {
		if got := testBinaryName(tt.pkg); got != tt.want {
			t.Errorf("testBinaryName(%q): got %q, want %q", tt.pkg, got, tt.want)
		}
	}
}
