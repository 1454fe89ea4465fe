package notify

import (
	"os"
	"testing"

	"github.com/tinit/tinit/internal/leaktest"
	"github.com/tinit/tinit/internal/testhelper"
)

const helperEnv = "NOTIFY_TEST_HELPER"

// TestMain runs the helper program when asked to, and otherwise checks
// that the tests as a whole leak no fd and leave no child behind.
func TestMain(m *testing.M) {
	if mode := os.Getenv(helperEnv); mode != "" {
		testhelper.ExitHelper(runHelper(mode))
	}
	os.Exit(leaktest.Main(m, 0))
}
