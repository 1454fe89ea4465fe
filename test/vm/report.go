package vm

import (
	"fmt"
	"strings"

	"github.com/tinit/tinit/test/vm/internal/console"
)

// maxLines bounds the transcript kept of one VM.
const maxLines = 200000

// report is what the runner said on the console, line by line.
type report struct {
	Lines     []string // the whole console transcript
	Truncated bool
	Start     *console.Start
	Tests     []*guestTest
	Done      *console.Done
	Errors    []error // marker lines that could not be read or came out of order
}

// guestTest is one test binary's run.
type guestTest struct {
	Name   string
	End    *console.End // nil if it never ended
	Output []string
}

// add reads one console line.
func (r *report) add(line string) {
	line = strings.TrimRight(line, "\r\n")
	if len(r.Lines) < maxLines {
		r.Lines = append(r.Lines, line)
	} else {
		r.Truncated = true
	}
	ev, err := console.Parse(line)
	if err != nil {
		r.Errors = append(r.Errors, err)
		return
	}
	if err := r.event(ev, line); err != nil {
		r.Errors = append(r.Errors, err)
	}
}

func (r *report) event(ev any, line string) error {
	cur := r.current()
	switch e := ev.(type) {
	case nil:
		if cur != nil {
			cur.Output = append(cur.Output, line)
		}
	case console.Start:
		if r.Start != nil {
			return fmt.Errorf("second START: %q", line)
		}
		r.Start = &e
	case console.Begin:
		if cur != nil {
			return fmt.Errorf("BEGIN %s while %s runs", e.Name, cur.Name)
		}
		r.Tests = append(r.Tests, &guestTest{Name: e.Name})
	case console.End:
		if cur == nil || cur.Name != e.Name {
			return fmt.Errorf("END %s without its BEGIN", e.Name)
		}
		cur.End = &e
	case console.Done:
		r.Done = &e
	}
	return nil
}

// current is the test binary that has begun and not ended.
func (r *report) current() *guestTest {
	if n := len(r.Tests); n > 0 && r.Tests[n-1].End == nil {
		return r.Tests[n-1]
	}
	return nil
}

// test returns the run of the named test binary, or nil.
func (r *report) test(name string) *guestTest {
	for _, t := range r.Tests {
		if t.Name == name {
			return t
		}
	}
	return nil
}

// failedTests lists the tests that go test reported as failed in a test
// binary's output ("--- FAIL: TestX (0.00s)"), subtests included, and
// those that were running when -test.timeout panicked the binary.
func failedTests(output []string) []string {
	var names []string
	running := false
	for _, l := range output {
		t := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(t, "--- FAIL: "):
			names = append(names, strings.Fields(t)[2])
		case t == "running tests:":
			running = true
		case running && t != "":
			names = append(names, strings.Fields(t)[0]+" (timed out)")
		default:
			running = false
		}
	}
	return names
}

// summaryLines are the lines of go test -v output that give a test's result.
func summaryLines(output []string) []string {
	var out []string
	for _, l := range output {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "--- ") || t == "PASS" || t == "FAIL" {
			out = append(out, l)
		}
	}
	return out
}
