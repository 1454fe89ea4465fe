package pid1

// SetUp does the rest of a machine's basic setup once MountEarly has
// mounted /proc and /dev: it makes the links of DevLinks that are
// missing, sets the hostname that HostnamePath names, if any, and brings
// the loopback interface up, so that 127.0.0.1 and ::1 take connections
// (the kernel starts a machine with lo down). It returns what it did,
// each as the shell command that does it, and every failure; no failure
// stops a later step, and each step may be done again.
//
// Like MountEarly, call it only as a machine's init (Machine): a
// container's runtime owns its /dev, hostname and network.
func SetUp() (done []string, errs []error) {
	links, errs := makeLinks("/", DevLinks)
	for _, l := range links {
		done = append(done, l.String())
	}
	if name, err := setHostname(HostnamePath); err != nil {
		errs = append(errs, err)
	} else if name != "" {
		done = append(done, "hostname "+name)
	}
	if err := linkUp(loopback); err != nil {
		errs = append(errs, err)
	} else {
		done = append(done, "ip link set "+loopback+" up")
	}
	return done, errs
}
