package vm

import (
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"

	"github.com/tinit/tinit/image"
)

// guestPrograms are the programs that guest tests run: reaper's and the
// services tests start /bin/sh, cat, readlink, sleep, script (a real
// pseudo-terminal) and systemd-notify (a real sd_notify client);
// cmd/tinit's start unshare (tinit as PID 1 of a container).
var guestPrograms = []string{"/bin/sh", "/usr/bin/cat", "/usr/bin/readlink", "/usr/bin/sleep", "/usr/bin/script", "/usr/bin/systemd-notify", "/usr/bin/unshare"}

// programSource adds the guest's programs to an image.
type programSource func(img *image.Builder) error

// hostPrograms copies guestPrograms from the host, with their dynamic
// loader and libraries, to the same paths in the guest.
func hostPrograms(img *image.Builder) error {
	for _, p := range guestPrograms {
		if err := img.AddProgram(p, p); err != nil {
			return err
		}
	}
	return nil
}

// busyboxPrograms gives a guest of another architecture Debian's static
// busybox of it (deps.sh fetches it into the cache), as the programs of
// guestPrograms that it has: /bin/sh, cat, readlink and sleep (no script,
// no systemd-notify).
func busyboxPrograms(img *image.Builder) error {
	bin := filepath.Join(cacheDir(), "arm64", "busybox")
	if err := img.AddHostFile("/bin/busybox", bin); err != nil {
		return fmt.Errorf("%w (run make deps: bash test/vm/deps.sh)", err)
	}
	for _, p := range busyboxApplets {
		if err := img.AddSymlink(p, "/bin/busybox"); err != nil {
			return err
		}
	}
	return nil
}

var busyboxApplets = []string{"/bin/sh", "/usr/bin/cat", "/usr/bin/readlink", "/usr/bin/sleep"}

// guestSrc is where the guest has the project's source tree.
const guestSrc = "/src"

// guestHostname is what the guest's /etc/hostname names: tinit sets it,
// and init's TestGuestSetUp checks that it did.
const guestHostname = "tinit-vm"

// packImage writes the initramfs of the VM tests: tinit as /init, the
// runner as /guest/runner, /etc/hostname, the source tree (the files src
// lists, relative to root) under /src with each test binary in its
// package's directory, the guest's programs, and the device nodes that
// must exist before tinit mounts devtmpfs (the kernel opens /dev/console
// for /init's stdin, stdout and stderr).
func packImage(b guestBuild, root string, src []string, programs programSource, out string) error {
	img := image.New()
	steps := []func() error{
		func() error { return img.AddHostFile("/init", b.Init) },
		func() error { return img.AddHostFile("/guest/runner", b.Runner) },
		func() error { return img.AddFile("/etc/hostname", 0o644, []byte(guestHostname+"\n")) },
		img.AddDefaultDevices,
	}
	for _, t := range b.Tests {
		steps = append(steps, func() error { return img.AddHostFile(t.GuestPath(), t.Host) })
	}
	for _, f := range src {
		steps = append(steps, func() error { return img.AddHostFile(path.Join(guestSrc, f), filepath.Join(root, f)) })
	}
	steps = append(steps, func() error { return programs(img) })
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return img.WriteFile(out)
}

// maxSourceFile bounds a file of the source tree copied into the guest: a
// stray binary is not worth its boot time.
const maxSourceFile = 1 << 20

// sourceFiles lists, relative to root, the regular files of the source tree
// that git tracks or would track (not ignored), up to maxSourceFile each,
// and notes what it left out.
func sourceFiles(root string) (files, notes []string, err error) {
	cmd := exec.Command("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		return nil, nil, fmt.Errorf("list the source tree: git ls-files: %w", err)
	}
	for _, f := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		fi, err := os.Lstat(filepath.Join(root, f))
		switch {
		case err != nil || !fi.Mode().IsRegular():
			// deleted in the work tree, or a symlink: not needed by a test
		case fi.Size() > maxSourceFile:
			notes = append(notes, fmt.Sprintf("%s: %d bytes, not copied to %s", f, fi.Size(), guestSrc))
		default:
			files = append(files, f)
		}
	}
	return files, notes, nil
}
