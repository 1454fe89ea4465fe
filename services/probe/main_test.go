package probe

import (
	"os"
	"testing"
	"time"

	"github.com/tinit/tinit/internal/leaktest"
)

// TestMain checks that the tests as a whole leak no fd. Closed connections
// may be released by the HTTP transport's goroutines a moment after a
// probe returns, so the check waits for that, with a deadline.
func TestMain(m *testing.M) {
	os.Exit(leaktest.Main(m, 5*time.Second))
}
