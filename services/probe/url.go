package probe

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// URL is a URL split into what an HTTP probe needs: for
// "http://host:port/path?query", where to connect and what to ask for.
// tinit does not link net/url, which is some 30 KB of binary.
type URL struct {
	Scheme      string // in lower case
	Host        string // "host" or "host:port", an IPv6 address in brackets; "" if none
	HasUser     bool   // whether user information ("user@") comes before the host
	HasFragment bool   // whether a fragment ("#top") ends the URL
	hostname    string // Host without its port and brackets
	port        string // digits, or ""
	target      string // the path and query, as written
}

// Bytes that parts of a URL hold as they are (RFC 3986 appendix A),
// besides letters and digits; user information, paths and queries may
// hold any byte percent-encoded.
const (
	unreserved = "-._~"
	subDelims  = "!$&'()*+,;="
	hostBytes  = unreserved + subDelims
	userBytes  = unreserved + subDelims + ":@"
	// targetBytes, of a path and query, has '[' and ']' too: net/url and
	// browsers keep them as they are.
	targetBytes = unreserved + subDelims + ":@/?[]"
)

// ParseURL splits raw, a URL such as "http://host:port/path?query". It
// accepts a URL only if net/url.Parse does, and splits it the same way.
// A URL without a host ("mailto:x", "/path") is no error: its Host is "".
//
// Where net/url would escape the path, or keep a query that no HTTP
// request line can hold ("?a b"), ParseURL refuses the URL and names the
// character to percent-encode, so that a probe asks for the very path
// and query that were written.
func ParseURL(raw string) (URL, error) {
	bad := fmt.Errorf("invalid URL %q", raw)
	s, frag, _ := strings.Cut(raw, "#")
	if !validEscapes(frag) {
		return URL{}, bad
	}
	u := URL{HasFragment: frag != ""}
	scheme, rest, ok := strings.Cut(s, ":")
	if ok && isScheme(scheme) {
		u.Scheme = strings.ToLower(scheme)
	} else {
		rest = s // a relative URL, such as "/path"
		if colonInFirstSegment(rest) {
			return URL{}, bad
		}
	}
	if authority, ok := strings.CutPrefix(rest, "//"); ok {
		end := strings.IndexAny(authority, "/?")
		if end < 0 {
			end = len(authority)
		}
		if !u.parseAuthority(authority[:end]) {
			return URL{}, bad
		}
		rest = authority[end:]
	}
	if why := checkEscaped(rest, targetBytes); why != "" {
		return URL{}, fmt.Errorf("invalid URL %q: %s", raw, why)
	}
	u.target = rest
	return u, nil
}

// isScheme reports whether s is a scheme: a letter, then letters, digits,
// '+', '-' or '.'.
func isScheme(s string) bool {
	return s != "" && isLetter(s[0]) && allBytes(s, "+-.")
}

// colonInFirstSegment reports whether a relative URL's path starts with
// a segment that holds a colon, which RFC 3986 (4.2) forbids lest it
// read as a scheme: "127.0.0.1:80/x".
func colonInFirstSegment(s string) bool {
	path, _, _ := strings.Cut(s, "?")
	first, _, _ := strings.Cut(path, "/")
	return strings.Contains(first, ":")
}

// parseAuthority reads "user@host:port" into u and reports whether it is
// valid. The host is a name, an IPv4 address, or an IPv6 address in
// brackets, whose zone follows "%25", an escaped '%' (RFC 6874). A port
// follows the first colon after the host.
func (u *URL) parseAuthority(a string) bool {
	if i := strings.LastIndexByte(a, '@'); i >= 0 {
		if checkEscaped(a[:i], userBytes) != "" {
			return false
		}
		u.HasUser, a = true, a[i+1:]
	}
	host, port := a, ""
	if literal, ok := strings.CutPrefix(a, "["); ok {
		end := strings.LastIndexByte(literal, ']')
		if end < 0 {
			return false
		}
		addr, zone, hasZone := strings.Cut(literal[:end], "%25")
		host, port = addr, literal[end+1:]
		if hasZone {
			host += "%" + zone
		}
		ip, ok := ParseIP(host)
		if !ok || ip.is4 || strings.Contains(addr, "%") || !isHostName(zone) {
			return false
		}
		u.Host = "[" + host + "]" + port
	} else {
		if i := strings.IndexByte(a, ':'); i >= 0 {
			host, port = a[:i], a[i:]
		}
		if !isHostName(host) {
			return false
		}
		u.Host = a
	}
	if port != "" && (port[0] != ':' || !isDigits(port[1:])) {
		return false
	}
	u.hostname, u.port = host, strings.TrimPrefix(port, ":")
	return true
}

// isHostName reports whether s holds only bytes a host name or zone may
// hold as they are. A host that is not ASCII is refused: tinit's probes
// resolve no international names.
func isHostName(s string) bool { return allBytes(s, hostBytes) }

// checkEscaped returns why s, a part of a URL, cannot be sent as it is
// written, or "": s may hold letters, digits, the bytes of set, and
// percent-escapes.
func checkEscaped(s, set string) string {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '%':
			if esc := s[i:min(i+3, len(s))]; !validEscapes(esc) {
				return fmt.Sprintf(`%q is not a percent-escape (write "%%" as %%25)`, esc)
			}
			i += 2
		case !isURLByte(c, set):
			_, n := utf8.DecodeRuneInString(s[i:])
			char := s[i : i+n]
			return fmt.Sprintf("percent-encode %q as %s", char, percentEncode(char))
		}
	}
	return ""
}

// validEscapes reports whether every '%' in s starts a percent-escape:
// '%' and two hex digits.
func validEscapes(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			continue
		}
		if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
			return false
		}
		i += 2
	}
	return true
}

// percentEncode returns each byte of s as '%' and two hex digits.
func percentEncode(s string) string {
	var b []byte
	for i := range len(s) {
		b = fmt.Appendf(b, "%%%02X", s[i])
	}
	return string(b)
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isHex(c byte) bool { return isDigit(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

func isDigits(s string) bool { return strings.TrimLeft(s, "0123456789") == "" }

// isURLByte reports whether c is an ASCII letter or digit, or in set.
func isURLByte(c byte, set string) bool {
	return isLetter(c) || isDigit(c) || strings.IndexByte(set, c) >= 0
}

// allBytes reports whether every byte of s is an ASCII letter or digit,
// or in set.
func allBytes(s, set string) bool {
	for i := range len(s) {
		if !isURLByte(s[i], set) {
			return false
		}
	}
	return true
}

// Hostname returns the host without its port, and an IPv6 address
// without its brackets, its zone after '%' ("fe80::1%eth0").
func (u URL) Hostname() string { return u.hostname }

// Port returns the port, or "" if the URL gives none (or an empty one,
// as in "http://host:/").
func (u URL) Port() string { return u.port }

// requestTarget is what a GET for u asks for: the path, "/" if empty,
// and the query.
func (u URL) requestTarget() string {
	if !strings.HasPrefix(u.target, "/") {
		return "/" + u.target
	}
	return u.target
}

// String returns the URL a probe asks for, "scheme://host/path?query",
// as net/url writes it: with "/" for an empty path, no user or fragment,
// and the '%' before a zone escaped.
func (u URL) String() string {
	return u.Scheme + "://" + strings.Replace(u.Host, "%", "%25", 1) + u.requestTarget()
}
