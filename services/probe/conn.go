package probe

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"time"
)

// network is the transport of a connection: TCP for probes, UDP and TCP
// for DNS queries.
type network int

const (
	tcp network = iota
	udp
)

func (n network) String() string { return [...]string{tcp: "tcp", udp: "udp"}[n] }

// conn is a connected socket. Its I/O fails once the context it was dialed
// with ends, at the context's deadline or when it is cancelled, so that
// no probe outlives its timeout.
type conn struct {
	*os.File
	stop func() bool
}

// withContext makes f's I/O end with ctx. The deadline is set once ctx
// is done, not ahead from ctx.Deadline(), so that an I/O timeout always
// finds ctx.Err() set and is reported as ctx's.
func withContext(ctx context.Context, f *os.File) *conn {
	return &conn{File: f, stop: context.AfterFunc(ctx, func() { f.SetDeadline(time.Now()) })}
}

// Close stops watching the context and closes the socket.
func (c *conn) Close() error {
	c.stop()
	return c.File.Close()
}

// dialTCP connects to addr ("host:port"), trying host's addresses in the
// order lookup gives them until one connects.
func dialTCP(ctx context.Context, addr string) (*conn, error) {
	host, port, err := SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	p, err := strconv.ParseUint(port, 10, 16)
	if err != nil {
		return nil, fmt.Errorf("address %q: port %q is not a number from 0 to 65535", addr, port)
	}
	ips, err := lookup(ctx, host)
	if err != nil {
		return nil, err
	}
	for _, ip := range ips {
		var c *conn
		if c, err = dial(ctx, tcp, ipPort{ip, uint16(p)}); err == nil {
			return c, nil
		}
		if ctx.Err() != nil {
			break
		}
	}
	return nil, err
}
