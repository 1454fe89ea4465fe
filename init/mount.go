package pid1

import (
	"strings"
)

// Mount is one filesystem to mount, as mount(8) would be told it:
// mount -t FSType Source Target -o Options.
type Mount struct {
	FSType string
	Source string
	Target string
	// Options is the comma-separated list given to mount -o: flag names
	// (nosuid, nodev, noexec, ro, ...) and the filesystem's own data
	// (mode=0755), in any order.
	Options string
}

// String returns the shell command that performs m.
func (m Mount) String() string {
	s := "mount -t " + m.FSType + " " + m.Source + " " + m.Target
	if m.Options != "" {
		s += " -o " + m.Options
	}
	return s
}

// EarlyMounts is what a machine needs mounted before anything else runs, in
// the order it is mounted (a target's parent comes first).
var EarlyMounts = []Mount{
	{"proc", "proc", "/proc", "nosuid,nodev,noexec"},
	{"sysfs", "sysfs", "/sys", "nosuid,nodev,noexec"},
	{"devtmpfs", "devtmpfs", "/dev", "nosuid,mode=0755"},
	{"devpts", "devpts", "/dev/pts", "nosuid,noexec,gid=5,mode=0620,ptmxmode=0666"},
	{"tmpfs", "tmpfs", "/dev/shm", "nosuid,nodev,mode=1777"},
	{"tmpfs", "tmpfs", "/run", "nosuid,nodev,mode=0755"},
	{"tmpfs", "tmpfs", "/tmp", "nosuid,nodev,mode=1777"},
	{"cgroup2", "cgroup2", "/sys/fs/cgroup", "nosuid,nodev,noexec,nsdelegate"},
}

// mountFlagNames are the options that mount(2) takes as flags rather than
// as filesystem data; mount_linux.go gives each its bit.
var mountFlagNames = []string{
	"ro", "nosuid", "nodev", "noexec", "sync", "dirsync",
	"noatime", "nodiratime", "relatime", "strictatime", "lazytime",
}

// splitOptions separates the flag names of an -o list from the
// filesystem's own data, keeping the order of each.
func splitOptions(options string) (flags []string, data string) {
	var rest []string
	for _, o := range strings.Split(options, ",") {
		switch {
		case o == "" || o == "rw":
		case isFlagName(o):
			flags = append(flags, o)
		default:
			rest = append(rest, o)
		}
	}
	return flags, strings.Join(rest, ",")
}

func isFlagName(o string) bool {
	for _, n := range mountFlagNames {
		if n == o {
			return true
		}
	}
	return false
}
