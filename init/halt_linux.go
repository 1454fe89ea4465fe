package pid1

import (
	"os"

	"golang.org/x/sys/unix"
)

// Halt ends the machine: it syncs, unmounts every filesystem it can (the
// last mounted first) and remounts the others read-only, syncs again and
// calls reboot(2) with a. It never returns: when reboot fails (no
// CAP_SYS_BOOT), it reports why through logf and blocks forever, because a
// PID 1 that exits panics the kernel. An Action it does not know powers off.
// A nil logf discards the reports.
func Halt(a Action, logf Logf) {
	if logf == nil {
		logf = func(string, ...any) {}
	}
	unix.Sync()
	for _, err := range unmountAll() {
		logf("%v, ignoring", err)
	}
	unix.Sync()
	err := os.NewSyscallError("reboot", unix.Reboot(a.rebootCmd()))
	logf("%v: %v; blocking forever", a, err)
	for {
		_, _ = unix.Ppoll(nil, nil, nil)
	}
}

func (a Action) rebootCmd() int {
	if a == Restart {
		return unix.LINUX_REBOOT_CMD_RESTART
	}
	return unix.LINUX_REBOOT_CMD_POWER_OFF
}

// unmountAll unmounts what is mounted, the last mounted first; a mount that
// stays busy is remounted read-only so that its data is safe. It returns
// what could be neither.
func unmountAll() []error {
	data, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		return []error{err}
	}
	entries, err := parseMountInfo(data)
	if err != nil {
		return []error{err}
	}
	var errs []error
	for i := len(entries) - 1; i >= 0; i-- {
		if err := unmountOrProtect(entries[i]); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

func unmountOrProtect(e mountEntry) error {
	if e.Target != "/" && unix.Unmount(e.Target, 0) == nil {
		return nil
	}
	err := unix.Mount("", e.Target, "", unix.MS_REMOUNT|unix.MS_RDONLY, "")
	if err != nil {
		return &os.PathError{Op: "remount read-only " + e.FSType, Path: e.Target, Err: err}
	}
	return nil
}
