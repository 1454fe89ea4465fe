package notify

import (
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// oobSize holds the sender's credentials and the most fds one message can
// carry (SCM_MAX_FD): all of them are received, so all can be closed.
var oobSize = unix.CmsgSpace(unix.SizeofUcred) + unix.CmsgSpace(253*4)

// listen creates the socket, close-on-exec and non-blocking, with
// SO_PASSCRED set before bind so that no datagram arrives without
// credentials.
func listen(addr string) (*os.File, error) {
	fd, err := unix.Socket(unix.AF_UNIX, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC|unix.SOCK_NONBLOCK, 0)
	if err != nil {
		return nil, os.NewSyscallError("socket", err)
	}
	if err := bind(fd, addr); err != nil {
		unix.Close(fd)
		return nil, err
	}
	return os.NewFile(uintptr(fd), "notify:"+addr), nil
}

func bind(fd int, addr string) error {
	if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_PASSCRED, 1); err != nil {
		return os.NewSyscallError("setsockopt SO_PASSCRED", err)
	}
	if err := unix.Bind(fd, &unix.SockaddrUnix{Name: addr}); err != nil {
		return os.NewSyscallError("bind", err)
	}
	if addr[0] == '@' {
		return nil
	}
	return os.Chmod(addr, 0o666)
}

// recvDatagram receives one datagram into buf, closing every fd that came
// with it (MSG_CMSG_CLOEXEC keeps them from leaking into a child meanwhile).
func recvDatagram(rc syscall.RawConn, buf, oob []byte) (datagram, error) {
	var n, oobn, flags int
	var err error
	rerr := rc.Read(func(fd uintptr) bool {
		for {
			n, oobn, flags, _, err = unix.Recvmsg(int(fd), buf, oob, unix.MSG_CMSG_CLOEXEC)
			if err != unix.EINTR {
				return err != unix.EAGAIN
			}
		}
	})
	if rerr != nil {
		return datagram{}, rerr
	}
	if err != nil {
		return datagram{}, os.NewSyscallError("recvmsg", err)
	}
	d := datagram{data: buf[:n], truncated: flags&unix.MSG_TRUNC != 0 || n > MaxDatagram}
	d.readControl(oob[:oobn])
	return d, nil
}

// readControl takes the credentials and closes the fds of a message's
// control data. Fds that did not fit (MSG_CTRUNC) were closed by the kernel.
func (d *datagram) readControl(oob []byte) {
	msgs, err := unix.ParseSocketControlMessage(oob)
	if err != nil {
		return
	}
	for i := range msgs {
		m := &msgs[i]
		if m.Header.Level != unix.SOL_SOCKET {
			continue
		}
		switch m.Header.Type {
		case unix.SCM_CREDENTIALS:
			if c, err := unix.ParseUnixCredentials(m); err == nil {
				d.pid, d.uid, d.gid, d.creds = c.Pid, c.Uid, c.Gid, true
			}
		case unix.SCM_RIGHTS:
			fds, _ := unix.ParseUnixRights(m)
			for _, fd := range fds {
				unix.Close(fd)
			}
			d.fds += len(fds)
		}
	}
}
