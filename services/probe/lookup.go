package probe

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
)

// hostsPath is the hosts file, consulted before DNS; tests point it
// elsewhere.
var hostsPath = "/etc/hosts"

// lookup returns the addresses of host, an IP address or a name, the way
// glibc and Go do with "hosts: files dns": the hosts file first; then
// localhost and its subdomains are loopback (RFC 6761); then DNS.
func lookup(ctx context.Context, host string) ([]IP, error) {
	if ip, ok := ParseIP(host); ok {
		return []IP{ip}, nil
	}
	if host == "" {
		return nil, errors.New("no host")
	}
	ips, err := lookupHosts(host)
	if err != nil || len(ips) > 0 {
		return ips, err
	}
	if isLocalhost(host) {
		return []IP{loopback4, loopback6}, nil
	}
	return lookupDNS(ctx, host)
}

// lookupHosts returns the addresses the hosts file gives name; a missing
// file gives none.
func lookupHosts(name string) ([]IP, error) {
	b, err := os.ReadFile(hostsPath)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("lookup %q: %w", name, err)
	}
	return hostsAddrs(string(b), name), nil
}

// hostsAddrs reads hosts(5) text, lines of "address name alias..." where
// '#' starts a comment, and returns, in order, the addresses of the lines
// that list name. Names match regardless of case and of a trailing dot.
func hostsAddrs(text, name string) []IP {
	name = strings.TrimSuffix(name, ".")
	matches := func(n string) bool { return strings.EqualFold(strings.TrimSuffix(n, "."), name) }
	var addrs []IP
	for line := range strings.Lines(text) {
		line, _, _ = strings.Cut(line, "#")
		f := strings.Fields(line)
		if len(f) < 2 || !slices.ContainsFunc(f[1:], matches) {
			continue
		}
		if ip, ok := ParseIP(f[0]); ok {
			addrs = append(addrs, ip)
		}
	}
	return addrs
}

// isLocalhost reports whether name is localhost or one of its subdomains.
func isLocalhost(name string) bool {
	name = strings.ToLower(strings.TrimSuffix(name, "."))
	return name == "localhost" || strings.HasSuffix(name, ".localhost")
}
