package pid1

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// setHostname sets the hostname to the name the file at path gives
// (parseHostname) and returns it; it returns "" and does nothing when
// the file is missing or names no host. The name replaces whatever the
// kernel set: its default "(none)" (CONFIG_DEFAULT_HOSTNAME), or a name
// from ip= autoconfiguration.
func setHostname(path string) (string, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	} else if err != nil {
		return "", fmt.Errorf("set hostname: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxHostnameFile))
	if err != nil {
		return "", fmt.Errorf("set hostname: %w", err)
	}
	name, err := parseHostname(data)
	if err != nil {
		return "", fmt.Errorf("set hostname from %q: %w", path, err)
	}
	if name == "" {
		return "", nil
	}
	if err := unix.Sethostname([]byte(name)); err != nil {
		return "", fmt.Errorf("set hostname %q: %w", name, os.NewSyscallError("sethostname", err))
	}
	return name, nil
}
