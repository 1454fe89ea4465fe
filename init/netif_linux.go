package pid1

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// loopback is the interface a machine brings up for 127.0.0.1 and ::1.
const loopback = "lo"

// linkUp brings the network interface name up, as ip link set NAME up
// does. An interface that is up already is left alone.
func linkUp(name string) error {
	if err := addIfFlags(name, unix.IFF_UP); err != nil {
		return fmt.Errorf("bring up interface %q: %w", name, err)
	}
	return nil
}

// addIfFlags sets flags on the interface name of this network namespace
// (SIOCGIFFLAGS, then SIOCSIFFLAGS with the old flags and these) through
// a datagram socket, unless it has them all already.
func addIfFlags(name string, flags uint16) error {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return os.NewSyscallError("socket", err)
	}
	defer unix.Close(fd)
	ifr, err := unix.NewIfreq(name)
	if err != nil {
		return err
	}
	if err := unix.IoctlIfreq(fd, unix.SIOCGIFFLAGS, ifr); err != nil {
		return os.NewSyscallError("ioctl SIOCGIFFLAGS", err)
	}
	old := ifr.Uint16()
	if old&flags == flags {
		return nil
	}
	ifr.SetUint16(old | flags)
	return os.NewSyscallError("ioctl SIOCSIFFLAGS", unix.IoctlIfreq(fd, unix.SIOCSIFFLAGS, ifr))
}
