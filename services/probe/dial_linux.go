package probe

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// sysClassNet lists the network interfaces by name, each with its index.
const sysClassNet = "/sys/class/net"

var socketType = [...]int{tcp: unix.SOCK_STREAM, udp: unix.SOCK_DGRAM}

// dial connects a socket to ap. The socket is non-blocking, so that
// os.NewFile hands it to Go's netpoller: waiting for the connection takes
// no thread, and ends with ctx.
func dial(ctx context.Context, n network, ap ipPort) (*conn, error) {
	c, err := connect(ctx, n, ap)
	if err != nil {
		if ctx.Err() != nil {
			err = context.Cause(ctx)
		}
		return nil, fmt.Errorf("dial %v %v: %w", n, ap, err)
	}
	return c, nil
}

func connect(ctx context.Context, n network, ap ipPort) (*conn, error) {
	if err := ctx.Err(); err != nil {
		return nil, err // an ended context starts no connection
	}
	sa, family, err := sockaddr(ap)
	if err != nil {
		return nil, err
	}
	fd, err := unix.Socket(family, socketType[n]|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, os.NewSyscallError("socket", err)
	}
	err = unix.Connect(fd, sa)
	c := withContext(ctx, os.NewFile(uintptr(fd), n.String()+" "+ap.String()))
	switch err {
	case nil:
		return c, nil
	case unix.EINPROGRESS, unix.EALREADY, unix.EINTR: // the connection goes on
		err = awaitConnect(c.File)
	default:
		err = os.NewSyscallError("connect", err)
	}
	if err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// awaitConnect waits in the netpoller until a non-blocking connect has
// ended, successfully or not.
func awaitConnect(f *os.File) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var cerr error
	err = rc.Write(func(fd uintptr) bool {
		var done bool
		done, cerr = connectDone(int(fd))
		return done
	})
	if err != nil {
		return err
	}
	return cerr
}

// connectDone reports whether a non-blocking connect has ended, and how:
// SO_ERROR holds its error. The poller may wake its waiter early; then
// SO_ERROR is 0 but the socket has no peer yet.
func connectDone(fd int) (bool, error) {
	n, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_ERROR)
	if err != nil {
		return true, os.NewSyscallError("getsockopt SO_ERROR", err)
	}
	if n != 0 {
		return true, os.NewSyscallError("connect", unix.Errno(n))
	}
	_, err = unix.Getpeername(fd)
	return err == nil, nil
}

// sockaddr returns the socket address of ap and its family. An IPv4
// address mapped into IPv6 is dialed as IPv4, as package net does.
func sockaddr(ap ipPort) (unix.Sockaddr, int, error) {
	ip, port := ap.ip.unmap(), int(ap.port)
	if ip.is4 {
		return &unix.SockaddrInet4{Port: port, Addr: ip.as4()}, unix.AF_INET, nil
	}
	zone, err := zoneIndex(ip.zone)
	if err != nil {
		return nil, 0, err
	}
	return &unix.SockaddrInet6{Port: port, ZoneId: zone, Addr: ip.addr}, unix.AF_INET6, nil
}

// zoneIndex returns the index of the interface an IPv6 zone ("fe80::1%eth0")
// names, by number or by name; 0 for no zone.
func zoneIndex(zone string) (uint32, error) {
	if zone == "" {
		return 0, nil
	}
	if n, err := strconv.ParseUint(zone, 10, 32); err == nil {
		return uint32(n), nil
	}
	// The kernel's rules for interface names (dev_valid_name) keep the
	// name inside sysClassNet.
	if len(zone) > unix.IFNAMSIZ-1 || zone == "." || zone == ".." || strings.ContainsAny(zone, "/: \t\n") {
		return 0, fmt.Errorf("zone %q: not an interface name", zone)
	}
	b, err := os.ReadFile(sysClassNet + "/" + zone + "/ifindex")
	if errors.Is(err, fs.ErrNotExist) {
		return 0, fmt.Errorf("zone %q: no such interface", zone)
	}
	if err != nil {
		return 0, fmt.Errorf("zone %q: %w", zone, err)
	}
	n, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 32)
	if err != nil {
		return 0, fmt.Errorf("zone %q: %w", zone, err)
	}
	return uint32(n), nil
}
