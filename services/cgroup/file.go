package cgroup

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
)

// writeFile writes value to an existing interface file with one write, as
// the kernel wants. The error names the value and the file.
func writeFile(path, value string) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err == nil {
		_, err = f.WriteString(value)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // it repeats the path
		}
		return fmt.Errorf("write %q to %q: %w", value, path, err)
	}
	return nil
}

// readPids reads a cgroup.procs file.
func readPids(path string) ([]int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parsePids(b)
}

func parsePids(b []byte) ([]int, error) {
	var pids []int
	for _, f := range bytes.Fields(b) {
		pid, err := strconv.Atoi(string(f))
		if err != nil || pid <= 0 {
			return nil, fmt.Errorf("parse pid %q", f)
		}
		pids = append(pids, pid)
	}
	return pids, nil
}

// events is the content of cgroup.events.
type events struct {
	populated bool // the group or a descendant has a live process
	frozen    bool
}

func parseEvents(b []byte) (events, error) {
	var ev events
	seen := false
	for line := range bytes.Lines(b) {
		key, value, ok := strings.Cut(strings.TrimSpace(string(line)), " ")
		if !ok || (value != "0" && value != "1") {
			return events{}, fmt.Errorf("parse cgroup.events line %q", line)
		}
		switch key {
		case "populated":
			ev.populated, seen = value == "1", true
		case "frozen":
			ev.frozen = value == "1"
		}
	}
	if !seen {
		return events{}, errors.New("parse cgroup.events: no populated line")
	}
	return ev, nil
}

func readEvents(path string) (events, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return events{}, err
	}
	ev, err := parseEvents(b)
	if err != nil {
		return events{}, fmt.Errorf("read %q: %w", path, err)
	}
	return ev, nil
}

// controllers reads a space-separated controller list file.
func controllers(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return strings.Fields(string(b)), nil
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}
