package probe

import (
	"strconv"
	"strings"
)

// IP is an IPv4 or IPv6 address; an IPv6 one may name its zone, the
// interface it is on ("fe80::1%eth0"). It parses and prints as
// net/netip.Addr does. tinit does not link net/netip: it keeps zones in
// package unique, which brings weak pointers and a concurrent hash trie,
// some 60 KB of binary, for the few addresses a probe handles.
type IP struct {
	addr [16]byte // an IPv4 address in its IPv4-mapped form, ::ffff:a.b.c.d
	is4  bool
	zone string // IPv6 only
}

// v4InV6Prefix starts every IPv4-mapped IPv6 address (RFC 4291 2.5.5.2).
var v4InV6Prefix = [12]byte{10: 0xff, 11: 0xff}

var (
	loopback4 = ip4([4]byte{127, 0, 0, 1})
	loopback6 = IP{addr: [16]byte{15: 1}}
)

func ip4(a [4]byte) IP {
	ip := IP{is4: true}
	copy(ip.addr[:], v4InV6Prefix[:])
	copy(ip.addr[12:], a[:])
	return ip
}

// ipFromSlice reads an address of 4 or 16 bytes, as DNS records hold
// them; a 16-byte one is IPv6 even when it maps an IPv4 address.
func ipFromSlice(b []byte) (IP, bool) {
	switch len(b) {
	case 4:
		return ip4([4]byte(b)), true
	case 16:
		return IP{addr: [16]byte(b)}, true
	}
	return IP{}, false
}

// ParseIP parses an IPv4 address in dotted decimal ("192.0.2.1") or an
// IPv6 one ("2001:db8::1", "::ffff:192.0.2.1", "fe80::1%eth0"). It accepts
// what netip.ParseAddr accepts, and nothing else.
func ParseIP(s string) (IP, bool) {
	// As in netip, the first separator decides: a dot makes s an IPv4
	// address, and a colon an IPv6 one; a zone needs an IPv6 address.
	i := strings.IndexAny(s, ".:%")
	switch {
	case i < 0 || s[i] == '%':
		return IP{}, false
	case s[i] == '.':
		a, ok := parseIPv4(s)
		return ip4(a), ok
	}
	return parseIPv6(s)
}

// parseIPv4 parses four decimal bytes separated by dots. A byte has no
// leading zero, which some parsers would take as octal.
func parseIPv4(s string) ([4]byte, bool) {
	var a [4]byte
	for i := range a {
		field, rest, dot := strings.Cut(s, ".")
		n, err := strconv.ParseUint(field, 10, 8)
		if err != nil || dot != (i < 3) || len(field) > 1 && field[0] == '0' {
			return a, false
		}
		a[i], s = byte(n), rest
	}
	return a, true
}

// parseIPv6 parses eight groups of 1 to 4 hex digits separated by colons,
// where "::" may stand for one run of zero groups and the last two
// groups may be written as an IPv4 address; then, after '%', the zone.
func parseIPv6(s string) (IP, bool) {
	s, zone, hasZone := strings.Cut(s, "%")
	if hasZone && zone == "" {
		return IP{}, false
	}
	head, tail, elided := strings.Cut(s, "::")
	var addr, end [16]byte
	n, ok := parseGroups(addr[:], head, !elided)
	if !elided {
		return IP{addr: addr, zone: zone}, ok && n == len(addr)
	}
	m, endOK := parseGroups(end[:], tail, true)
	// "::" stands for one zero group at least.
	if !ok || !endOK || n+m > len(addr)-2 {
		return IP{}, false
	}
	copy(addr[len(addr)-m:], end[:m])
	return IP{addr: addr, zone: zone}, true
}

// parseGroups parses the colon-separated groups of s into b and returns
// how many bytes they fill. last says that s ends the address, so that
// its final group may be an IPv4 address.
func parseGroups(b []byte, s string, last bool) (int, bool) {
	if s == "" {
		return 0, true
	}
	groups := strings.Split(s, ":")
	n := 0
	for i, g := range groups {
		if last && i == len(groups)-1 && strings.Contains(g, ".") {
			a, ok := parseIPv4(g)
			if !ok || n+len(a) > len(b) {
				return n, false
			}
			return n + copy(b[n:], a[:]), true
		}
		v, err := strconv.ParseUint(g, 16, 16)
		if err != nil || len(g) > 4 || n == len(b) {
			return n, false
		}
		b[n], b[n+1] = byte(v>>8), byte(v)
		n += 2
	}
	return n, true
}

// Zone returns the zone of an IPv6 address, or "".
func (ip IP) Zone() string { return ip.zone }

// is4In6 reports whether ip is an IPv6 address that maps an IPv4 one.
func (ip IP) is4In6() bool { return !ip.is4 && [12]byte(ip.addr[:12]) == v4InV6Prefix }

// unmap returns the IPv4 address an IPv4-mapped IPv6 address maps, which
// has no zone; any other address as it is.
func (ip IP) unmap() IP {
	if ip.is4In6() {
		return IP{addr: ip.addr, is4: true}
	}
	return ip
}

// as4 returns the last 4 bytes: an IPv4 address, or what an IPv4-mapped
// IPv6 address maps.
func (ip IP) as4() [4]byte { return [4]byte(ip.addr[12:]) }

// String returns ip as netip.Addr.String does, so that messages read as
// they always have: dotted decimal for IPv4; for IPv6,
// "::ffff:" and dotted decimal if it maps an IPv4 address, else lower-case
// hex with the longest run of two or more zero groups (the first of equal
// runs) written "::" (RFC 5952); then '%' and the zone, if any.
func (ip IP) String() string {
	var b []byte
	switch {
	case ip.is4:
		b = appendIPv4(b, ip.as4())
	case ip.is4In6():
		b = appendIPv4(append(b, "::ffff:"...), ip.as4())
	default:
		b = appendIPv6(b, ip.addr)
	}
	if ip.zone != "" {
		b = append(append(b, '%'), ip.zone...)
	}
	return string(b)
}

func appendIPv4(b []byte, a [4]byte) []byte {
	for i, x := range a {
		if i > 0 {
			b = append(b, '.')
		}
		b = strconv.AppendUint(b, uint64(x), 10)
	}
	return b
}

func appendIPv6(b []byte, a [16]byte) []byte {
	var groups [8]uint64
	start, end, run := 0, 0, 0 // the run of zeros to elide is groups[start:end]
	for i := range groups {
		groups[i] = uint64(a[2*i])<<8 | uint64(a[2*i+1])
		if groups[i] != 0 {
			run = 0
			continue
		}
		if run++; run >= 2 && run > end-start {
			start, end = i+1-run, i+1
		}
	}
	if end == 0 {
		return appendGroups(b, groups[:])
	}
	b = append(appendGroups(b, groups[:start]), "::"...)
	return appendGroups(b, groups[end:])
}

// appendGroups appends groups in hex, separated by colons.
func appendGroups(b []byte, groups []uint64) []byte {
	for i, g := range groups {
		if i > 0 {
			b = append(b, ':')
		}
		b = strconv.AppendUint(b, g, 16)
	}
	return b
}

// ipPort is an address to connect to: an IP address and a port.
type ipPort struct {
	ip   IP
	port uint16
}

// String returns "192.0.2.1:53" or "[2001:db8::1]:53", as
// netip.AddrPort.String does.
func (p ipPort) String() string {
	return JoinHostPort(p.ip.String(), strconv.Itoa(int(p.port)))
}
