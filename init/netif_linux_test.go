package pid1

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// helperLinkUp brings lo up in its own network namespace, where it starts
// down, and prints whether it was up and whether 127.0.0.1 took a TCP
// connection, before and after.
func helperLinkUp([]string) int {
	before := fmt.Sprintf("up=%v connect=%v", isUp("lo"), connectLoopback())
	err := linkUp("lo")
	again := linkUp("lo")
	fmt.Printf("%s; linkUp %v, again %v; up=%v connect=%v", before, err, again, isUp("lo"), connectLoopback())
	return 0
}

// isUp says whether the interface name of this network namespace has
// IFF_UP. (Not from /sys/class/net, which shows the namespace of the
// process that mounted /sys.)
func isUp(name string) bool {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return false
	}
	defer unix.Close(fd)
	ifr, err := unix.NewIfreq(name)
	if err == nil {
		err = unix.IoctlIfreq(fd, unix.SIOCGIFFLAGS, ifr)
	}
	return err == nil && ifr.Uint16()&unix.IFF_UP != 0
}

// connectLoopback connects to a listener on 127.0.0.1 and gives the
// error's errno, or nil.
func connectLoopback() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	addr := "127.0.0.1:9"
	if err == nil {
		defer ln.Close()
		addr = ln.Addr().String()
	}
	c, err := net.Dial("tcp", addr)
	if err != nil {
		var errno syscall.Errno
		if errors.As(err, &errno) {
			return errno
		}
		return err
	}
	return c.Close()
}

// TestLinkUp: in a new network namespace lo starts down and 127.0.0.1 is
// unreachable; after linkUp it is up and takes connections, and a second
// linkUp is no error.
func TestLinkUp(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("making a network namespace needs root")
	}
	out := runHelper(t, syscall.CLONE_NEWNET, "linkup")
	if want := "up=false connect=network is unreachable; linkUp <nil>, again <nil>; up=true connect=<nil>"; out != want {
		t.Errorf("got %s\nwant %s", out, want)
	}
}

// TestLinkUpMissing: an interface that does not exist is an error that
// names it.
func TestLinkUpMissing(t *testing.T) {
	err := linkUp("tinit-none0")
	if !errors.Is(err, unix.ENODEV) || !strings.Contains(err.Error(), `"tinit-none0"`) {
		t.Errorf("got %v, want ENODEV naming \"tinit-none0\"", err)
	}
}
