package output

import (
	"io"
	"syscall"

	"golang.org/x/sys/unix"
)

// sweepReader returns a reader of r's fd that never blocks and ignores the
// read deadline, or nil when r has no fd. It is used only after a read
// deadline passed, which proves the fd is non-blocking (pollable).
func sweepReader(r io.Reader) io.Reader {
	sc, ok := r.(syscall.Conn)
	if !ok {
		return nil
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return nil
	}
	return nonblockReader{rc}
}

type nonblockReader struct{ rc syscall.RawConn }

// Read reads what is available now; it fails with EAGAIN when nothing is.
func (r nonblockReader) Read(p []byte) (int, error) {
	var n int
	var err error
	cerr := r.rc.Control(func(fd uintptr) {
		for {
			n, err = unix.Read(int(fd), p)
			if err != unix.EINTR {
				return
			}
		}
	})
	switch {
	case cerr != nil:
		return 0, cerr
	case err != nil:
		return 0, err
	case n == 0 && len(p) > 0:
		return 0, io.EOF
	}
	return n, nil
}
