// Package tinitbuild builds the tinit binary the one way it must be built,
// for the tests, the VM harness and the benchmarks: static, and linked
// with the entry point that records what tinit inherited before the Go
// runtime starts (cmd/tinit/entry_linux_*.s).
package tinitbuild

import (
	"fmt"
	"os"
	"os/exec"
)

// LDFlags are the linker flags of every tinit build (the Makefile uses the
// same; a test keeps them equal).
const LDFlags = "-s -w -E=_rt0_tinit"

// Build compiles ./cmd/tinit of the module at root into out, with env
// added to the go command's environment (GOARCH=arm64).
func Build(root, out string, env ...string) error {
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags="+LDFlags, "-o", out, "./cmd/tinit")
	cmd.Dir = root
	cmd.Env = append(append(os.Environ(), "CGO_ENABLED=0"), env...)
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("build tinit: %v\n%s", err, b)
	}
	return nil
}
