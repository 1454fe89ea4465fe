package main

import (
	"fmt"
	"io/fs"

	"github.com/tinit/tinit/image"
)

// defaultDevice is a device node every image gets unless
// --no-default-devices: the kernel opens /dev/console for /init's stdin,
// stdout and stderr before /init runs, when devtmpfs is not mounted yet.
type defaultDevice struct {
	path         string
	perm         fs.FileMode
	major, minor uint32
}

var defaultDevices = []defaultDevice{
	{"/dev/console", 0o600, 5, 1},
	{"/dev/null", 0o666, 1, 3},
}

// String reads like the command that makes the node.
func (d defaultDevice) String() string {
	return fmt.Sprintf("mknod -m %o %s c %d %d", d.perm, d.path, d.major, d.minor)
}

// addDefaultDevices adds each default device the user did not add.
func addDefaultDevices(b *image.Builder) error {
	for _, d := range defaultDevices {
		if b.Has(d.path) {
			continue
		}
		if err := b.AddDevice(d.path, fs.ModeDevice|fs.ModeCharDevice|d.perm, d.major, d.minor); err != nil {
			return err
		}
	}
	return nil
}
