package vm

import (
	"bufio"
	"bytes"
	"strconv"
	"strings"
	"time"
)

// hostKHz reads the CPU clock from /proc/cpuinfo ("cpu MHz : 2445.404") in
// kHz, or 0 when it says none. The guest gets it as tsc_early_khz: under
// TCG and host load, a guest that calibrates its TSC itself sometimes hangs
// at boot (0 hangs in 39 boots with it, 4 in 8 without).
func hostKHz(cpuinfo []byte) int {
	sc := bufio.NewScanner(bytes.NewReader(cpuinfo))
	for sc.Scan() {
		key, val, ok := strings.Cut(sc.Text(), ":")
		if !ok || strings.TrimSpace(key) != "cpu MHz" {
			continue
		}
		mhz, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if err != nil || mhz <= 0 || mhz > 1e6 {
			return 0
		}
		return int(mhz * 1000)
	}
	return 0
}

// guestCommand is what tinit runs in the VM: the runner, told the kernel's
// label and tier, with the test binaries (paths in the guest).
func guestCommand(label, tier string, timeout time.Duration, tests []string) []string {
	args := []string{"/guest/runner", "-kernel=" + label, "-tier=" + tier, "-timeout=" + timeout.String()}
	return append(args, tests...)
}

// kernelCmdline is the guest kernel's command line. The kernel passes the
// words after "--" to /init as its arguments (argv[1:]); it drops any later
// "--" with all that follows, and it also hands /init every word before "--"
// that it does not know, so nothing unknown goes there. Words cannot hold
// spaces (double quotes would group them; tinit's command here needs none).
// A nil command leaves "--" out: /init gets no arguments.
// With debug, the kernel says everything it does (no quiet); extra words
// (TINIT_VM_APPEND) go before "--". khz (amd64 only) is the host's clock.
func kernelCmdline(a guestArch, khz int, debug bool, extra string, command []string) string {
	words := append([]string{"console=" + a.Console, "panic=-1"}, a.Params...)
	if !debug {
		words = append(words, "quiet")
	}
	words = append(words, strings.Fields(extra)...)
	if khz > 0 && a.GOARCH == "amd64" {
		words = append(words, "tsc_early_khz="+strconv.Itoa(khz))
	}
	if command != nil {
		words = append(append(words, "--"), command...)
	}
	return strings.Join(words, " ")
}

// qemuArgs boots a VM (amd64: a microVM): one vCPU under TCG (-smp 2 hung
// more often at boot), no default devices, the serial console on stdout,
// and -no-reboot so that a restart or a kernel panic (panic=-1) ends QEMU
// like a power-off.
func qemuArgs(a guestArch, vmlinuz, initrd, cmdline string) []string {
	args := append([]string{}, a.Machine...)
	return append(args, "-accel", "tcg", "-m", "512M", "-smp", "1",
		"-nodefaults", "-no-user-config", "-display", "none", "-serial", "stdio",
		"-no-reboot", "-kernel", vmlinuz, "-initrd", initrd, "-append", cmdline,
	)
}
