package notify

import (
	"testing"

	"github.com/tinit/tinit/internal/leaktest"
)

// checkFDs fails t if t opened fds it did not close.
func checkFDs(t *testing.T) { leaktest.Check(t) }
