// Package probe checks, without starting a process, whether a service is
// ready or healthy: a TCP connection it accepts, an HTTP status it
// answers, and Poll to retry either until it succeeds or time runs out.
//
// Every probe is bounded by its context; none reads more than it needs
// (an HTTP probe reads the status line only, then closes the connection).
// HTTP probes never reuse connections, never use a proxy from the
// environment and never follow redirects: they test the service itself.
//
// A host is an IP address (an IPv6 one may name its zone, "fe80::1%eth0")
// or a name, resolved as glibc and Go do with "hosts: files dns": the
// lines of /etc/hosts that list it, in file order; else, for localhost
// and its subdomains, 127.0.0.1 and ::1; else DNS. DNS follows
// /etc/resolv.conf (nameserver, search, domain, and the options ndots,
// timeout and attempts, with glibc's defaults and limits): it asks for A,
// then AAAA records, over UDP and over TCP when an answer is truncated,
// trying the search list's names in the usual order; a name that does not
// exist moves on to the next, a server that fails ends the lookup. The
// addresses are dialed in that order until one connects. Files are read
// at every probe, so changes apply at once; nothing is cached.
//
// The package never imports net: its resolver alone would add about
// 400 KB to tinit. Sockets are made with x/sys/unix and waited on in Go's
// netpoller through os.File, so a probe holds no thread while it waits.
// Nor does it import net/netip or net/url (about 90 KB together): IP and
// URL parse the little a probe needs, as those packages do.
//
// Command probes need processes and belong to the supervisor, which starts
// them through the reaper. This package never logs and imports no other
// tinit package.
package probe
