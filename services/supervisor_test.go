package services

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

// before checks that move a comes before move b in the log.
func before(t *testing.T, h *harness, a, b string) {
	t.Helper()
	moves := h.log.moves()
	i, j := slices.Index(moves, a), slices.Index(moves, b)
	if i < 0 || j < 0 || i > j {
		t.Errorf("want %q before %q; moves:\n%s", a, b, strings.Join(moves, "\n"))
	}
}

func TestStartOrderAndShutdownOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := parseConfig(t, `
[service.a]
type = "notify"
command = ["/t/a"]
[service.b]
command = ["/t/b"]
requires = ["a"]
[service.c]
type = "notify"
command = ["/t/c"]
after = ["a"]
[service.d]
type = "oneshot"
command = ["/t/d"]
requires = ["b", "c"]
main = true
`)
		fs := newFakeSpawner()
		fs.behave["/t/d"] = exitsAfter(time.Second, ExitStatus{})
		h := newHarness(t, cfg, fs).start()
		if got := h.states(); got != "a=starting b=waiting c=waiting d=waiting" {
			t.Fatalf("at start: %s", got)
		}
		h.notify(fs.last(t, "a").pid, "READY=1")
		// b and c start together, in the same instant, once a is ready.
		b, c := fs.last(t, "b"), fs.last(t, "c")
		if !b.started.Equal(c.started) {
			t.Errorf("b started at %v, c at %v: want the same wave", b.started, c.started)
		}
		if got := h.states(); got != "a=ready b=ready c=starting d=waiting" {
			t.Fatalf("after a is ready: %s", got)
		}
		time.Sleep(30 * time.Second) // c takes its time (ready_timeout is 60s): d must wait
		if got := h.state("d"); got != StateWaiting {
			t.Fatalf("d is %v before c is ready", got)
		}
		h.notify(c.pid, "READY=1")
		res := h.wait()
		if res.Code != 0 || res.Reason != ShutdownMain {
			t.Errorf("got code %d reason %v, want 0, main service ended", res.Code, res.Reason)
		}
		before(t, h, "b: ready -> stopping", "a: ready -> stopping")
		before(t, h, "c: ready -> stopping", "a: ready -> stopping")
		before(t, h, "b: stopping -> stopped", "a: ready -> stopping")
		before(t, h, "c: stopping -> stopped", "a: ready -> stopping")
		if len(fs.running()) != 0 {
			t.Errorf("still running: %v", fs.running())
		}
	})
}

// TestUniqueAbstract: two tinits with the same pid (each PID 1 of its
// own PID namespace, in one network namespace) get different notify
// addresses.
func TestUniqueAbstract(t *testing.T) {
	prefix := fmt.Sprintf("@tinit/notify/%d-", os.Getpid())
	seen := map[string]bool{}
	for range 100 {
		a := uniqueAbstract()
		if !strings.HasPrefix(a, prefix) || len(a) != len(prefix)+12 {
			t.Fatalf("address %q: want %s and 12 hex digits", a, prefix)
		}
		if seen[a] {
			t.Fatalf("address %q made twice", a)
		}
		seen[a] = true
	}
}
