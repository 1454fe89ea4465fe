package pid1

import (
	"os"
	"path/filepath"
	"testing"
)

func TestIsMountPoint(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		path string
		want bool
	}{
		{"/", true},
		{"/proc", true},
		{dir, false},
		{filepath.Join(dir, "missing"), false},
	}
	for _, tt := range tests {
		got, err := isMountPoint(tt.path)
		if err != nil || got != tt.want {
			t.Errorf("isMountPoint(%q): got %v, %v; want %v", tt.path, got, err, tt.want)
		}
	}
}

// TestGuestMounts runs in the VM, where tinit as /init has called
// MountEarly: every early mount is there with its type, and a second call
// mounts nothing.
func TestGuestMounts(t *testing.T) {
	if os.Getenv("TINIT_VM") == "" {
		t.Skip("runs in the VM, where tinit is /init: make test-vm")
	}
	data, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		t.Fatal(err)
	}
	entries, err := parseMountInfo(data)
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]string{}
	for _, e := range entries {
		types[e.Target] = e.FSType
	}
	for _, m := range EarlyMounts {
		if got := types[m.Target]; got != m.FSType {
			t.Errorf("%s: got type %q mounted, want %q (%v)", m.Target, got, m.FSType, m)
		}
	}
	done, err := MountEarly()
	if len(done) != 0 || err != nil {
		t.Errorf("second MountEarly: got %v, %v; want nothing mounted, no error", done, err)
	}
}

// TestMountFlagNamesHaveBits: every option mount.go treats as a flag has
// its bit here, and no bit is for an option it does not know: a name in
// one list only would be mounted with flag 0, or passed as data.
func TestMountFlagNamesHaveBits(t *testing.T) {
	if len(mountFlagBits) != len(mountFlagNames) {
		t.Errorf("%d flag names, %d bits", len(mountFlagNames), len(mountFlagBits))
	}
	for _, n := range mountFlagNames {
		if mountFlagBits[n] == 0 {
			t.Errorf("flag %q has no bit", n)
		}
	}
}
