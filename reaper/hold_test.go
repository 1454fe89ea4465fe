package reaper

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/tinit/tinit/internal/testhelper"
)

func init() { helpers["hold-signals"] = helperHoldSignals }

// TestHoldSignals: a held SIGTERM, which would end a Go program, waits
// while no Reaper runs, is reported by the next Reaper first thing, and
// is held again after Close; a Reaper must take every held signal. Once
// with the main thread in ServeSignals, once with the handler alone.
func TestHoldSignals(t *testing.T) {
	for _, serve := range []bool{true, false} {
		t.Run(map[bool]string{true: "served", false: "handler"}[serve], func(t *testing.T) {
			cmd := exec.Command(self(t))
			cmd.Args = []string{"helper-hold-signals"}
			if serve {
				cmd.Args = []string{"helper-serve-signals", "hold"}
			}
			cmd.Stderr = os.Stderr
			sc := bufio.NewScanner(testhelper.StartPiped(t, cmd))
			lines := make(chan string)
			go func() {
				for sc.Scan() {
					lines <- sc.Text()
				}
				close(lines)
			}()
			for _, step := range []struct{ want, then string }{
				{"held", "SIGTERM"},
				{"reported SIGTERM by itself", ""},
				{"a reaper without SIGTERM: start reaper: signal 15 is held (HoldSignals) but not in Options.Signals", ""},
				{"closed", "SIGTERM"},
				{"held after close", ""},
			} {
				select {
				case got, ok := <-lines:
					if !ok {
						t.Fatalf("helper ended (%v), want %q", cmd.Wait(), step.want)
					}
					if got != step.want {
						t.Fatalf("helper said %q, want %q", got, step.want)
					}
				case <-time.After(20 * time.Second):
					t.Fatalf("helper did not say %q within 20s", step.want)
				}
				if step.then != "" {
					if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
						t.Fatal(err)
					}
				}
			}
			if err := cmd.Wait(); err != nil {
				t.Errorf("helper: %v", err)
			}
		})
	}
}

// helperHoldSignals runs holdScenario with the Go runtime's threads only.
func helperHoldSignals([]string) int { return holdScenario(false) }

// holdScenario is the helper's side of TestHoldSignals; served: the main
// thread is in ServeSignals, where each signal must be taken.
func holdScenario(served bool) int {
	fail := func(err error) int {
		fmt.Fprintln(os.Stderr, "hold-signals:", err)
		return 2
	}
	sigs := []syscall.Signal{syscall.SIGTERM, syscall.SIGUSR1}
	if err := HoldSignals(sigs); err != nil {
		return fail(err)
	}
	if err := HoldSignals(sigs); err == nil || !strings.Contains(err.Error(), "already held") {
		return fail(fmt.Errorf("HoldSignals twice: %v, want already held", err))
	}
	// awaitSIGTERM says line, on which the test sends SIGTERM (once the
	// main thread waits for it, when served), and waits until the
	// handler has marked it.
	awaitSIGTERM := func(line string) error {
		if served {
			if err := testhelper.WaitsInRtSigtimedwait(os.Getpid()); err != nil {
				return err
			}
		}
		fmt.Println(line)
		return waitMarked(syscall.SIGTERM)
	}
	if err := awaitSIGTERM("held"); err != nil {
		return fail(err)
	}
	got := make(chan syscall.Signal, 4)
	r, err := New(Options{Signals: sigs, OnSignal: func(sig syscall.Signal, _ bool) { got <- sig }})
	if err != nil {
		return fail(err)
	}
	// Nothing else wakes the reaper: it must report SIGTERM by itself.
	if sig, err := nextSignal(got); err != nil || sig != syscall.SIGTERM {
		return fail(fmt.Errorf("the reaper reported %v (%v), want SIGTERM, held before it ran", sig, err))
	}
	fmt.Println("reported SIGTERM by itself")
	if err := syscall.Kill(os.Getpid(), syscall.SIGUSR1); err != nil {
		return fail(err)
	}
	if sig, err := nextSignal(got); err != nil || sig != syscall.SIGUSR1 {
		return fail(fmt.Errorf("the reaper reported %v (%v), want SIGUSR1", sig, err))
	}
	if err := r.Close(); err != nil {
		return fail(err)
	}
	_, err = New(Options{Signals: sigs[1:]})
	fmt.Printf("a reaper without SIGTERM: %v\n", err)
	if err := awaitSIGTERM("closed"); err != nil {
		return fail(err)
	}
	fmt.Println("held after close")
	return 0
}

// nextSignal waits, for at most 10 s, for OnSignal's next signal.
func nextSignal(got <-chan syscall.Signal) (syscall.Signal, error) {
	select {
	case sig := <-got:
		return sig, nil
	case <-time.After(10 * time.Second):
		return 0, errors.New("no signal reported within 10s")
	}
}

// waitMarked waits, for at most 10 s, until the handler has marked sig.
func waitMarked(sig syscall.Signal) error {
	deadline := time.Now().Add(10 * time.Second)
	for atomic.LoadUint64(&catchPending)&bit(sig) == 0 {
		if time.Now().After(deadline) {
			return errors.New("no signal marked within 10s")
		}
		time.Sleep(time.Millisecond)
	}
	return nil
}
