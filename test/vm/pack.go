package vm

import (
	"io/fs"
	"path/filepath"

	"github.com/tinit/tinit/image"
)

// guestPrograms are host programs that guest tests run, copied with their
// dynamic loader and libraries to the same paths in the guest: reaper's
// tests start /bin/sh, cat and readlink.
var guestPrograms = []string{"/bin/sh", "/usr/bin/cat", "/usr/bin/readlink"}

// guestPath is where a host-built file goes in the guest.
func guestPath(host string) string { return "/guest/" + filepath.Base(host) }

// packImage writes the initramfs of the VM tests: tinit as /init, the
// runner and the test binaries under /guest, guestPrograms, and the device nodes that must
// exist before tinit mounts devtmpfs (the kernel opens /dev/console for
// /init's stdin, stdout and stderr).
func packImage(b guestBuild, path string) error {
	img := image.New()
	steps := []func() error{
		func() error { return img.AddHostFile("/init", b.Init) },
		func() error { return img.AddHostFile("/guest/runner", b.Runner) },
		func() error { return img.AddDevice("/dev/console", fs.ModeDevice|fs.ModeCharDevice|0o600, 5, 1) },
		func() error { return img.AddDevice("/dev/null", fs.ModeDevice|fs.ModeCharDevice|0o666, 1, 3) },
	}
	for _, t := range b.Tests {
		steps = append(steps, func() error { return img.AddHostFile(guestPath(t), t) })
	}
	for _, p := range guestPrograms {
		steps = append(steps, func() error { return img.AddProgram(p, p) })
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return img.WriteFile(path)
}
