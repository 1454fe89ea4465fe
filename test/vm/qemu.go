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
// With debug, the kernel says everything it does (no quiet); extra words
// (TINIT_VM_APPEND) go before "--".
func kernelCmdline(khz int, debug bool, extra string, command []string) string {
	// Under TCG the guest's TSC is the host's and keeps true time, while
	// timer interrupts come late when the host is busy: without
	// tsc=reliable the clocksource watchdog believes the jiffies, marks the
	// TSC unstable and moves the guest clock to jiffies, which then runs
	// slow and makes every in-guest time wrong.
	words := []string{"console=ttyS0", "panic=-1", "tsc=reliable"}
	if !debug {
		words = append(words, "quiet")
	}
	words = append(words, strings.Fields(extra)...)
	if khz > 0 {
		words = append(words, "tsc_early_khz="+strconv.Itoa(khz))
	}
	words = append(words, "--")
	return strings.Join(append(words, command...), " ")
}

// qemuArgs boots a microVM: one vCPU under TCG (-smp 2 hung more often at
// boot), no default devices, the serial console on stdout, and -no-reboot
// so that a restart or a kernel panic (panic=-1) ends QEMU like a power-off.
func qemuArgs(vmlinuz, initrd, cmdline string) []string {
	return []string{
		"-M", "microvm", "-accel", "tcg", "-m", "512M", "-smp", "1",
		"-nodefaults", "-no-user-config", "-display", "none", "-serial", "stdio",
		"-no-reboot", "-kernel", vmlinuz, "-initrd", initrd, "-append", cmdline,
	}
}
