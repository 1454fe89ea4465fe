package probe

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tinit/tinit/internal/leaktest"
)

// fakeQuery is a query as the fake nameserver received it.
type fakeQuery struct {
	id       uint16
	name     string // lower case, absolute
	qtype    uint16
	question []byte // the question section, for the answer to repeat
	edns     uint16 // the UDP size of the OPT record; 0 without one
	tcp      bool
}

func (q fakeQuery) String() string {
	s := map[uint16]string{1: "A", 28: "AAAA"}[q.qtype] + " " + q.name
	if q.tcp {
		s += " over tcp"
	}
	return s
}

// fakeDNS is a nameserver on 127.0.0.1, UDP and TCP on one port, that
// sends back the messages answer returns for each query: none, one, or
// several (to test that wrong ones are ignored).
type fakeDNS struct {
	udp    net.PacketConn
	tcp    net.Listener
	answer func(fakeQuery) [][]byte
	wg     sync.WaitGroup
	mu     sync.Mutex
	got    []fakeQuery
}

// startDNS starts a fake nameserver and points resolv.conf (the server,
// then conf) and dnsPort at it, for the test.
func startDNS(t *testing.T, conf string, answer func(fakeQuery) [][]byte) *fakeDNS {
	t.Helper()
	s := &fakeDNS{answer: answer}
	s.listen(t)
	useFiles(t, "", "nameserver 127.0.0.1\n"+conf)
	setVar(t, &dnsPort, uint16(s.udp.LocalAddr().(*net.UDPAddr).Port))
	s.wg.Add(2)
	go s.serveUDP(t)
	go s.serveTCP(t)
	t.Cleanup(func() {
		s.udp.Close()
		s.tcp.Close()
		s.wg.Wait()
	})
	return s
}

// listen takes a UDP port whose TCP twin is free too.
func (s *fakeDNS) listen(t *testing.T) {
	t.Helper()
	for range 20 {
		udp, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		tcp, err := net.Listen("tcp", udp.LocalAddr().String())
		if err == nil {
			s.udp, s.tcp = udp, tcp
			return
		}
		udp.Close()
	}
	t.Fatal("no port free for both UDP and TCP")
}

// asked lists the queries received, in order.
func (s *fakeDNS) asked() []fakeQuery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.got
}

func (s *fakeDNS) receive(t *testing.T, msg []byte, tcp bool) [][]byte {
	q, err := parseQuery(msg)
	if err != nil {
		t.Errorf("fake nameserver: %v", err)
		return nil
	}
	q.tcp = tcp
	s.mu.Lock()
	s.got = append(s.got, q)
	s.mu.Unlock()
	return s.answer(q)
}

func (s *fakeDNS) serveUDP(t *testing.T) {
	defer s.wg.Done()
	buf := make([]byte, 512)
	for {
		n, from, err := s.udp.ReadFrom(buf)
		if err != nil {
			return
		}
		for _, m := range s.receive(t, buf[:n], false) {
			s.udp.WriteTo(m, from)
		}
	}
}

func (s *fakeDNS) serveTCP(t *testing.T) {
	defer s.wg.Done()
	for {
		c, err := s.tcp.Accept()
		if err != nil {
			return
		}
		c.SetDeadline(time.Now().Add(10 * time.Second))
		var size [2]byte
		if _, err := io.ReadFull(c, size[:]); err == nil {
			msg := make([]byte, binary.BigEndian.Uint16(size[:]))
			if _, err := io.ReadFull(c, msg); err == nil {
				for _, m := range s.receive(t, msg, true) {
					c.Write(append(binary.BigEndian.AppendUint16(nil, uint16(len(m))), m...))
				}
			}
		}
		c.Close()
	}
}

// parseQuery reads what the resolver sends: one question with an
// uncompressed name, and an OPT record.
func parseQuery(b []byte) (fakeQuery, error) {
	bad := fmt.Errorf("bad query % x", b)
	if len(b) < 12 || binary.BigEndian.Uint16(b[4:]) != 1 {
		return fakeQuery{}, bad
	}
	q := fakeQuery{id: binary.BigEndian.Uint16(b)}
	off := 12
	for off < len(b) && b[off] != 0 {
		end := off + 1 + int(b[off])
		if end > len(b) {
			return fakeQuery{}, bad
		}
		q.name += strings.ToLower(string(b[off+1:end])) + "."
		off = end
	}
	off += 5 // the root label, QTYPE, QCLASS
	if off > len(b) {
		return fakeQuery{}, bad
	}
	q.qtype, q.question = binary.BigEndian.Uint16(b[off-4:]), b[12:off]
	if binary.BigEndian.Uint16(b[10:]) == 1 && len(b) >= off+11 && binary.BigEndian.Uint16(b[off+1:]) == 41 {
		q.edns = binary.BigEndian.Uint16(b[off+3:])
	}
	return q, nil
}

// Flags of answers: QR (a response), RD and RA (recursion desired and
// available), and those the tests vary.
const (
	ansOK       = 0x8180
	ansTC       = 0x0200
	ansServFail = 2
	ansNXDomain = 3
)

// answerMsg answers q with flags (ansOK and more) and records.
func answerMsg(q fakeQuery, flags uint16, records ...[]byte) []byte {
	b := binary.BigEndian.AppendUint16(nil, q.id)
	b = binary.BigEndian.AppendUint16(b, flags)
	b = append(b, 0, 1, 0, byte(len(records)), 0, 0, 0, 0)
	b = append(b, q.question...)
	for _, r := range records {
		b = append(b, r...)
	}
	return b
}

// record is a resource record of class IN, its owner name in wire form.
func record(owner []byte, rtype uint16, data []byte) []byte {
	b := append([]byte{}, owner...)
	b = binary.BigEndian.AppendUint16(b, rtype)
	b = append(b, 0, 1, 0, 0, 0, 60) // class IN, TTL 60s
	b = binary.BigEndian.AppendUint16(b, uint16(len(data)))
	return append(b, data...)
}

// wire writes an absolute name uncompressed.
func wire(name string) []byte {
	var b []byte
	for label := range strings.SplitSeq(strings.TrimSuffix(name, "."), ".") {
		b = append(append(b, byte(len(label))), label...)
	}
	return append(b, 0)
}

// pointer is a compression pointer to off.
func pointer(off int) []byte { return []byte{0xc0 | byte(off>>8), byte(off)} }

// addrRecord is an A or AAAA record for owner.
func addrRecord(owner []byte, ip string) []byte {
	a := netip.MustParseAddr(ip)
	if a.Is4() {
		return record(owner, 1, a.AsSlice())
	}
	return record(owner, 28, a.AsSlice())
}

// answerA answers A queries with ip, and AAAA queries with no record.
func answerA(ip string) func(fakeQuery) [][]byte {
	return func(q fakeQuery) [][]byte {
		if q.qtype == 28 {
			return [][]byte{answerMsg(q, ansOK)}
		}
		return [][]byte{answerMsg(q, ansOK, addrRecord(wire(q.name), ip))}
	}
}

// answerTable answers each query from records by type and name ("A
// db.test."); a name it does not know does not exist.
func answerTable(records map[string][]string) func(fakeQuery) [][]byte {
	return func(q fakeQuery) [][]byte {
		known := false
		var rrs [][]byte
		for key, ips := range records {
			typ, name, _ := strings.Cut(key, " ")
			if name != q.name {
				continue
			}
			known = true
			if (typ == "A") == (q.qtype == 1) {
				for _, ip := range ips {
					rrs = append(rrs, addrRecord(wire(q.name), ip))
				}
			}
		}
		if !known {
			return [][]byte{answerMsg(q, ansOK|ansNXDomain)}
		}
		return [][]byte{answerMsg(q, ansOK, rrs...)}
	}
}

// qnameOff is where the question's name starts in a message.
const qnameOff = 12

func TestLookupDNS(t *testing.T) {
	for _, tt := range []struct {
		name   string
		conf   string // after the nameserver line
		host   string
		answer func(fakeQuery) [][]byte
		want   string // the addresses, or the error's end
		asked  string
	}{
		{
			name:   "A",
			host:   "db.test",
			answer: answerA("10.1.2.3"),
			want:   "[10.1.2.3]",
			asked:  "[A db.test. AAAA db.test.]",
		},
		{
			name:   "AAAA",
			host:   "db.test",
			answer: answerTable(map[string][]string{"AAAA db.test.": {"fd00::1", "fd00::2"}}),
			want:   "[fd00::1 fd00::2]",
			asked:  "[A db.test. AAAA db.test.]",
		},
		{
			name:   "A then AAAA",
			host:   "db.test",
			answer: answerTable(map[string][]string{"A db.test.": {"10.0.0.1"}, "AAAA db.test.": {"fd00::1"}}),
			want:   "[10.0.0.1 fd00::1]",
			asked:  "[A db.test. AAAA db.test.]",
		},
		{
			name: "CNAME chain",
			host: "db.test",
			answer: func(q fakeQuery) [][]byte {
				if q.qtype != 1 {
					return [][]byte{answerMsg(q, ansOK)}
				}
				return [][]byte{answerMsg(q, ansOK,
					record(wire("db.test."), 5, wire("a.test.")),
					addrRecord(wire("elsewhere.test."), "10.6.6.6"),
					record(wire("a.test."), 5, wire("b.test.")),
					addrRecord(wire("b.test."), "10.0.0.9"),
					addrRecord(wire("db.test."), "10.6.6.7"), // not the canonical name
				)}
			},
			want:  "[10.0.0.9]",
			asked: "[A db.test. AAAA db.test.]",
		},
		{
			// db.test. is in the question at 12, test. at 15; the
			// CNAME's target "web" + test. is at 12 + 9 + 2 + 10.
			name: "compression pointers",
			host: "db.test",
			answer: func(q fakeQuery) [][]byte {
				if q.qtype != 1 {
					return [][]byte{answerMsg(q, ansOK)}
				}
				return [][]byte{answerMsg(q, ansOK,
					record(pointer(qnameOff), 5, append([]byte("\x03web"), pointer(qnameOff+3)...)),
					addrRecord(pointer(qnameOff+len(q.question)+2+10), "10.0.0.8"),
				)}
			},
			want:  "[10.0.0.8]",
			asked: "[A db.test. AAAA db.test.]",
		},
		{
			name: "compression pointer loop",
			conf: "options attempts:1\n",
			host: "db.test",
			answer: func(q fakeQuery) [][]byte {
				self := qnameOff + len(q.question)
				return [][]byte{answerMsg(q, ansOK, record([]byte{1, 'x', 0xc0, byte(self)}, 1, []byte{10, 0, 0, 1}))}
			},
			want:  "malformed answer: compression pointer loop",
			asked: "[A db.test. AAAA db.test.]",
		},
		{
			name:   "NXDOMAIN, then the next search domain",
			conf:   "search a.test b.test\n",
			host:   "db",
			answer: answerTable(map[string][]string{"A db.b.test.": {"10.0.0.2"}}),
			want:   "[10.0.0.2]",
			asked:  "[A db.a.test. A db.b.test. AAAA db.b.test.]",
		},
		{
			name:   "ndots: as it is first",
			conf:   "search a.test\noptions ndots:1\n",
			host:   "db.corp",
			answer: answerTable(map[string][]string{"A db.corp.a.test.": {"10.0.0.3"}}),
			want:   "[10.0.0.3]",
			asked:  "[A db.corp. A db.corp.a.test. AAAA db.corp.a.test.]",
		},
		{
			name:   "no such host",
			conf:   "search a.test\n",
			host:   "db",
			answer: answerTable(nil),
			want:   `lookup "db": "db." on 127.0.0.1:PORT: no such host (searched db.a.test., db.)`,
			asked:  "[A db.a.test. A db.]",
		},
		{
			name:   "no address: the error is about the name as it is",
			conf:   "search a.test\n",
			host:   "db.test",
			answer: answerTable(map[string][]string{"A db.test.": nil}),
			want:   `lookup "db.test": "db.test." on 127.0.0.1:PORT: no address (searched db.test., db.test.a.test.)`,
			asked:  "[A db.test. AAAA db.test. A db.test.a.test.]",
		},
		{
			name:   "no address",
			host:   "db.test",
			answer: answerTable(map[string][]string{"A db.test.": nil}),
			want:   `"db.test." on 127.0.0.1:PORT: no address`,
			asked:  "[A db.test. AAAA db.test.]",
		},
		{
			name:   "server failure ends the search",
			conf:   "search a.test\noptions attempts:1\n",
			host:   "db",
			answer: func(q fakeQuery) [][]byte { return [][]byte{answerMsg(q, ansOK|ansServFail)} },
			want:   `lookup "db": "db.a.test." on 127.0.0.1:PORT: server failure`,
			asked:  "[A db.a.test. AAAA db.a.test.]",
		},
		{
			name: "wrong ID and wrong question ignored",
			host: "db.test",
			answer: func(q fakeQuery) [][]byte {
				forged := q
				forged.id ^= 0x5555
				other := q
				other.question = append(wire("evil.test."), 0, 1, 0, 1)
				return [][]byte{
					answerMsg(forged, ansOK, addrRecord(wire(q.name), "10.6.6.6")),
					answerMsg(other, ansOK, addrRecord(wire("evil.test."), "10.6.6.6")),
					answerA("10.0.0.4")(q)[0],
				}
			},
			want:  "[10.0.0.4]",
			asked: "[A db.test. AAAA db.test.]",
		},
		{
			name: "truncated: again over TCP",
			host: "db.test",
			answer: func(q fakeQuery) [][]byte {
				if !q.tcp {
					return [][]byte{answerMsg(q, ansOK|ansTC)}
				}
				return answerTable(map[string][]string{"A db.test.": {"10.0.0.5"}, "AAAA db.test.": {"fd00::5"}})(q)
			},
			want:  "[10.0.0.5 fd00::5]",
			asked: "[A db.test. A db.test. over tcp AAAA db.test. AAAA db.test. over tcp]",
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			leaktest.Check(t)
			dns := startDNS(t, tt.conf, tt.answer)
			port := fmt.Sprint(dnsPort)
			addrs, err := lookup(ctxT(t), tt.host)
			got := fmt.Sprint(addrs)
			if err != nil {
				got = err.Error()
			}
			if want := strings.ReplaceAll(tt.want, "PORT", port); !strings.HasSuffix(got, want) {
				t.Errorf("got %s, want %s", got, want)
			}
			if asked := fmt.Sprint(dns.asked()); asked != tt.asked {
				t.Errorf("asked %s, want %s", asked, tt.asked)
			}
			for _, q := range dns.asked() {
				if q.edns != ednsSize {
					t.Errorf("%v: EDNS0 UDP size %d, want %d", q, q.edns, ednsSize)
				}
			}
		})
	}
}

// TestLookupErrorKinds: a name that does not exist and a server that
// failed are told apart with errors.Is.
func TestLookupErrorKinds(t *testing.T) {
	startDNS(t, "", answerTable(nil))
	if _, err := lookup(ctxT(t), "db.test"); !errors.Is(err, errNoSuchHost) {
		t.Errorf("got %v, want errNoSuchHost", err)
	}
}

// TestLookupInterrupted: a nameserver that never answers holds a probe
// no longer than its context, whether it ends at its deadline or is
// cancelled. Nothing leaks either way.
func TestLookupInterrupted(t *testing.T) {
	for _, tt := range []struct {
		name string
		ctx  func(t *testing.T, asked <-chan struct{}) context.Context
		want error
	}{
		{"deadline", func(t *testing.T, _ <-chan struct{}) context.Context {
			ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
			t.Cleanup(cancel)
			return ctx
		}, context.DeadlineExceeded},
		{"cancel", func(t *testing.T, asked <-chan struct{}) context.Context {
			ctx, cancel := context.WithCancel(context.Background())
			t.Cleanup(cancel)
			go func() {
				select {
				case <-asked:
				case <-ctx.Done():
				}
				cancel()
			}()
			return ctx
		}, context.Canceled},
	} {
		t.Run(tt.name, func(t *testing.T) {
			leaktest.Check(t)
			asked := make(chan struct{})
			var once sync.Once
			startDNS(t, "", func(fakeQuery) [][]byte {
				once.Do(func() { close(asked) })
				return nil
			})
			err := TCP(tt.ctx(t, asked), "db.test:80")
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), `probe tcp "db.test:80": lookup "db.test": "db.test." on 127.0.0.1:`) {
				t.Errorf("got %v, want %v naming the name and the server", err, tt.want)
			}
		})
	}
}
