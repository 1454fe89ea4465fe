package pid1

import "strconv"

// Action is how a machine ends.
type Action int

const (
	// PowerOff stops the machine; a hypervisor's VM exits.
	PowerOff Action = iota
	// Restart reboots the machine; under qemu -no-reboot the VM exits.
	Restart
)

// String returns the shell command that ends the machine this way.
func (a Action) String() string {
	switch a {
	case PowerOff:
		return "poweroff"
	case Restart:
		return "reboot"
	}
	return "Action(" + strconv.Itoa(int(a)) + ")"
}

// Logf is how pid1 reports what it could not do; it never logs by itself.
type Logf func(format string, args ...any)
