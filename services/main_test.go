package services

import (
	"os"
	"testing"
	"time"

	"github.com/tinit/tinit/internal/leaktest"
)

// TestMain checks that the tests as a whole leave no fd open and no child:
// every pipe, readiness fd and /dev/null the supervisor opened was closed
// by the end of its run.
func TestMain(m *testing.M) {
	os.Exit(leaktest.Main(m, time.Second))
}
