package pid1

import (
	"os"

	"golang.org/x/sys/unix"
)

// Machine reports whether this process is the init of a machine: PID 1
// of the initial PID namespace, the process the kernel started. Only such
// an init mounts the early filesystems and powers off at the end; PID 1
// of a container exits instead, whatever it finds mounted.
//
// The test is reboot(LINUX_REBOOT_CMD_CAD_OFF), which a machine's init
// wants anyway: Ctrl-Alt-Del (a hypervisor's request to stop, such as
// Firecracker's SendCtrlAltDel) then sends SIGINT to init instead of
// rebooting at once. The kernel accepts it only from the initial PID
// namespace with CAP_SYS_BOOT: in any other PID namespace reboot_pid_ns
// (kernel/pid_namespace.c) refuses it with EINVAL, and without
// CAP_SYS_BOOT it fails with EPERM (as does a seccomp filter such as
// Docker's). When this process is PID 1 but no machine's init, err says
// why; when it is not PID 1, Machine asks nothing and returns false, nil.
func Machine() (machine bool, err error) {
	if os.Getpid() != 1 {
		return false, nil
	}
	if err := unix.Reboot(unix.LINUX_REBOOT_CMD_CAD_OFF); err != nil {
		return false, os.NewSyscallError("reboot CAD_OFF", err)
	}
	return true, nil
}
