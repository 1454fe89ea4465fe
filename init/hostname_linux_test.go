package pid1

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// TestSetHostnameFile: no file is nothing to do; a file that names no
// host, or a bad one, is an error naming the file, and no sethostname
// is tried (this process is in the host's UTS namespace).
func TestSetHostnameFile(t *testing.T) {
	dir := t.TempDir()
	if name, err := setHostname(filepath.Join(dir, "missing")); name != "" || err != nil {
		t.Errorf("no file: got %q, %v; want nothing done", name, err)
	}
	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, []byte("# nothing\n\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if name, err := setHostname(empty); name != "" || err != nil {
		t.Errorf("only a comment: got %q, %v; want nothing done", name, err)
	}
	bad := filepath.Join(dir, "bad")
	if err := os.WriteFile(bad, []byte("a b\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if name, err := setHostname(bad); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("bad file: got %q, %v; want an error naming %s", name, err, bad)
	}
}

// helperHostname sets the hostname from the file args[0] in its own UTS
// namespace and prints what it set and what uname says.
func helperHostname(args []string) int {
	name, err := setHostname(args[0])
	var u unix.Utsname
	_ = unix.Uname(&u)
	fmt.Printf("set %q, %v; uname %q", name, err, unix.ByteSliceToString(u.Nodename[:]))
	return 0
}

// TestSetHostname: in a new UTS namespace, the hostname becomes the name
// of the file.
func TestSetHostname(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("making a UTS namespace needs root")
	}
	file := filepath.Join(t.TempDir(), "hostname")
	if err := os.WriteFile(file, []byte("# the test's\ntinit-test-vm\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := runHelper(t, syscall.CLONE_NEWUTS, "hostname", file)
	if want := `set "tinit-test-vm", <nil>; uname "tinit-test-vm"`; out != want {
		t.Errorf("got %s, want %s", out, want)
	}
}
