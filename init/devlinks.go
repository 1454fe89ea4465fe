package pid1

// Symlink is one symbolic link to make: ln -s Target Path.
type Symlink struct {
	Target string
	Path   string
}

// String returns the shell command that makes l.
func (l Symlink) String() string { return "ln -s " + l.Target + " " + l.Path }

// DevLinks are the links of /dev that programs expect (a program told
// to log to /dev/stdout, a shell's <(...) through /dev/fd) and that
// devtmpfs does not make: on other machines systemd or busybox's mdev
// makes them.
var DevLinks = []Symlink{
	{"/proc/self/fd", "/dev/fd"},
	{"/proc/self/fd/0", "/dev/stdin"},
	{"/proc/self/fd/1", "/dev/stdout"},
	{"/proc/self/fd/2", "/dev/stderr"},
}
