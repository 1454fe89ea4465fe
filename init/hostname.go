package pid1

import (
	"fmt"
	"strings"
)

// HostnamePath is the file that names a machine's host, as systemd and
// busybox's hostname -F read it; tinit-image puts it in an image from a
// manifest's text entry or --file.
const HostnamePath = "/etc/hostname"

// maxHostname is the kernel's HOST_NAME_MAX: sethostname refuses more.
const maxHostname = 64

// maxHostnameFile bounds how much of HostnamePath is read.
const maxHostnameFile = 4096

// parseHostname returns the host name that the text of HostnamePath
// gives: its first line that is neither blank nor a comment (# first),
// without the space around it; "" when every line is one of those. A
// name is 1 to 64 letters, digits, '-' and '.', and does not start with
// '-' or '.' (RFC 1123); anything else is an error, not a name to guess.
func parseHostname(data []byte) (string, error) {
	for rest := string(data); rest != ""; {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		name := strings.TrimSpace(line)
		if name == "" || name[0] == '#' {
			continue
		}
		if err := checkHostname(name); err != nil {
			return "", err
		}
		return name, nil
	}
	return "", nil
}

// checkHostname says why name is not a host name, or nil.
func checkHostname(name string) error {
	if len(name) > maxHostname {
		return fmt.Errorf("host name %.16q... is %d bytes long, more than %d", name, len(name), maxHostname)
	}
	if name[0] == '-' || name[0] == '.' {
		return fmt.Errorf("host name %q: starts with %q", name, name[0])
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.') {
			return fmt.Errorf("host name %q: %q is not a letter, digit, '-' or '.'", name, c)
		}
	}
	return nil
}
