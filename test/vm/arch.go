package vm

import (
	"fmt"
	"strings"
)

// guestArch is what differs between the architectures the VM tests boot.
// A kernel's label says its architecture: "arm64/6.12" is arm64, a label
// without a prefix is amd64.
type guestArch struct {
	GOARCH  string
	Qemu    string   // QEMU binary (TINIT_QEMU overrides it for amd64)
	Machine []string // QEMU's machine options
	Console string   // the kernel's serial console
	// Params are kernel parameters of this architecture only.
	Params []string
	// Packages are the guest packages tested; nil: all of guestPackages.
	// Under TCG an arm64 guest runs about 5 times slower than an amd64
	// one, so it runs the packages with assembly or arm64-specific
	// syscalls: reaper (the clone3 path and the signal handler) and init.
	Packages []guestPackage
	// Programs are the guest's programs besides the Go binaries.
	Programs programSource
}

var (
	archAMD64 = guestArch{
		GOARCH: "amd64", Qemu: "qemu-system-x86_64", Machine: []string{"-M", "microvm"}, Console: "ttyS0",
		// Under TCG the guest's TSC is the host's and keeps true time,
		// while timer interrupts come late when the host is busy: without
		// tsc=reliable the clocksource watchdog believes the jiffies,
		// marks the TSC unstable and moves the guest clock to jiffies,
		// which then runs slow and makes every in-guest time wrong.
		Params:   []string{"tsc=reliable"},
		Programs: hostPrograms,
	}
	archARM64 = guestArch{
		GOARCH: "arm64", Qemu: "qemu-system-aarch64", Machine: []string{"-M", "virt", "-cpu", "max"}, Console: "ttyAMA0",
		Packages: []guestPackage{{Path: "./reaper"}, {Path: "./init"}},
		Programs: busyboxPrograms,
	}
)

// archOf returns the architecture of the kernel labelled label.
func archOf(label string) (guestArch, error) {
	prefix, _, ok := strings.Cut(label, "/")
	switch {
	case !ok:
		return archAMD64, nil
	case prefix == "arm64":
		return archARM64, nil
	}
	return guestArch{}, fmt.Errorf("kernel %s: unknown architecture %q (amd64 labels have no prefix; arm64/...)", label, prefix)
}

// packages returns the guest packages to test: those asked for
// (TINIT_VM_PACKAGES), or else the architecture's.
func (a guestArch) packages(spec string) []guestPackage {
	if spec == "" && a.Packages != nil {
		return a.Packages
	}
	return selectPackages(spec)
}
