// Package console is the line protocol between the guest runner and the host
// harness of the VM tests. The runner writes marker lines on the serial
// console around the output of the test binaries it runs; the harness finds
// them in the console transcript, among kernel messages.
//
// It only formats and parses lines; it never reads a device or starts a
// process.
package console

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Marker starts every protocol line.
const Marker = "TINIT-VM"

// Start is the runner's first line: where it runs and when it started.
type Start struct {
	Kernel  string  // label of the kernel in the matrix
	Release string  // the guest's uname -r
	Tier    string  // what tinit must find: autoreap or pidfd
	Uptime  float64 // guest clock at the runner's start, seconds; -1 unknown
	Tests   int     // how many test binaries follow
}

// Begin says that a test binary starts; its output follows.
type Begin struct{ Name string }

// End says that a test binary ended.
type End struct {
	Name    string
	Exit    int
	Seconds float64
}

// Done is the runner's last line.
type Done struct{ Exit, Passed, Failed int }

func (s Start) String() string {
	return fmt.Sprintf("%s START kernel=%s release=%s tier=%s uptime=%s tests=%d",
		Marker, s.Kernel, s.Release, s.Tier, formatSeconds(s.Uptime), s.Tests)
}

func (b Begin) String() string { return fmt.Sprintf("%s BEGIN %s", Marker, b.Name) }

func (e End) String() string {
	return fmt.Sprintf("%s END %s exit=%d seconds=%s", Marker, e.Name, e.Exit, formatSeconds(e.Seconds))
}

func (d Done) String() string {
	return fmt.Sprintf("%s DONE exit=%d passed=%d failed=%d", Marker, d.Exit, d.Passed, d.Failed)
}

func formatSeconds(s float64) string {
	if s < 0 {
		return "unknown"
	}
	return strconv.FormatFloat(s, 'f', 2, 64)
}

// Parse finds a protocol line in a console line. It returns nil, nil for a
// line without the marker, and an error for a marker line it cannot read.
// Text before the marker (a kernel message that the console interleaved) is
// ignored.
func Parse(line string) (any, error) {
	i := strings.Index(line, Marker+" ")
	if i < 0 {
		return nil, nil
	}
	fields := strings.Fields(line[i+len(Marker):])
	if len(fields) == 0 {
		return nil, fmt.Errorf("parse %q: no verb", line)
	}
	ev, err := parseFields(fields[0], fields[1:])
	if err != nil {
		return nil, fmt.Errorf("parse %q: %w", line, err)
	}
	return ev, nil
}

func parseFields(verb string, args []string) (any, error) {
	switch verb {
	case "START":
		return parseStart(args)
	case "BEGIN":
		if len(args) != 1 {
			return nil, errors.New("BEGIN: want a name")
		}
		return Begin{Name: args[0]}, nil
	case "END":
		return parseEnd(args)
	case "DONE":
		return parseDone(args)
	}
	return nil, fmt.Errorf("unknown verb %q", verb)
}

func parseStart(args []string) (Start, error) {
	kv, err := keyValues(args, "kernel", "release", "tier", "uptime", "tests")
	if err != nil {
		return Start{}, fmt.Errorf("START: %w", err)
	}
	s := Start{Kernel: kv["kernel"], Release: kv["release"], Tier: kv["tier"]}
	if s.Uptime, err = parseSeconds(kv["uptime"]); err != nil {
		return Start{}, fmt.Errorf("START: uptime: %w", err)
	}
	if s.Tests, err = strconv.Atoi(kv["tests"]); err != nil {
		return Start{}, fmt.Errorf("START: tests: %w", err)
	}
	return s, nil
}

func parseEnd(args []string) (End, error) {
	if len(args) == 0 {
		return End{}, errors.New("END: want a name")
	}
	kv, err := keyValues(args[1:], "exit", "seconds")
	if err != nil {
		return End{}, fmt.Errorf("END: %w", err)
	}
	e := End{Name: args[0]}
	if e.Exit, err = strconv.Atoi(kv["exit"]); err != nil {
		return End{}, fmt.Errorf("END: exit: %w", err)
	}
	if e.Seconds, err = parseSeconds(kv["seconds"]); err != nil {
		return End{}, fmt.Errorf("END: seconds: %w", err)
	}
	return e, nil
}

func parseDone(args []string) (Done, error) {
	kv, err := keyValues(args, "exit", "passed", "failed")
	if err != nil {
		return Done{}, fmt.Errorf("DONE: %w", err)
	}
	var d Done
	for _, f := range []struct {
		key string
		dst *int
	}{{"exit", &d.Exit}, {"passed", &d.Passed}, {"failed", &d.Failed}} {
		if *f.dst, err = strconv.Atoi(kv[f.key]); err != nil {
			return Done{}, fmt.Errorf("DONE: %s: %w", f.key, err)
		}
	}
	return d, nil
}

// keyValues reads exactly the keys given, in that order, as key=value.
func keyValues(args []string, keys ...string) (map[string]string, error) {
	if len(args) != len(keys) {
		return nil, fmt.Errorf("got %d fields, want %s", len(args), strings.Join(keys, "= ")+"=")
	}
	kv := make(map[string]string, len(keys))
	for i, k := range keys {
		v, ok := strings.CutPrefix(args[i], k+"=")
		if !ok {
			return nil, fmt.Errorf("field %d: got %q, want %s=", i+1, args[i], k)
		}
		kv[k] = v
	}
	return kv, nil
}

func parseSeconds(s string) (float64, error) {
	if s == "unknown" {
		return -1, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err == nil && (v < 0 || math.IsNaN(v) || math.IsInf(v, 0)) {
		err = fmt.Errorf("%q is not a duration in seconds", s)
	}
	return v, err
}
