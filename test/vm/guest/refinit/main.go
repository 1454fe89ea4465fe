// Command refinit is the least a Go /init can do to start a first service,
// the reference that tinit's boot time is measured against (bench/RESULTS.md,
// "VM boot"): it mounts /proc, runs its arguments, and powers the machine
// off. It is not tinit and is never shipped; it is built only to measure.
//
//	CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o /tmp/refinit ./test/vm/guest/refinit
//	TINIT_VM_INIT=/tmp/refinit go test ./test/vm -run TestVM -v
package main

import (
	"fmt"
	"os"
	"os/exec"

	"golang.org/x/sys/unix"
)

func main() {
	if err := os.MkdirAll("/proc", 0o555); err != nil {
		fmt.Fprintf(os.Stderr, "refinit: %v\n", err)
	}
	if err := unix.Mount("proc", "/proc", "proc", 0, ""); err != nil {
		fmt.Fprintf(os.Stderr, "refinit: mount /proc: %v\n", err)
	}
	if len(os.Args) > 1 {
		cmd := exec.Command(os.Args[1], os.Args[2:]...)
		cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			fmt.Fprintf(os.Stderr, "refinit: %v\n", err)
		}
	}
	unix.Sync()
	err := unix.Reboot(unix.LINUX_REBOOT_CMD_POWER_OFF)
	fmt.Fprintf(os.Stderr, "refinit: reboot: %v\n", err)
	for {
		_, _ = unix.Ppoll(nil, nil, nil)
	}
}
