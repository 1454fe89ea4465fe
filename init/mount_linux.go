package pid1

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

var mountFlagBits = map[string]uintptr{
	"ro": unix.MS_RDONLY, "nosuid": unix.MS_NOSUID, "nodev": unix.MS_NODEV,
	"noexec": unix.MS_NOEXEC, "sync": unix.MS_SYNCHRONOUS, "dirsync": unix.MS_DIRSYNC,
	"noatime": unix.MS_NOATIME, "nodiratime": unix.MS_NODIRATIME,
	"relatime": unix.MS_RELATIME, "strictatime": unix.MS_STRICTATIME,
	"lazytime": unix.MS_LAZYTIME,
}

// MountEarly mounts the entries of EarlyMounts that are not mounted yet, in
// order, creating their targets, and returns those it mounted. It goes on
// after a failure and returns every failure, each naming its mount.
//
// It prepares a machine that nobody has prepared: call it only as a
// machine's init (Machine), never in a container, whose /run and /tmp are
// the image's own directories and must stay visible. When /proc is already
// a mount point, an earlier init that switched root to tinit has set the
// machine up, and MountEarly mounts nothing.
func MountEarly() ([]Mount, error) {
	if mounted, err := isMountPoint("/proc"); err != nil || mounted {
		return nil, err
	}
	var done []Mount
	var errs []error
	for _, m := range EarlyMounts {
		mounted, err := isMountPoint(m.Target)
		if err == nil && !mounted {
			err = m.mount()
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%v: %w", m, err))
			continue
		}
		if !mounted {
			done = append(done, m)
		}
	}
	return done, errors.Join(errs...)
}

// mount creates m's target and mounts m on it.
func (m Mount) mount() error {
	if err := os.MkdirAll(m.Target, 0o755); err != nil {
		return err
	}
	names, data := splitOptions(m.Options)
	var flags uintptr
	for _, n := range names {
		flags |= mountFlagBits[n]
	}
	return retryEINTR(func() error {
		return os.NewSyscallError("mount", unix.Mount(m.Source, m.Target, m.FSType, flags, data))
	})
}

// isMountPoint says whether path is the root of a mount: its device differs
// from its parent's. A missing path is not a mount point. (A bind mount of
// the parent's own filesystem is not seen; no early mount is one.)
func isMountPoint(path string) (bool, error) {
	var st, parent unix.Stat_t
	if err := unix.Lstat(path, &st); errors.Is(err, unix.ENOENT) {
		return false, nil
	} else if err != nil {
		return false, &os.PathError{Op: "lstat", Path: path, Err: err}
	}
	dir := filepath.Dir(path)
	if err := unix.Lstat(dir, &parent); err != nil {
		return false, &os.PathError{Op: "lstat", Path: dir, Err: err}
	}
	return st.Dev != parent.Dev || path == "/", nil
}

// retryEINTR calls f until it fails with something other than EINTR.
func retryEINTR(f func() error) error {
	for {
		err := f()
		if !errors.Is(err, unix.EINTR) {
			return err
		}
	}
}
