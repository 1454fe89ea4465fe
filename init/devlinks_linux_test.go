package pid1

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMakeLinks: the links are made under root where missing; a path
// that exists, link or not, is left alone and is no error; a missing
// directory is an error naming the link, and the other links are still
// made.
func TestMakeLinks(t *testing.T) {
	root := t.TempDir()
	if err := os.Mkdir(filepath.Join(root, "dev"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "dev/stdout"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	links := append([]Symlink{{"/proc/self/fd/3", "/nodir/fd3"}}, DevLinks...)
	made, errs := makeLinks(root, links)
	if len(errs) != 1 || !errors.Is(errs[0], fs.ErrNotExist) || !strings.Contains(errs[0].Error(), filepath.Join(root, "nodir/fd3")) {
		t.Errorf("got errors %v, want one: %s does not exist", errs, filepath.Join(root, "nodir"))
	}
	if got, want := fmt.Sprint(made), "[ln -s /proc/self/fd /dev/fd ln -s /proc/self/fd/0 /dev/stdin ln -s /proc/self/fd/2 /dev/stderr]"; got != want {
		t.Errorf("made %s, want %s (not /dev/stdout, which exists)", got, want)
	}
	for _, l := range made {
		if got, err := os.Readlink(filepath.Join(root, l.Path)); got != l.Target || err != nil {
			t.Errorf("%s: readlink got %q, %v; want %q", l.Path, got, err, l.Target)
		}
	}
	if fi, err := os.Lstat(filepath.Join(root, "dev/stdout")); err != nil || !fi.Mode().IsRegular() {
		t.Errorf("dev/stdout: got %v, %v; want the regular file left alone", fi, err)
	}
	if made, errs := makeLinks(root, DevLinks); len(made) != 0 || len(errs) != 0 {
		t.Errorf("again: got %v, %v; want nothing made, no error", made, errs)
	}
}
