package image

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestGNUCpioAgrees: GNU cpio (Debian package cpio), a third reader, lists
// the same names in the same order and finds the archive well formed.
func TestGNUCpioAgrees(t *testing.T) {
	cpio, err := exec.LookPath("cpio")
	if err != nil {
		t.Skip("GNU cpio is not installed (apt-get install cpio); the independent Go reader still checks the format")
	}
	img := build(t,
		file("/etc/tinit/services.toml", 0o644, "x"),
		file("/odd name/f", 0o600, strings.Repeat("data", 1000)),
		symlink("/lib64", "lib"), file("/lib64/ld.so", 0o755, "ld"),
		dir("/tmp", 0o777|fs.ModeSticky),
		device("/dev/console", charDev|0o600, 5, 1),
	)
	zr, err := gzip.NewReader(bytes.NewReader(img))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(zr)
	cmd := exec.Command(cpio, "-it", "--quiet")
	cmd.Stdin = bytes.NewReader(raw)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("cpio -it: %v\n%s", err, out)
	}
	var want []string
	for _, e := range parseRaw(t, raw) {
		want = append(want, e.name)
	}
	if got := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n"); !slices.Equal(got, want) {
		t.Errorf("cpio -it: got %q, want %q", got, want)
	}
}
