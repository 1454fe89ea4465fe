package pid1

import (
	"bufio"
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// mountEntry is one line of /proc/self/mountinfo: what is mounted where.
type mountEntry struct {
	Target string // mount point, unescaped
	FSType string
	Source string // unescaped
}

// parseMountInfo reads the lines of a /proc/PID/mountinfo file (see
// proc_pid_mountinfo(5)), in the kernel's order: a mount comes after the
// mount it sits on.
func parseMountInfo(data []byte) ([]mountEntry, error) {
	var entries []mountEntry
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		e, err := parseMountInfoLine(sc.Text())
		if err != nil {
			return nil, fmt.Errorf("parse mountinfo line %d: %w", n, err)
		}
		entries = append(entries, e)
	}
	return entries, sc.Err()
}

// parseMountInfoLine reads "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw":
// six fields, optional fields ended by "-", then type, source and options.
func parseMountInfoLine(line string) (mountEntry, error) {
	fields := strings.Split(line, " ")
	sep := -1
	for i := 6; i < len(fields); i++ {
		if fields[i] == "-" {
			sep = i
			break
		}
	}
	if sep < 0 || len(fields) < sep+3 {
		return mountEntry{}, fmt.Errorf("%q: want 6 fields, optional fields, \"-\", type and source", line)
	}
	target, err := unescapeOctal(fields[4])
	if err != nil {
		return mountEntry{}, err
	}
	source, err := unescapeOctal(fields[sep+2])
	if err != nil {
		return mountEntry{}, err
	}
	return mountEntry{Target: target, FSType: fields[sep+1], Source: source}, nil
}

// unescapeOctal undoes the kernel's escaping of space, tab, newline and
// backslash as \ooo in mountinfo.
func unescapeOctal(s string) (string, error) {
	if !strings.Contains(s, `\`) {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			b.WriteByte(s[i])
			continue
		}
		if i+4 > len(s) {
			return "", fmt.Errorf("unescape %q: short escape at %d", s, i)
		}
		v, err := strconv.ParseUint(s[i+1:i+4], 8, 8)
		if err != nil {
			return "", fmt.Errorf("unescape %q: bad escape at %d", s, i)
		}
		b.WriteByte(byte(v))
		i += 3
	}
	return b.String(), nil
}
