package probe

import (
	"fmt"
	"strings"
)

// SplitHostPort splits "host:port" or "[host]:port" (how an IPv6 address
// is written) into host and port. It accepts exactly what net.SplitHostPort
// accepts, for tinit does not link package net.
func SplitHostPort(hostport string) (host, port string, err error) {
	bad := fmt.Errorf("address %q: want host:port or [host]:port", hostport)
	i := strings.LastIndexByte(hostport, ':')
	if i < 0 {
		return "", "", bad
	}
	host, port = hostport[:i], hostport[i+1:]
	if len(host) >= 2 && host[0] == '[' && host[len(host)-1] == ']' {
		host = host[1 : len(host)-1]
	} else if strings.Contains(host, ":") {
		return "", "", bad
	}
	if strings.ContainsAny(host, "[]") || strings.ContainsAny(port, "[]") {
		return "", "", bad
	}
	return host, port, nil
}

// JoinHostPort is the inverse of SplitHostPort: a host with a colon, an
// IPv6 address, goes in brackets.
func JoinHostPort(host, port string) string {
	if strings.Contains(host, ":") {
		return "[" + host + "]:" + port
	}
	return host + ":" + port
}
