package probe

import (
	"errors"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"time"
)

// resolvConfPath configures DNS, and nameservers listen on dnsPort; tests
// point both elsewhere.
var (
	resolvConfPath        = "/etc/resolv.conf"
	dnsPort        uint16 = 53
)

// resolvConf is what resolv.conf(5) says about DNS, with glibc's defaults
// and limits.
type resolvConf struct {
	servers  []ipPort
	search   []string // domains, without dots at either end
	ndots    int
	timeout  time.Duration // for one query to one server
	attempts int           // rounds over the servers
}

// glibc's limits (resolv.conf(5)); entries past them are ignored.
const (
	maxServers  = 3
	maxSearch   = 6
	maxNdots    = 15
	maxTimeout  = 30 // seconds
	maxAttempts = 5
)

// readResolvConf reads resolvConfPath; a missing file means the defaults.
func readResolvConf() (*resolvConf, error) {
	b, err := os.ReadFile(resolvConfPath)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	return parseResolvConf(string(b)), nil
}

// parseResolvConf reads the nameserver, search, domain and options lines
// of resolv.conf text. The last search or domain line wins, as in glibc;
// with no nameserver line, the server is 127.0.0.1.
func parseResolvConf(text string) *resolvConf {
	c := &resolvConf{ndots: 1, timeout: 5 * time.Second, attempts: 2}
	for line := range strings.Lines(text) {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		switch f[0] {
		case "nameserver":
			if ip, ok := ParseIP(f[1]); ok && len(c.servers) < maxServers {
				c.servers = append(c.servers, ipPort{ip, dnsPort})
			}
		case "domain", "search":
			c.search = c.search[:0]
			for _, d := range f[1:] {
				if d = strings.Trim(d, "."); d != "" && len(c.search) < maxSearch {
					c.search = append(c.search, d)
				}
			}
		case "options":
			for _, o := range f[1:] {
				c.option(o)
			}
		}
	}
	if len(c.servers) == 0 {
		c.servers = []ipPort{{loopback4, dnsPort}}
	}
	return c
}

// option applies one "options" entry. The others (rotate, edns0, ...)
// do not change what a probe asks.
func (c *resolvConf) option(o string) {
	name, value, _ := strings.Cut(o, ":")
	n, err := strconv.Atoi(value)
	if err != nil || n < 0 {
		return
	}
	switch name {
	case "ndots":
		c.ndots = min(n, maxNdots)
	case "timeout":
		c.timeout = time.Duration(min(max(n, 1), maxTimeout)) * time.Second
	case "attempts":
		c.attempts = min(max(n, 1), maxAttempts)
	}
}

// names returns the absolute names to ask for host, in order. A name with
// a trailing dot is asked as it is; a name with at least ndots dots as it
// is, then in each search domain; a shorter one in each search domain
// first, then as it is.
func (c *resolvConf) names(host string) []string {
	if strings.HasSuffix(host, ".") {
		return []string{host}
	}
	var names []string
	for _, d := range c.search {
		names = append(names, host+"."+d+".")
	}
	if strings.Count(host, ".") >= c.ndots {
		return append([]string{host + "."}, names...)
	}
	return append(names, host+".")
}
