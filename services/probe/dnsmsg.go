package probe

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
)

// DNS message fields (RFC 1035 4.1, RFC 6891) a stub resolver needs.
const (
	typeA     = 1
	typeCNAME = 5
	typeAAAA  = 28
	typeOPT   = 41
	classIN   = 1

	flagQR = 1 << 15 // a response
	flagTC = 1 << 9  // truncated: ask again over TCP
	flagRD = 1 << 8  // recursion desired

	rcodeNXDomain = 3

	headerLen  = 12
	maxNameLen = 255 // in wire form
	maxLabel   = 63

	// ednsSize is the largest UDP answer a query asks for: what fits in
	// any path's MTU without fragments (the DNS flag day 2020 value).
	ednsSize = 1232
)

// rcodeText names the response codes a resolver may answer with.
var rcodeText = [...]string{1: "format error", 2: "server failure", 3: "no such host", 4: "not implemented", 5: "refused"}

var (
	errNoSuchHost = errors.New(rcodeText[rcodeNXDomain])
	errNoAddress  = errors.New("no address")
	// errForeign is a message that does not answer the query: over UDP it
	// is ignored, and the answer awaited.
	errForeign = errors.New("not an answer to the query")
)

// question is what a query asks; its answer must repeat it.
type question struct {
	name  string // absolute: "db.example."
	qtype uint16
}

// pack returns q as a query with ID 0 and an OPT record asking for
// answers of up to ednsSize bytes over UDP.
func (q question) pack() ([]byte, error) {
	b := make([]byte, headerLen, 64)
	binary.BigEndian.PutUint16(b[2:], flagRD)
	binary.BigEndian.PutUint16(b[4:], 1)  // QDCOUNT
	binary.BigEndian.PutUint16(b[10:], 1) // ARCOUNT: the OPT record
	b, err := appendName(b, q.name)
	if err != nil {
		return nil, err
	}
	b = binary.BigEndian.AppendUint16(b, q.qtype)
	b = binary.BigEndian.AppendUint16(b, classIN)
	// OPT: the root's name; the UDP size in place of the class; TTL
	// (extended RCODE, version, flags) and data length zero.
	b = append(b, 0)
	b = binary.BigEndian.AppendUint16(b, typeOPT)
	b = binary.BigEndian.AppendUint16(b, ednsSize)
	return append(b, 0, 0, 0, 0, 0, 0), nil
}

// appendName appends an absolute name in wire form: each label after its
// length, then the root's empty label.
func appendName(b []byte, name string) ([]byte, error) {
	if len(name)+1 > maxNameLen {
		return nil, fmt.Errorf("name %q is longer than %d bytes", name, maxNameLen)
	}
	for label := range strings.SplitSeq(strings.TrimSuffix(name, "."), ".") {
		if label == "" || len(label) > maxLabel {
			return nil, fmt.Errorf("name %q: a label must have 1 to %d bytes", name, maxLabel)
		}
		b = append(b, byte(len(label)))
		b = append(b, label...)
	}
	return append(b, 0), nil
}

// reply is what an answer says about its question.
type reply struct {
	rcode     int
	truncated bool
	addrs     []IP
}

// err says why r gives no address, or nil.
func (r reply) err() error {
	switch {
	case r.rcode == rcodeNXDomain:
		return errNoSuchHost
	case r.rcode < len(rcodeText) && rcodeText[r.rcode] != "":
		return errors.New(rcodeText[r.rcode])
	case r.rcode != 0:
		return fmt.Errorf("response code %d", r.rcode)
	case len(r.addrs) == 0:
		return errNoAddress
	}
	return nil
}

// parseReply reads msg as the answer to query id about q: errForeign if
// it is not that.
func parseReply(msg []byte, id uint16, q question) (reply, error) {
	p := &parser{msg: msg}
	gotID, flags, qdcount, ancount := p.uint16(), p.uint16(), p.uint16(), p.uint16()
	p.bytes(4) // NSCOUNT, ARCOUNT
	if p.err == nil && (gotID != id || flags&flagQR == 0 || qdcount != 1) {
		return reply{}, errForeign
	}
	name, qtype, qclass := p.name(), p.uint16(), p.uint16()
	if p.err != nil {
		return reply{}, p.err
	}
	if !strings.EqualFold(name, q.name) || qtype != q.qtype || qclass != classIN {
		return reply{}, errForeign
	}
	r := reply{rcode: int(flags & 0xf), truncated: flags&flagTC != 0}
	if r.rcode == 0 && !r.truncated {
		r.addrs = p.answers(int(ancount), q)
	}
	return r, p.err
}

// parser reads a DNS message. Every read checks its bounds; the first
// failure sticks in err, and later reads return zero values.
type parser struct {
	msg []byte
	off int
	err error
}

func (p *parser) fail(why string) {
	if p.err == nil {
		p.err = errors.New("malformed answer: " + why)
	}
}

func (p *parser) bytes(n int) []byte {
	if p.err != nil {
		return nil
	}
	if n > len(p.msg)-p.off {
		p.fail("too short")
		return nil
	}
	b := p.msg[p.off : p.off+n]
	p.off += n
	return b
}

func (p *parser) uint16() uint16 {
	if b := p.bytes(2); b != nil {
		return binary.BigEndian.Uint16(b)
	}
	return 0
}

// name reads a name ("db.example."), following compression pointers
// (RFC 1035 4.1.4). A pointer refers to a prior name, so each must point
// before the labels read so far: pointers cannot loop.
func (p *parser) name() string {
	if p.err != nil {
		return ""
	}
	var text []byte
	off, floor, wire, jumped := p.off, p.off, 1, false
	for {
		if off >= len(p.msg) {
			p.fail("name out of bounds")
			return ""
		}
		n := int(p.msg[off])
		switch {
		case n == 0:
			if !jumped {
				p.off = off + 1
			}
			if len(text) == 0 {
				return "."
			}
			return string(text)
		case n&0xc0 == 0xc0:
			if off+1 >= len(p.msg) {
				p.fail("name out of bounds")
				return ""
			}
			ptr := int(binary.BigEndian.Uint16(p.msg[off:]) & 0x3fff)
			if ptr >= floor {
				p.fail("compression pointer loop")
				return ""
			}
			if !jumped {
				p.off, jumped = off+2, true
			}
			off, floor = ptr, ptr
		case n > maxLabel:
			p.fail("unknown label type")
			return ""
		default:
			if wire += 1 + n; wire > maxNameLen {
				p.fail("name longer than 255 bytes")
				return ""
			}
			if off+1+n > len(p.msg) {
				p.fail("name out of bounds")
				return ""
			}
			text = append(append(text, p.msg[off+1:off+1+n]...), '.')
			off += 1 + n
		}
	}
}

// answers reads n answer records and returns the addresses of q's type
// they give q's name, following CNAME records from it to its canonical
// name. Records about other names are not the answer, and are skipped.
func (p *parser) answers(n int, q question) []IP {
	var addrs []IP
	name := q.name
	for range n {
		owner, rtype, class := p.name(), p.uint16(), p.uint16()
		p.bytes(4) // TTL
		size := int(p.uint16())
		start := p.off
		data := p.bytes(size)
		if p.err != nil {
			return nil
		}
		if class != classIN || !strings.EqualFold(owner, name) {
			continue
		}
		switch rtype {
		case typeCNAME:
			target := &parser{msg: p.msg, off: start}
			name, p.err = target.name(), target.err
		case q.qtype:
			ip, ok := ipFromSlice(data)
			if !ok || ip.is4 != (q.qtype == typeA) {
				p.fail(fmt.Sprintf("address of %d bytes", len(data)))
				return nil
			}
			addrs = append(addrs, ip)
		}
	}
	return addrs
}
