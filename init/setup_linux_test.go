package pid1

import (
	"os"
	"strings"
	"testing"
)

// TestGuestSetUp runs in the VM, where tinit as /init has called SetUp:
// lo is up and 127.0.0.1 takes connections, the hostname is the one
// /etc/hostname names (the image has one), the links of DevLinks are
// there, and a second SetUp makes nothing and fails at nothing.
func TestGuestSetUp(t *testing.T) {
	if os.Getenv("TINIT_VM") == "" {
		t.Skip("runs in the VM, where tinit is /init: make test-vm")
	}
	if !isUp("lo") {
		t.Error("lo is down")
	}
	if err := connectLoopback(); err != nil {
		t.Errorf("connect to 127.0.0.1: %v", err)
	}
	b, err := os.ReadFile(HostnamePath)
	if err != nil {
		t.Fatalf("the VM image has no %s: %v", HostnamePath, err)
	}
	want, err := parseHostname(b)
	if err != nil || want == "" {
		t.Fatalf("%s: got %q, %v; want a name", HostnamePath, want, err)
	}
	if got, _ := os.Hostname(); got != want {
		t.Errorf("hostname: got %q, want %q (%s)", got, want, HostnamePath)
	}
	for _, l := range DevLinks {
		if got, err := os.Readlink(l.Path); got != l.Target || err != nil {
			t.Errorf("%s: readlink got %q, %v; want %q", l.Path, got, err, l.Target)
		}
	}
	if done, errs := SetUp(); len(errs) != 0 || !noLinks(done) {
		t.Errorf("second SetUp: did %q, failed %v; want only what is idempotent, no error", done, errs)
	}
}

// noLinks says whether done holds only the steps SetUp does every time
// (setting the hostname, bringing lo up), no link made.
func noLinks(done []string) bool {
	for _, d := range done {
		if strings.HasPrefix(d, "ln ") {
			return false
		}
	}
	return true
}
