package testhelper

import (
	"io"
	"os/exec"
	"testing"
)

// StartPiped starts cmd with its stdout on a pipe, which it returns, and
// kills and reaps cmd when the test ends.
func StartPiped(t testing.TB, cmd *exec.Cmd) io.Reader {
	t.Helper()
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	return out
}
