package pid1

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"testing"

	"github.com/tinit/tinit/internal/leaktest"
	"github.com/tinit/tinit/internal/testhelper"
)

func TestMain(m *testing.M) {
	testhelper.Helpers{"machine": helperMachine, "linkup": helperLinkUp, "hostname": helperHostname}.RunIfHelper()
	os.Exit(leaktest.Main(m, 0))
}

// helperMachine prints what Machine says: whether this is a machine's
// init, and whether the kernel refused with EINVAL.
func helperMachine([]string) int {
	machine, err := Machine()
	fmt.Printf("machine=%v einval=%v", machine, errors.Is(err, syscall.EINVAL))
	return 0
}

// TestMachine: this test is no machine's init (it is not PID 1), and
// neither is PID 1 of a new PID namespace, even as root with every
// capability: the kernel refuses it reboot(CAD_OFF) with EINVAL. (The
// answer "machine" is seen in the VM, where tinit is /init and a machine
// scenario powers off; see test/vm.)
func TestMachine(t *testing.T) {
	if machine, err := Machine(); machine || err != nil {
		t.Errorf("not PID 1: got %v, %v; want false, nil", machine, err)
	}
	if os.Getuid() != 0 {
		t.Skip("making a PID namespace needs root")
	}
	cmd := &exec.Cmd{Path: "/proc/self/exe", Args: []string{"helper-machine"}}
	cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWPID, Pdeathsig: syscall.SIGKILL}
	out, err := cmd.CombinedOutput()
	if got, want := string(out), "machine=false einval=true"; err != nil || got != want {
		t.Errorf("PID 1 of a new PID namespace: got %q, %v; want %q", got, err, want)
	}
}

// runHelper runs the helper name of this test binary in the new
// namespaces of cloneflags and returns what it printed.
func runHelper(t *testing.T, cloneflags uintptr, name string, args ...string) string {
	t.Helper()
	cmd := &exec.Cmd{Path: "/proc/self/exe", Args: append([]string{"helper-" + name}, args...)}
	cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: cloneflags, Pdeathsig: syscall.SIGKILL}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("helper %s: %v\n%s", name, err, out)
	}
	return string(out)
}
