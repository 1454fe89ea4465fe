package pid1

import (
	"path"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestMountString(t *testing.T) {
	tests := []struct {
		m    Mount
		want string
	}{
		{Mount{"proc", "proc", "/proc", "nosuid,nodev,noexec"}, "mount -t proc proc /proc -o nosuid,nodev,noexec"},
		{Mount{"tmpfs", "tmpfs", "/run", ""}, "mount -t tmpfs tmpfs /run"},
		{Mount{"cgroup2", "cgroup2", "/sys/fs/cgroup", "nsdelegate"}, "mount -t cgroup2 cgroup2 /sys/fs/cgroup -o nsdelegate"},
	}
	for _, tt := range tests {
		if got := tt.m.String(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}

// TestEarlyMountsOrder checks that a mount comes after every mount it sits
// on, that no target is mounted twice, and that every option is known.
func TestEarlyMountsOrder(t *testing.T) {
	seen := map[string]bool{"/": true}
	for _, m := range EarlyMounts {
		if seen[m.Target] {
			t.Errorf("%v: %s mounted twice", m, m.Target)
		}
		for dir := path.Dir(m.Target); dir != "/"; dir = path.Dir(dir) {
			if slices.ContainsFunc(EarlyMounts, func(o Mount) bool { return o.Target == dir }) && !seen[dir] {
				t.Errorf("%v: comes before the mount of %s", m, dir)
			}
		}
		seen[m.Target] = true
		if !path.IsAbs(m.Target) || path.Clean(m.Target) != m.Target {
			t.Errorf("%v: target is not a clean absolute path", m)
		}
	}
	if EarlyMounts[0].Target != "/proc" {
		t.Errorf("got first mount %v, want /proc (MountEarly decides by it)", EarlyMounts[0])
	}
}

func TestSplitOptions(t *testing.T) {
	tests := []struct {
		in        string
		wantFlags []string
		wantData  string
	}{
		{"", nil, ""},
		{"nosuid,nodev,noexec", []string{"nosuid", "nodev", "noexec"}, ""},
		{"nosuid,mode=0755", []string{"nosuid"}, "mode=0755"},
		{"gid=5,nosuid,mode=0620,ptmxmode=0666", []string{"nosuid"}, "gid=5,mode=0620,ptmxmode=0666"},
		{"rw,,ro", []string{"ro"}, ""},
		{"nsdelegate", nil, "nsdelegate"},
	}
	for _, tt := range tests {
		flags, data := splitOptions(tt.in)
		if !reflect.DeepEqual(flags, tt.wantFlags) || data != tt.wantData {
			t.Errorf("splitOptions(%q): got %q %q, want %q %q", tt.in, flags, data, tt.wantFlags, tt.wantData)
		}
	}
}

// FuzzSplitOptions checks that every option lands on exactly one side, in
// order: flags and data, merged back, are the input less empties and "rw".
func FuzzSplitOptions(f *testing.F) {
	for _, m := range EarlyMounts {
		f.Add(m.Options)
	}
	f.Add("rw,,ro,x=1")
	f.Fuzz(func(t *testing.T, in string) {
		flags, data := splitOptions(in)
		var want, gotData []string
		for _, o := range strings.Split(in, ",") {
			if o != "" && o != "rw" {
				want = append(want, o)
			}
		}
		if data != "" {
			gotData = strings.Split(data, ",")
		}
		for _, o := range want {
			switch {
			case len(flags) > 0 && flags[0] == o && isFlagName(o):
				flags = flags[1:]
			case len(gotData) > 0 && gotData[0] == o:
				gotData = gotData[1:]
			default:
				t.Fatalf("splitOptions(%q): option %q lost or out of order", in, o)
			}
		}
		if len(flags)+len(gotData) > 0 {
			t.Fatalf("splitOptions(%q): extra %q %q", in, flags, gotData)
		}
	})
}
