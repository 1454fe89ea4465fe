package image

import "io/fs"

// defaultDevices are the device nodes an init's image needs before /init
// runs: the kernel opens /dev/console for /init's stdin, stdout and stderr
// when devtmpfs is not mounted yet, and /dev/null is what stdin falls back
// to.
var defaultDevices = []struct {
	path         string
	perm         fs.FileMode
	major, minor uint32
}{
	{"/dev/console", 0o600, 5, 1},
	{"/dev/null", 0o666, 1, 3},
}

// AddDefaultDevices adds /dev/console (c 5 1, 0600) and /dev/null (c 1 3,
// 0666), each unless the image has that path already.
func (b *Builder) AddDefaultDevices() error {
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
