package cgroup

import (
	"bytes"
	"errors"
	"fmt"
	"path"
	"strconv"
	"strings"
)

// mount is a cgroup2 hierarchy as mounted.
type mount struct {
	point string // where it is mounted, e.g. /sys/fs/cgroup
	root  string // the hierarchy path mounted there: "/" unless a subtree was bind-mounted
}

// mountRank orders the places a cgroup2 hierarchy is looked for: a unified
// hierarchy first, then the hybrid layout of systemd, then anywhere.
func mountRank(point string) int {
	switch point {
	case "/sys/fs/cgroup":
		return 0
	case "/sys/fs/cgroup/unified":
		return 1
	}
	return 2
}

// parseMountinfo finds the cgroup2 mount in /proc/self/mountinfo.
// A line reads: id parent major:minor root point options [tags...] - type source superoptions.
func parseMountinfo(b []byte) (mount, error) {
	best, rank := mount{}, 3
	for line := range bytes.Lines(b) {
		f := strings.Fields(string(line))
		sep := indexOf(f, "-")
		if sep < 6 || sep+1 >= len(f) || f[sep+1] != "cgroup2" {
			continue
		}
		m := mount{point: unescapeOctal(f[4]), root: unescapeOctal(f[3])}
		if r := mountRank(m.point); r < rank {
			best, rank = m, r
		}
	}
	if rank == 3 {
		return mount{}, errors.New("no cgroup2 file system mounted")
	}
	return best, nil
}

func indexOf(f []string, s string) int {
	for i, x := range f {
		if x == s {
			return i
		}
	}
	return -1
}

// unescapeOctal undoes the \ooo escapes mountinfo uses for space, tab,
// newline and backslash.
func unescapeOctal(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+4 <= len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// parseProcCgroup returns the cgroup v2 path in /proc/PID/cgroup: the
// line "0::/path" (v1 hierarchies have other numbers).
func parseProcCgroup(b []byte) (string, error) {
	for line := range bytes.Lines(b) {
		rest, ok := strings.CutPrefix(strings.TrimSuffix(string(line), "\n"), "0::")
		if ok {
			if !strings.HasPrefix(rest, "/") {
				return "", fmt.Errorf("cgroup v2 path %q is not absolute", rest)
			}
			return rest, nil
		}
	}
	return "", errors.New("no cgroup v2 entry (0::/path)")
}

// dirOf returns the directory of cgroup p, a path in the hierarchy, under
// mount m.
func dirOf(m mount, p string) (string, error) {
	rel, ok := strings.CutPrefix(path.Clean(p), m.root)
	if m.root == "/" {
		rel, ok = path.Clean(p), true
	}
	if !ok || rel != "" && rel[0] != '/' {
		return "", fmt.Errorf("cgroup %q is outside the hierarchy mounted at %q (root %q)", p, m.point, m.root)
	}
	return path.Join(m.point, rel), nil
}
