// Package vm boots QEMU microVMs on a matrix of Debian kernels with tinit as
// /init and runs the project's guest tests inside them (go test
// ./test/vm/..., make test-vm; docs/vm.md says how to use it).
//
// The host builds tinit, the guest test binaries and the guest runner
// (static), packs them with package image, boots one VM per kernel and reads
// the runner's marker lines (package console) from the serial console. Each
// kernel is a subtest of TestVM and each guest test binary a subtest of its
// kernel.
//
// It is a test harness: it never runs inside a guest and nothing imports it.
package vm
