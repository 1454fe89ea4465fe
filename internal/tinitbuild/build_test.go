package tinitbuild

import (
	"os"
	"strings"
	"testing"
)

// TestMakefileAgrees keeps the Makefile's tinit build in step with Build.
func TestMakefileAgrees(t *testing.T) {
	b, err := os.ReadFile("../../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "TINIT_LDFLAGS := "+LDFlags+"\n") {
		t.Errorf("the Makefile does not build tinit with %q", LDFlags)
	}
}
