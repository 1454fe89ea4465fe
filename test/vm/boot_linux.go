package vm

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// vmRun is one boot of QEMU.
type vmRun struct {
	Qemu        string
	Args        []string
	BootTimeout time.Duration // until the runner's START line; 0: no runner, no limit
	Timeout     time.Duration // until QEMU exits
}

// vmResult is how a boot went.
type vmResult struct {
	report
	Stderr string        // QEMU's own messages
	Killed string        // why the harness killed QEMU; empty if QEMU ended by itself
	Err    error         // QEMU's exit status
	Wall   time.Duration // host time from start to exit
}

// runVM starts QEMU in its own process group, reads the console until QEMU
// exits, and kills the group when a deadline passes or ctx ends.
func runVM(ctx context.Context, r vmRun) vmResult {
	var res vmResult
	var stderr bytes.Buffer
	cmd := exec.Command(r.Qemu, r.Args...)
	cmd.Stderr = &stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	out, err := cmd.StdoutPipe()
	if err != nil {
		res.Err = err
		return res
	}
	begin := time.Now()
	if err := cmd.Start(); err != nil {
		res.Err = fmt.Errorf("start %s: %w", r.Qemu, err)
		return res
	}
	k := &killer{pid: cmd.Process.Pid}
	bootDone := make(chan struct{})
	stops := []func() bool{
		time.AfterFunc(r.Timeout, func() { k.kill(fmt.Sprintf("still running after %v", r.Timeout)) }).Stop,
		context.AfterFunc(ctx, func() { k.kill("the test ended: " + context.Cause(ctx).Error()) }),
	}
	if r.BootTimeout > 0 {
		stops = append(stops, time.AfterFunc(r.BootTimeout, func() {
			select {
			case <-bootDone:
			default:
				k.kill(fmt.Sprintf("no runner START after %v: the kernel did not boot, or tinit did not start the runner", r.BootTimeout))
			}
		}).Stop)
	}
	readConsole(out, &res.report, func() { close(bootDone) })
	res.Err = cmd.Wait()
	res.Wall = time.Since(begin)
	k.exited()
	for _, stop := range stops {
		stop()
	}
	res.Stderr = stderr.String()
	res.Killed = k.reason()
	return res
}

// readConsole feeds every line of r to rep, calling started once at the
// runner's START.
func readConsole(r io.Reader, rep *report, started func()) {
	br := bufio.NewReader(r)
	for {
		line, err := br.ReadString('\n')
		if line != "" {
			hadStart := rep.Start != nil
			rep.add(line)
			if !hadStart && rep.Start != nil {
				started()
			}
		}
		if err != nil {
			if !errors.Is(err, io.EOF) {
				rep.Errors = append(rep.Errors, fmt.Errorf("read console: %w", err))
			}
			return
		}
	}
}

// killer kills a process group once and remembers why.
type killer struct {
	pid  int
	mu   sync.Mutex
	why  string
	gone bool // the process has been waited for: its group may be reused
}

func (k *killer) exited() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.gone = true
}

func (k *killer) kill(why string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.why == "" && !k.gone {
		k.why = why
		_ = syscall.Kill(-k.pid, syscall.SIGKILL)
	}
}

func (k *killer) reason() string {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.why
}
