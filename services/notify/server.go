package notify

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
)

// Server receives notifications on one unix datagram socket.
type Server struct {
	addr   string
	path   string // socket file removed by Close; "" when abstract
	file   *os.File
	rc     syscall.RawConn
	bad    atomic.Uint64
	closed atomic.Bool

	mu       sync.Mutex // one receiver at a time: it owns buf and oob
	buf, oob []byte

	closeOnce sync.Once
	closeErr  error
}

// DatagramError reports a datagram the server rejected, and its sender
// when the kernel said who it was.
type DatagramError struct {
	PID int32
	UID uint32
	Err error
}

func (e *DatagramError) Error() string {
	return fmt.Sprintf("reject notification from pid %d (uid %d): %v", e.PID, e.UID, e.Err)
}

func (e *DatagramError) Unwrap() error { return e.Err }

// datagram is what one receive brought, before it is checked.
type datagram struct {
	data      []byte
	pid       int32
	uid, gid  uint32
	creds     bool
	fds       int  // fds received, all already closed
	truncated bool // longer than the buffer
}

// maxPath is the longest socket address, the size of sun_path minus the
// trailing NUL a path needs (an abstract name's '@' takes that byte).
const maxPath = 107

// Listen creates the notification socket at addr: a filesystem path, or
// "@name" for the abstract namespace. A stale socket file at the path is
// replaced; the file is made writable by all (the sender's pid, not the
// file mode, says who may notify what). The socket is close-on-exec.
func Listen(addr string) (*Server, error) {
	if err := checkAddr(addr); err != nil {
		return nil, fmt.Errorf("listen for notifications on %q: %w", addr, err)
	}
	s := &Server{addr: addr, buf: make([]byte, MaxDatagram+1), oob: make([]byte, oobSize)}
	if addr[0] != '@' {
		s.path = addr
		if err := removeStaleSocket(addr); err != nil {
			return nil, fmt.Errorf("listen for notifications on %q: %w", addr, err)
		}
	}
	f, err := listen(addr)
	if err != nil {
		return nil, fmt.Errorf("listen for notifications on %q: %w", addr, err)
	}
	s.file = f
	if s.rc, err = f.SyscallConn(); err != nil {
		s.Close()
		return nil, fmt.Errorf("listen for notifications on %q: %w", addr, err)
	}
	return s, nil
}

func checkAddr(addr string) error {
	switch {
	case addr == "" || addr == "@":
		return errors.New("empty address")
	case len(addr) > maxPath:
		return fmt.Errorf("address longer than %d bytes", maxPath)
	case addr[0] != '@' && addr[0] != '/':
		return errors.New("want an absolute path or @name")
	}
	return nil
}

func removeStaleSocket(path string) error {
	st, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if st.Mode().Type() != fs.ModeSocket {
		return errors.New("a file that is not a socket is in the way")
	}
	return os.Remove(path)
}

// Addr returns the socket's address as NOTIFY_SOCKET wants it.
func (s *Server) Addr() string { return s.addr }

// Bad returns how many datagrams were rejected.
func (s *Server) Bad() uint64 { return s.bad.Load() }

// Receive waits for the next datagram. A rejected datagram gives a
// *DatagramError; after Close, an error wrapping os.ErrClosed.
func (s *Server) Receive() (Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, err := recvDatagram(s.rc, s.buf, s.oob)
	if err != nil {
		if s.closed.Load() {
			err = os.ErrClosed
		}
		return Message{}, fmt.Errorf("receive notification on %q: %w", s.addr, err)
	}
	m, err := d.message()
	if err != nil {
		s.bad.Add(1)
		return Message{}, &DatagramError{PID: d.pid, UID: d.uid, Err: err}
	}
	return m, nil
}

func (d datagram) message() (Message, error) {
	switch {
	case d.truncated:
		return Message{}, errTooLong
	case !d.creds:
		return Message{}, errNoCreds
	}
	m, err := Parse(d.data)
	if err != nil {
		return Message{}, err
	}
	m.PID, m.UID, m.GID, m.ClosedFDs = d.pid, d.uid, d.gid, d.fds
	return m, nil
}

// Serve receives until Close, handing each accepted message to deliver and
// each rejected datagram's *DatagramError to reject (which may be nil). It
// returns nil once the server is closed, or the error that stopped it.
func (s *Server) Serve(deliver func(Message), reject func(error)) error {
	for {
		m, err := s.Receive()
		var bad *DatagramError
		switch {
		case err == nil:
			deliver(m)
		case errors.As(err, &bad):
			if reject != nil {
				reject(err)
			}
		case errors.Is(err, os.ErrClosed):
			return nil
		default:
			return err
		}
	}
}

// Close closes the socket, which ends a blocked Receive, and removes the
// socket file. Close is idempotent.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		s.closed.Store(true)
		s.closeErr = s.file.Close()
		if s.path != "" {
			if err := os.Remove(s.path); err != nil && !errors.Is(err, fs.ErrNotExist) && s.closeErr == nil {
				s.closeErr = err
			}
		}
	})
	return s.closeErr
}
