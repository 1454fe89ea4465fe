package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tinit/tinit/image"
	"github.com/tinit/tinit/services"
)

// TestPID1OfContainerWithoutProc: tinit as PID 1 of a container whose
// /proc is not mounted (unshare --root, a chroot with a PID namespace) is
// not a machine's init: it mounts no tmpfs over the image's /tmp and
// /run, makes no links in its /dev, and exits with the child's code.
// (Taken for a machine, it powered off, and reboot(2) in a child PID
// namespace killed it with SIGINT: 130.)
func TestPID1OfContainerWithoutProc(t *testing.T) {
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		t.Skipf("needs unshare(1) (util-linux): %v", err)
	}
	root := bareRoot(t)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, unshare, "--user", "--map-root-user", "--mount", "--pid", "--fork", "--root="+root,
		"/tinit", "--", "/helper-markexit", "3", "/tmp/mark", "/run/mark")
	cmd.SysProcAttr = withPdeathsig(nil)
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 3 {
		t.Errorf("got %v, want exit status 3 (the child's); output:\n%s", err, out)
	}
	for _, f := range []string{"tmp/mark", "run/mark"} {
		if _, err := os.Stat(filepath.Join(root, f)); err != nil {
			t.Errorf("the child's /%s is not in the image's directory (a tmpfs was mounted over it?): %v", f, err)
		}
	}
	if _, err := os.Lstat(filepath.Join(root, "dev/stdout")); err == nil {
		t.Error("tinit made /dev/stdout in a container's /dev, as only a machine's init may")
	}
}

// bareRoot makes the root of a container with nothing but static
// programs: /tinit, /helper-markexit (testhelper.MarkExit), and empty
// /proc, /tmp, /run and /dev. The markexit helper is the test binary
// itself where that is static (the VM's, which has no go command), and
// testdata/markexit, built here, where it is not (built with -race).
func bareRoot(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	for _, d := range []string{"proc", "tmp", "run", "dev"} {
		if err := os.Mkdir(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	copyFile(t, tinitPath, filepath.Join(root, "tinit"))
	markexit := filepath.Join(root, "helper-markexit")
	if static, err := image.IsStatic(helperPath); err != nil {
		t.Fatal(err)
	} else if static {
		copyFile(t, helperPath, markexit)
		return root
	}
	build := exec.Command("go", "build", "-o", markexit, "./testdata/markexit")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build testdata/markexit: %v\n%s", err, out)
	}
	return root
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o755); err != nil {
		t.Fatal(err)
	}
}

// TestPowerOffRequest: a machine's init takes SIGINT, which Ctrl-Alt-Del
// sends it, for a request to stop (shutdown, then power-off), and its
// signal handler does not forward it; any other init forwards SIGINT to
// the child, as tini does. Other signals are forwarded either way.
func TestPowerOffRequest(t *testing.T) {
	tests := []struct {
		machine   bool
		rewrite   string
		sig       syscall.Signal
		wantDo    services.SignalDo
		wantRoute syscall.Signal
	}{
		{false, "", syscall.SIGINT, services.SignalForward, syscall.SIGINT},
		{true, "", syscall.SIGINT, services.SignalShutdown, 0},
		{true, "INT:TERM", syscall.SIGINT, services.SignalShutdown, 0},
		{true, "", syscall.SIGTERM, services.SignalForward, syscall.SIGTERM},
		{true, "", syscall.SIGPWR, services.SignalForward, syscall.SIGPWR},
	}
	for _, tt := range tests {
		o := &options{machine: tt.machine}
		if tt.rewrite != "" {
			if err := o.addRewrites(tt.rewrite); err != nil {
				t.Fatal(err)
			}
		}
		if got := o.signalAction(services.Signal(tt.sig)).Do; got != tt.wantDo {
			t.Errorf("machine %v, rewrite %q, %v: got %v, want %v", tt.machine, tt.rewrite, tt.sig, got, tt.wantDo)
		}
		if got, _ := o.route(tt.sig); got != tt.wantRoute {
			t.Errorf("machine %v, rewrite %q, %v: handler forwards it as %v, want %v", tt.machine, tt.rewrite, tt.sig, got, tt.wantRoute)
		}
	}
}

// TestMachineDefaultConfig: a machine's init given neither a command nor
// --config runs /etc/tinit/services.toml, where tinit-image --config puts
// it, with whatever options the kernel passed (the words after -- on its
// command line); an explicit command or --config wins. Anywhere else, or
// without that file, no command is a usage error.
func TestMachineDefaultConfig(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		machine    bool
		exists     bool
		wantMode   mode
		wantConfig string
		wantErr    string
	}{
		{"machine, nothing given", nil, true, true, modeServices, defaultConfigPath, ""},
		{"machine, options only", []string{"-v", "--grace", "1s"}, true, true, modeServices, defaultConfigPath, ""},
		{"machine, a command", []string{"/bin/sh"}, true, true, modeSingle, "", ""},
		{"machine, after --", []string{"--", "/bin/sh"}, true, true, modeSingle, "", ""},
		{"machine, --config", []string{"--config", "/srv/other.toml"}, true, true, modeServices, "/srv/other.toml", ""},
		{"machine, --help", []string{"--help"}, true, true, modeHelp, "", ""},
		{"machine without the file", nil, true, false, 0, "", "no command given, and no " + defaultConfigPath},
		{"container", nil, false, true, 0, "", "no command given"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var asked []string
			exists := func(path string) bool { asked = append(asked, path); return tt.exists }
			o, err := parseArgs(tt.args, lookupEnvFrom(nil), tt.machine, exists)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Errorf("got %v, want error %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || o.mode != tt.wantMode || o.configPath != tt.wantConfig || o.machine != tt.machine {
				t.Errorf("got %+v, %v; want mode %v, config %q", o, err, tt.wantMode, tt.wantConfig)
			}
			if !tt.machine && len(asked) > 0 {
				t.Errorf("not a machine, but asked for %q", asked)
			}
		})
	}
}

// TestSurvivingPanic: a panic in a machine's main work is logged with its
// stack and becomes exit code 1, for run to power off after, instead of
// ending PID 1 (a kernel panic, the services' data unsynced).
func TestSurvivingPanic(t *testing.T) {
	var out strings.Builder
	log := newLogger(&out, 0)
	if code := surviving(log, func() int { panic("the supervisor's map is nil") }); code != exitFailure {
		t.Errorf("surviving a panic: code %d, want %d", code, exitFailure)
	}
	for _, want := range []string{"tinit failed: panic: the supervisor's map is nil", "TestSurvivingPanic"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("log %q lacks %q", out.String(), want)
		}
	}
	out.Reset()
	if code := surviving(log, func() int { return 3 }); code != 3 || out.Len() != 0 {
		t.Errorf("surviving no panic: code %d, log %q; want 3 and nothing", code, out.String())
	}
}
