package main

import (
	"bufio"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestTerminal runs tinit on a real pseudo-terminal (script(1) makes one
// and holds its master): the child gets its own process group, which
// becomes the terminal's foreground group, so ^C typed on the terminal
// reaches the child and not tinit.
func TestTerminal(t *testing.T) {
	script := lookPathT(t, "script")
	cmdline := fmt.Sprintf("%s -- %s", tinitPath, helper("wait-interrupt")[0])
	cmd := exec.Command(script, "-qfec", cmdline, "/dev/null")
	cmd.Env = []string{"PATH=/usr/bin:/bin", "TERM=dumb"}
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	lines := make(chan string, 64)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- strings.TrimRight(sc.Text(), "\r")
		}
		close(lines)
	}()
	kv := map[string]string{}
	for _, line := range readUntil(t, lines, "ready") {
		if k, v, ok := strings.Cut(line, "="); ok {
			kv[k] = v
		}
	}
	if kv["pgid"] != kv["pid"] || kv["fg"] != kv["pgid"] {
		t.Errorf("child pid %s pgid %s, terminal foreground %s: want the child's own group in the foreground", kv["pid"], kv["pgid"], kv["fg"])
	}
	if _, err := strconv.Atoi(kv["ppid"]); err != nil || kv["ppid"] == kv["pgid"] {
		t.Errorf("tinit (pid %s) is in the child's group", kv["ppid"])
	}
	stdin.Write([]byte{3}) // ^C
	readUntil(t, lines, "interrupted")
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("tinit did not exit after its child did")
	}
	if code := cmd.ProcessState.ExitCode(); code != 42 {
		t.Errorf("exit code %d through script, want the child's 42", code)
	}
}

// readUntil returns the lines read until one equals want, with a deadline.
func readUntil(t *testing.T, lines <-chan string, want string) []string {
	t.Helper()
	var got []string
	deadline := time.After(20 * time.Second)
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("output ended before %q: %q", want, got)
			}
			if strings.HasSuffix(line, want) {
				return got
			}
			got = append(got, line)
		case <-deadline:
			t.Fatalf("no %q after 20s: %q", want, got)
		}
	}
}
