package probe

import (
	"net"
	"testing"
)

// addrCases are accepted and rejected forms; their results must be those
// of package net, which tinit no longer links.
var addrCases = []string{
	"127.0.0.1:8080", "db:5432", "[::1]:80", "[fe80::1%eth0]:80", ":80", "[]:80", "db:",
	"localhost", "[::1]", "::1:80", "[::1]80", "[::1]:80]", "[[::1]]:80", "a[b:80", "a]b:80",
	"[::1]:[80]", "[a]b]:80", "[a:80", "a:b:c", "", ":", "[:", "[]:",
}

func TestSplitHostPort(t *testing.T) {
	for _, in := range addrCases {
		host, port, err := SplitHostPort(in)
		wantHost, wantPort, wantErr := net.SplitHostPort(in)
		if host != wantHost || port != wantPort || (err == nil) != (wantErr == nil) {
			t.Errorf("SplitHostPort(%q) = %q, %q, %v; want %q, %q, %v", in, host, port, err, wantHost, wantPort, wantErr)
		}
	}
}

func TestJoinHostPort(t *testing.T) {
	for _, tt := range []struct{ host, port, want string }{
		{"127.0.0.1", "80", "127.0.0.1:80"},
		{"::1", "80", "[::1]:80"},
		{"fe80::1%eth0", "80", "[fe80::1%eth0]:80"},
		{"db", "5432", "db:5432"},
	} {
		if got := JoinHostPort(tt.host, tt.port); got != tt.want || got != net.JoinHostPort(tt.host, tt.port) {
			t.Errorf("JoinHostPort(%q, %q) = %q, want %q", tt.host, tt.port, got, tt.want)
		}
	}
}

// FuzzSplitHostPort checks that SplitHostPort accepts, rejects and splits
// exactly as net.SplitHostPort does, and that JoinHostPort undoes it.
func FuzzSplitHostPort(f *testing.F) {
	for _, s := range addrCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		host, port, err := SplitHostPort(in)
		wantHost, wantPort, wantErr := net.SplitHostPort(in)
		if host != wantHost || port != wantPort || (err == nil) != (wantErr == nil) {
			t.Fatalf("SplitHostPort(%q) = %q, %q, %v; want %q, %q, %v", in, host, port, err, wantHost, wantPort, wantErr)
		}
		if err != nil {
			return
		}
		if h, p, err := SplitHostPort(JoinHostPort(host, port)); h != host || p != port || err != nil {
			t.Fatalf("%q -> %q, %q -> %q -> %q, %q, %v", in, host, port, JoinHostPort(host, port), h, p, err)
		}
	})
}
