package reaper

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/tinit/tinit/internal/testhelper"
)

// The helper "serve-signals" needs the main thread for ServeSignals: its
// main goroutine, which runs TestMain and the helper, must stay there.
func init() {
	helpers["serve-signals"] = helperServeSignals
	if filepath.Base(os.Args[0]) == "helper-serve-signals" {
		runtime.LockOSThread()
	}
}

// TestServeSignals: with ServeSignals, the main thread waits for the
// caught signals in rt_sigtimedwait and forwards a relayed one from there
// (OnSignal hears it was forwarded); once the reaper has closed, a signal
// the main thread took while still waiting goes back to the Go runtime
// (os/signal gets it).
func TestServeSignals(t *testing.T) {
	cmd := exec.Command(self(t))
	cmd.Args = []string{"helper-serve-signals"}
	cmd.Stderr = os.Stderr
	out := testhelper.StartPiped(t, cmd)
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	expect := func(want string) {
		t.Helper()
		select {
		case got := <-lines:
			if got != want {
				t.Fatalf("helper said %q, want %q", got, want)
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("helper did not say %q within 20s", want)
		}
	}
	send := func(sig syscall.Signal) {
		t.Helper()
		if err := cmd.Process.Signal(sig); err != nil {
			t.Fatal(err)
		}
	}
	expect("waiting")
	send(syscall.SIGUSR1)
	expect("child killed by SIGUSR1; OnSignal(SIGUSR1, forwarded true)")
	expect("waiting")
	expect("closed, still waiting")
	send(syscall.SIGUSR2)
	expect("os/signal got SIGUSR2")
}

// helperServeSignals runs serveScenario, or with "hold" holdScenario,
// beside ServeSignals.
func helperServeSignals(args []string) int {
	scenario := serveScenario
	if len(args) > 0 && args[0] == "hold" {
		scenario = func() int { return holdScenario(true) }
	}
	go func() { testhelper.ExitHelper(scenario()) }()
	err := ServeSignals()
	fmt.Fprintln(os.Stderr, err)
	return 2
}

// serveScenario is the helper's side of TestServeSignals; what it says,
// it says on stdout.
func serveScenario() int {
	fail := func(err error) int {
		fmt.Fprintln(os.Stderr, "serve-signals:", err)
		return 2
	}
	got := make(chan caught, 4)
	r, err := New(Options{
		Signals:  []syscall.Signal{syscall.SIGUSR1, syscall.SIGUSR2},
		OnSignal: func(sig syscall.Signal, forwarded bool) { got <- caught{sig, forwarded} },
	})
	if err != nil {
		return fail(err)
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		return fail(err)
	}
	p, err := r.Start(&Spec{Path: "/proc/self/exe", Args: []string{"helper-killable"}, Stdout: pw})
	pw.Close()
	if err != nil {
		return fail(err)
	}
	if line, _ := bufio.NewReader(pr).ReadString('\n'); line != "ready\n" {
		return fail(fmt.Errorf("child said %q, want ready", line))
	}
	if err := r.Relay(p, func(sig syscall.Signal) (syscall.Signal, bool) { return sig, false }); err != nil {
		return fail(err)
	}
	if err := testhelper.WaitsInRtSigtimedwait(os.Getpid()); err != nil {
		return fail(err)
	}
	fmt.Println("waiting")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	e, err := p.Wait(ctx)
	if err != nil {
		return fail(err)
	}
	c := <-got
	fmt.Printf("child killed by %s; OnSignal(%s, forwarded %v)\n", unix.SignalName(e.Signal), unix.SignalName(c.sig), c.forwarded)
	if err := testhelper.WaitsInRtSigtimedwait(os.Getpid()); err != nil {
		return fail(err)
	}
	fmt.Println("waiting")
	p.Close()
	if err := r.Close(); err != nil {
		return fail(err)
	}
	back := make(chan os.Signal, 1)
	signal.Notify(back, syscall.SIGUSR2)
	if err := testhelper.WaitsInRtSigtimedwait(os.Getpid()); err != nil {
		return fail(err)
	}
	fmt.Println("closed, still waiting")
	select {
	case s := <-back:
		fmt.Printf("os/signal got %s\n", unix.SignalName(s.(syscall.Signal)))
	case <-time.After(10 * time.Second):
		return fail(errors.New("os/signal got no SIGUSR2 within 10s"))
	}
	return 0
}
