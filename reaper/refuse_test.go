package reaper

import (
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/tinit/tinit/internal/testhelper"
)

// envRefuse names the seccomp filter of refusals that TestMain installs
// before the tests run: the fallbacks are tested through the real probe,
// not only through Options.Disable.
const envRefuse = "TINIT_TEST_REFUSE"

// refuseFromEnv installs the filter envRefuse names, if any.
func refuseFromEnv() error {
	mode := os.Getenv(envRefuse)
	if mode == "" {
		return nil
	}
	rs, ok := testhelper.Refusals[mode]
	if !ok {
		return fmt.Errorf("%s=%s: no such set of refusals in testhelper.Refusals", envRefuse, mode)
	}
	return testhelper.Refuse(rs...)
}

// underRefusal runs the tests that match pattern again in a copy of this
// test binary under the seccomp filter mode, and checks that each of the
// tests named passed there. It reports whether this is that copy.
func underRefusal(t *testing.T, mode string, tests ...string) bool {
	t.Helper()
	if m := os.Getenv(envRefuse); m != "" {
		return m == mode // in a copy: run only its own mode's part
	}
	pattern := "^(" + strings.Join(tests, "|") + ")$"
	cmd := exec.Command("/proc/self/exe", "-test.run="+pattern, "-test.v", "-test.count=1",
		"-test.short="+boolString(testing.Short()))
	cmd.Env = append(os.Environ(), envRefuse+"="+mode)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("under the seccomp filter %s: %v\n%s", mode, err, out)
	}
	t.Logf("under the seccomp filter %s:\n%s", mode, out)
	for _, name := range tests {
		if !regexp.MustCompile(`(?m)^--- PASS: ` + name + ` `).Match(out) {
			t.Errorf("under the seccomp filter %s, %s did not pass:\n%s", mode, name, out)
		}
	}
	return false
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// TestClone3Refused runs the spawn tests where a seccomp filter refuses
// clone3: the probe must fall back to clone(2) and say why, and every
// child must still start, end and report as on the best path. (Refused
// with EPERM, as by Docker's profile before 20.10.10, clone3 is tested in
// cmd/tinit: glibc's pthread_create does not fall back then, and a test
// binary built with -race makes its threads with it.)
func TestClone3Refused(t *testing.T) {
	for _, tt := range []struct {
		mode string
		why  string
	}{
		{"clone3-enosys", "function not implemented"},
	} {
		t.Run(tt.mode, func(t *testing.T) {
			tests := []string{"TestClone3Refused", "TestKilledBySignal", "TestStartErrors", "TestSignal",
				"TestFDShuffle", "TestEnvExactlyAsGiven"}
			if !testing.Short() { // under emulation in the microVMs, these would take half a minute more
				tests = append(tests, "TestExitCodes", "TestSignalGroup", "TestOnlyAskedFDsOpen",
					"TestCredentials", "TestSessionAndGroup", "TestAutokillClose")
			}
			if !underRefusal(t, tt.mode, tests...) {
				return
			}
			fs := Probe()
			t.Logf("probe: %v", &fs)
			if fs.Has(Clone3) || !strings.Contains(fs.Why(Clone3), tt.why) {
				t.Errorf("clone3 refused with %q: Has(Clone3) = %v, why %q", tt.why, fs.Has(Clone3), fs.Why(Clone3))
			}
			if fs.Tier() != TierPidfd {
				t.Errorf("tier %v without clone3, want %v", fs.Tier(), TierPidfd)
			}
			if !strings.Contains(fs.String(), "no clone3 (clone3: "+tt.why) {
				t.Errorf("the probe line %q does not say why clone3 is missing", fs.String())
			}
			r := newTestReaper(t, Options{})
			if e := run(t, r, helperSpec(t, "exit", "7")); e.Code() != 7 {
				t.Errorf("exit 7 through clone(2): got %+v", e)
			}
		})
	}
}

// TestNoPidfdRefused: where no child with a pidfd can be made (no clone3,
// and clone(2) refusing CLONE_PIDFD) or waited for (no waitid(P_PIDFD), a
// kernel before 5.4), New refuses to start, saying what tinit needs, and
// leaves no child behind.
func TestNoPidfdRefused(t *testing.T) {
	for _, tt := range []struct {
		mode string
		why  string
	}{
		{"no-pidfd", "can create no child with a pidfd (clone3: function not implemented; clone: invalid argument)"},
		{"no-waitid-pidfd", "cannot wait for a child through its pidfd (waitid(P_PIDFD): invalid argument)"},
	} {
		t.Run(tt.mode, func(t *testing.T) {
			if !underRefusal(t, tt.mode, "TestNoPidfdRefused") {
				return
			}
			fs := Probe()
			t.Logf("probe: %v", &fs)
			if want := "; tinit cannot run here: this kernel " + tt.why; !strings.Contains(fs.String(), want) {
				t.Errorf("the probe line %q does not end with %q", fs.String(), want)
			}
			r, err := New(Options{})
			if err == nil {
				r.Close()
				t.Fatal("New started a reaper that cannot work")
			}
			if want := tt.why + "; tinit needs Linux 5.4 or later"; !strings.Contains(err.Error(), want) {
				t.Errorf("New's error %q does not say %q", err, want)
			}
			waitNoChildren(t)
		})
	}
}
