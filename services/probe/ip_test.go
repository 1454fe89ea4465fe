package probe

import (
	"net/netip"
	"testing"
)

// ipCases are accepted and rejected forms; ParseIP must agree with
// netip.ParseAddr on each.
var ipCases = []string{
	// IPv4
	"0.0.0.0", "192.0.2.1", "255.255.255.255", "256.1.1.1", "1.2.3.-1", "01.2.3.4", "1.2.3.00", "1.2.3",
	"1.2.3.4.5", "1..2.3", "1.2.3.", ".1.2.3", "1.2.3.4%eth0", "1.2.3.4:80", "+1.2.3.4", "1.2.3.0x4",
	// neither
	"", "%eth0", "abc", "1234", "a%b:c",
	// IPv6
	"::", "::1", "1::", "2001:db8::1", "2001:DB8:0:0:8:800:200C:417A", "1:2:3:4:5:6:7:8", "0001:02:3:4:5:6:7:8",
	"1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7::", "::1:2:3:4:5:6:7", "1:2:3:4::5:6:7:8",
	"1::2::3", ":::", "::::", "1:::2", ":1::", "1:", ":1", "1::2:", "12345::", "::fffff", "+1::", "0x1::", "1_0::", "g::",
	// embedded IPv4
	"::ffff:1.2.3.4", "::FFFF:192.0.2.1", "::1.2.3.4", "1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:7:1.2.3.4",
	"1:2:3:4:5::1.2.3.4", "1:2:3:4:5:6::1.2.3.4", "1:2:3:4:5:1.2.3.4", "::ffff:1.2.3", "::ffff:01.2.3.4",
	"1.2.3.4::", "::1.2.3.4:1", "::1.2.3.4.5", "::1234.1.1.1", "1.2.3.4::1",
	// zones
	"fe80::1%eth0", "fe80::1%", "fe80::1%%", "fe80::1%eth0%1", "::ffff:1.2.3.4%eth0", "::%1", "fe80::1%a b",
	// the run of zeros that prints as "::"
	"0:0:0:0:0:0:0:0", "1:0:0:1:0:0:0:1", "1:0:0:1:0:0:1:1", "0:1:0:1:0:1:0:1", "0:0:1::", "1:0::", "::0:1",
	"0:0:0:0:0:ffff:0:0", "0:0:0:0:ffff:ffff:102:304",
}

func TestParseIP(t *testing.T) {
	for _, s := range ipCases {
		checkIP(t, s)
	}
}

// checkIP checks that ParseIP(s) accepts s just when netip.ParseAddr
// does, to the same address, which every method then reports as
// netip's do.
func checkIP(t *testing.T, s string) {
	t.Helper()
	ip, ok := ParseIP(s)
	want, err := netip.ParseAddr(s)
	if ok != (err == nil) {
		t.Errorf("ParseIP(%q) = %v, %v; netip: %v", s, ip, ok, err)
		return
	}
	if ok {
		checkSame(t, ip, want)
	}
}

func checkSame(t *testing.T, ip IP, want netip.Addr) {
	t.Helper()
	if ip.String() != want.String() || ip.Zone() != want.Zone() || ip.is4 != want.Is4() || ip.addr != want.As16() {
		t.Errorf("%v: got %q, zone %q, IPv4 %v, % x; netip: %q, %q, %v, % x",
			want, ip, ip.Zone(), ip.is4, ip.addr, want, want.Zone(), want.Is4(), want.As16())
	}
	if got, want := ip.unmap(), want.Unmap(); got.String() != want.String() || got.is4 != want.Is4() {
		t.Errorf("%v: unmap() = %v, IPv4 %v; netip: %v, %v", want, got, got.is4, want, want.Is4())
	}
	if ip.is4 && ip.as4() != want.As4() {
		t.Errorf("%v: as4() = %v, want %v", want, ip.as4(), want.As4())
	}
	if got, want := (ipPort{ip, 53}).String(), netip.AddrPortFrom(want, 53).String(); got != want {
		t.Errorf("ipPort String() = %q, want %q", got, want)
	}
}

func TestIPFromSlice(t *testing.T) {
	for _, b := range [][]byte{nil, {127, 0, 0, 1}, {1, 2, 3, 4, 5}, make([]byte, 16), {10: 0xff, 11: 0xff, 12: 1, 15: 4}} {
		ip, ok := ipFromSlice(b)
		want, wantOK := netip.AddrFromSlice(b)
		if ok != wantOK {
			t.Errorf("ipFromSlice(% x) = %v, %v; want %v", b, ip, ok, wantOK)
		} else if ok {
			checkSame(t, ip, want)
		}
	}
	checkSame(t, loopback4, netip.AddrFrom4([4]byte{127, 0, 0, 1}))
	checkSame(t, loopback6, netip.IPv6Loopback())
}

// FuzzParseIP checks ParseIP against netip.ParseAddr on any text.
func FuzzParseIP(f *testing.F) {
	for _, s := range ipCases {
		f.Add(s)
	}
	f.Fuzz(checkIP)
}

// FuzzIPString checks String against netip's for any address of 4 or 16
// bytes, an IPv6 one with any zone, and that ParseIP reads it back.
func FuzzIPString(f *testing.F) {
	f.Add([]byte{192, 0, 2, 1}, "")
	f.Add([]byte{0x20, 0x01, 0x0d, 0xb8, 15: 1}, "eth0")
	f.Add([]byte{10: 0xff, 11: 0xff, 12: 1, 15: 4}, "")
	f.Fuzz(func(t *testing.T, b []byte, zone string) {
		ip, ok := ipFromSlice(b)
		want, _ := netip.AddrFromSlice(b)
		if !ok {
			return
		}
		if !ip.is4 {
			ip.zone, want = zone, want.WithZone(zone)
		}
		checkSame(t, ip, want)
		if back, ok := ParseIP(ip.String()); !ok || back != ip {
			t.Errorf("ParseIP(%q) = %v, %v; want %v", ip, back, ok, ip)
		}
	})
}
