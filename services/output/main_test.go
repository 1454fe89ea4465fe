package output

import (
	"fmt"
	"os"
	"testing"

	"github.com/tinit/tinit/internal/leaktest"
	"github.com/tinit/tinit/internal/testhelper"
)

// TestMain runs the helper program when asked to, and otherwise checks
// that the tests as a whole leak no fd.
func TestMain(m *testing.M) {
	if mode := os.Getenv(helperEnv); mode != "" {
		testhelper.ExitHelper(runHelper(mode))
	}
	os.Exit(leaktest.Main(m, 0))
}

const helperEnv = "OUTPUT_TEST_HELPER"

// runHelper writes helperLines numbered lines and a last partial line to
// stdout as fast as it can, then exits at once.
func runHelper(mode string) int {
	if mode != "write" {
		return 2
	}
	buf := make([]byte, 0, 64<<10)
	for i := range helperLines {
		buf = fmt.Appendf(buf, "line %d\n", i)
		if len(buf) > 60<<10 {
			os.Stdout.Write(buf)
			buf = buf[:0]
		}
	}
	buf = append(buf, "partial"...)
	os.Stdout.Write(buf)
	return 0
}

const helperLines = 20000

// checkFDs fails t if t opened fds it did not close.
func checkFDs(t *testing.T) { leaktest.Check(t) }
