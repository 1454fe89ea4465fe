package pid1

import (
	"path"
	"testing"
)

func TestSymlinkString(t *testing.T) {
	if got, want := (Symlink{"/proc/self/fd/1", "/dev/stdout"}).String(), "ln -s /proc/self/fd/1 /dev/stdout"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestDevLinks: each link is in /dev and points into /proc/self/fd, as
// systemd and busybox's mdev make them.
func TestDevLinks(t *testing.T) {
	want := map[string]string{
		"/dev/fd": "/proc/self/fd", "/dev/stdin": "/proc/self/fd/0",
		"/dev/stdout": "/proc/self/fd/1", "/dev/stderr": "/proc/self/fd/2",
	}
	if len(DevLinks) != len(want) {
		t.Errorf("got %d links, want %d", len(DevLinks), len(want))
	}
	for _, l := range DevLinks {
		if want[l.Path] != l.Target || path.Dir(l.Path) != "/dev" {
			t.Errorf("%v: want ln -s %s %s", l, want[l.Path], l.Path)
		}
	}
}
