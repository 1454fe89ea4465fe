package cgroup

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/tinit/tinit/internal/leaktest"
)

// TestMain checks that the tests as a whole leak no fd, leave no child
// process and no test cgroup behind.
func TestMain(m *testing.M) {
	code := leaktest.Main(m, 0)
	if own, err := Discover(); err == nil {
		if left, _ := filepath.Glob(filepath.Join(own, testPrefix()+"*")); code == 0 && len(left) > 0 {
			fmt.Fprintf(os.Stderr, "cgroups left: %v\n", left)
			code = 1
		}
	}
	os.Exit(code)
}

func testPrefix() string { return fmt.Sprintf("tinit-test-%d-", os.Getpid()) }

// checkFDs fails t if t opened fds it did not close.
func checkFDs(t *testing.T) { leaktest.Check(t) }
