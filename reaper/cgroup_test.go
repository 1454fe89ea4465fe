package reaper

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCgroup: a child is born in the cgroup v2 directory it is given
// (CLONE_INTO_CGROUP, or a write to cgroup.procs before exec where clone3
// cannot do it).
func TestCgroup(t *testing.T) {
	root := cgroup2Root(t)
	forVariants(t, func(t *testing.T, r *Reaper) {
		dir, err := os.MkdirTemp(root, "reaper-test-")
		if err != nil {
			t.Fatal(err)
		}
		defer os.Remove(dir)
		f, err := os.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		s := &Spec{Path: lookPath(t, "cat"), Args: []string{"cat", "/proc/self/cgroup"}, Cgroup: f}
		out, e := output(t, r, s)
		if !e.Success() {
			t.Fatalf("cat: %v", e)
		}
		want := "0::/" + strings.TrimPrefix(strings.TrimPrefix(dir, root), "/")
		if !strings.Contains(out, want+"\n") {
			t.Errorf("child's cgroups %q, want %q", out, want)
		}
	})
}

// cgroup2Root finds a cgroup2 hierarchy that holds this process's own
// group (the unified root, or /sys/fs/cgroup/unified on a hybrid host) and
// returns the directory of that group.
func cgroup2Root(t *testing.T) string {
	t.Helper()
	mounts, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		t.Fatal(err)
	}
	defer mounts.Close()
	sc := bufio.NewScanner(mounts)
	mountpoint := ""
	for sc.Scan() {
		pre, post, _ := strings.Cut(sc.Text(), " - ")
		if fields := strings.Fields(pre); len(fields) >= 5 && strings.HasPrefix(post, "cgroup2 ") {
			mountpoint = fields[4]
			break
		}
	}
	if mountpoint == "" {
		t.Fatal("no cgroup2 mount: the test needs one")
	}
	b, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if own, ok := strings.CutPrefix(line, "0::"); ok {
			return filepath.Join(mountpoint, own)
		}
	}
	t.Fatal("no cgroup2 entry in /proc/self/cgroup")
	return ""
}
