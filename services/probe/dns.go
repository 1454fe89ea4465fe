package probe

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
)

// lookupDNS asks resolv.conf's nameservers for the addresses of host,
// trying its names in the search list's order until one has some. A name
// that does not exist, or has no address, moves on to the next; a
// nameserver that fails ends the lookup, lest a later name in the search
// list answer in its place.
// When no name has an address, the error is the one about host as it is,
// as in Go.
func lookupDNS(ctx context.Context, host string) ([]IP, error) {
	conf, err := readResolvConf()
	if err != nil {
		return nil, fmt.Errorf("lookup %q: %w", host, err)
	}
	names := conf.names(host)
	var missing error
	for _, name := range names {
		addrs, err := conf.lookupName(ctx, name)
		switch {
		case err == nil:
			return addrs, nil
		case !notFound(err):
			return nil, fmt.Errorf("lookup %q: %w", host, err)
		case missing == nil || name == host+".":
			missing = err
		}
	}
	if len(names) > 1 {
		missing = fmt.Errorf("%w (searched %s)", missing, strings.Join(names, ", "))
	}
	return nil, fmt.Errorf("lookup %q: %w", host, missing)
}

// notFound reports whether err says that a name has no address, rather
// than that no server could tell.
func notFound(err error) bool {
	return errors.Is(err, errNoSuchHost) || errors.Is(err, errNoAddress)
}

// lookupName asks for name's IPv4, then its IPv6 addresses. One kind is
// enough; when there are none, a server's failure is reported rather than
// a missing record.
func (c *resolvConf) lookupName(ctx context.Context, name string) ([]IP, error) {
	var addrs []IP
	var err error
	for _, qtype := range []uint16{typeA, typeAAAA} {
		a, qerr := c.query(ctx, question{name, qtype})
		if qerr != nil && (errors.Is(qerr, errNoSuchHost) || ctx.Err() != nil) {
			return nil, qerr // no such name, of any type; or no more time
		}
		addrs = append(addrs, a...)
		if qerr != nil && (err == nil || notFound(err)) {
			err = qerr
		}
	}
	if len(addrs) > 0 {
		return addrs, nil
	}
	return nil, err
}

// query asks the servers in turn, for c.attempts rounds, until one
// answers.
func (c *resolvConf) query(ctx context.Context, q question) ([]IP, error) {
	msg, err := q.pack()
	if err != nil {
		return nil, err
	}
	for range c.attempts {
		for _, server := range c.servers {
			addrs, qerr := c.exchange(ctx, server, msg, q)
			if qerr == nil {
				return addrs, nil
			}
			err = fmt.Errorf("%q on %v: %w", q.name, server, qerr)
			if notFound(qerr) || ctx.Err() != nil {
				return nil, err
			}
		}
	}
	return nil, err
}

// exchange sends msg, q's query, to server, over UDP and, if the answer
// was truncated, again over TCP, both within c.timeout.
func (c *resolvConf) exchange(ctx context.Context, server ipPort, msg []byte, q question) ([]IP, error) {
	ctx, cancel := context.WithTimeoutCause(ctx, c.timeout, fmt.Errorf("no answer in %v", c.timeout))
	defer cancel()
	r, err := roundTrip(ctx, udp, server, msg, q)
	if err == nil && r.truncated {
		r, err = roundTrip(ctx, tcp, server, msg, q)
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, context.Cause(ctx)
		}
		return nil, err
	}
	return r.addrs, r.err()
}

// roundTrip sends msg with a new random ID, over a socket of its own (so
// from a new port too), and reads the answer. With the connected socket,
// which takes answers from the server alone, the ID keeps forged answers
// out (RFC 5452). It comes from the runtime's generator, seeded from the
// kernel's AT_RANDOM at exec: it never waits for the kernel's random
// pool, which early in a VM's boot takes seconds that ctx does not bound.
func roundTrip(ctx context.Context, n network, server ipPort, msg []byte, q question) (reply, error) {
	id := uint16(rand.Uint32())
	binary.BigEndian.PutUint16(msg, id)
	c, err := dial(ctx, n, server)
	if err != nil {
		return reply{}, err
	}
	defer c.Close()
	if n == tcp {
		return roundTripTCP(c, msg, id, q)
	}
	return roundTripUDP(c, msg, id, q)
}

// roundTripUDP ignores datagrams that do not answer the query (another
// ID, another question), as forgeries, and waits on for the answer.
func roundTripUDP(c *conn, msg []byte, id uint16, q question) (reply, error) {
	if _, err := c.Write(msg); err != nil {
		return reply{}, err
	}
	buf := make([]byte, ednsSize)
	for {
		n, err := c.Read(buf)
		if err != nil {
			return reply{}, err
		}
		r, err := parseReply(buf[:n], id, q)
		if !errors.Is(err, errForeign) {
			return r, err
		}
	}
}

// roundTripTCP frames the query and its answer with their 2-byte lengths
// (RFC 1035 4.2.2).
func roundTripTCP(c *conn, msg []byte, id uint16, q question) (reply, error) {
	framed := binary.BigEndian.AppendUint16(make([]byte, 0, 2+len(msg)), uint16(len(msg)))
	if _, err := c.Write(append(framed, msg...)); err != nil {
		return reply{}, err
	}
	var size [2]byte
	if _, err := io.ReadFull(c, size[:]); err != nil {
		return reply{}, err
	}
	answer := make([]byte, binary.BigEndian.Uint16(size[:]))
	if _, err := io.ReadFull(c, answer); err != nil {
		return reply{}, err
	}
	return parseReply(answer, id, q)
}
