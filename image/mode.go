package image

import (
	"fmt"
	"io/fs"
)

// permBits are the bits of an fs.FileMode that an entry may set beside its
// type.
const permBits = fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky

// Unix mode bits as stored in c_mode.
const (
	sIFMT   = 0o170000
	sIFSOCK = 0o140000
	sIFLNK  = 0o120000
	sIFREG  = 0o100000
	sIFBLK  = 0o060000
	sIFDIR  = 0o040000
	sIFCHR  = 0o020000
	sIFIFO  = 0o010000
	sISUID  = 0o4000
	sISGID  = 0o2000
	sISVTX  = 0o1000
)

// checkPerm refuses a mode with bits beside the permission bits. A common
// mistake is fs.FileMode(0o4755): in Go the setuid bit is fs.ModeSetuid.
func checkPerm(m fs.FileMode) error {
	if bad := m &^ permBits; bad != 0 {
		return fmt.Errorf("bad mode %#o: bits %#o are not permission bits (use fs.ModeSetuid, fs.ModeSetgid, fs.ModeSticky for 04000, 02000, 01000)", uint32(m), uint32(bad))
	}
	return nil
}

// unixMode converts an fs.FileMode to c_mode.
func unixMode(m fs.FileMode) uint32 {
	u := uint32(m.Perm())
	for _, b := range specialBits {
		if m&b.fs != 0 {
			u |= b.unix
		}
	}
	switch {
	case m&fs.ModeDir != 0:
		u |= sIFDIR
	case m&fs.ModeSymlink != 0:
		u |= sIFLNK
	case m&fs.ModeCharDevice != 0:
		u |= sIFCHR
	case m&fs.ModeDevice != 0:
		u |= sIFBLK
	case m&fs.ModeNamedPipe != 0:
		u |= sIFIFO
	case m&fs.ModeSocket != 0:
		u |= sIFSOCK
	default:
		u |= sIFREG
	}
	return u
}

// fsMode converts c_mode to an fs.FileMode; it reports false for an unknown
// file type.
func fsMode(u uint32) (fs.FileMode, bool) {
	m := fs.FileMode(u & 0o777)
	for _, b := range specialBits {
		if u&b.unix != 0 {
			m |= b.fs
		}
	}
	t, ok := fileTypes[u&sIFMT]
	return m | t, ok
}

// permFromOctal converts a Unix permission number such as 01777 to an
// fs.FileMode.
func permFromOctal(u uint32) (fs.FileMode, error) {
	if u > 0o7777 {
		return 0, fmt.Errorf("bad mode %#o: more than 07777", u)
	}
	m, _ := fsMode(u | sIFREG)
	return m, nil
}

var specialBits = []struct {
	fs   fs.FileMode
	unix uint32
}{
	{fs.ModeSetuid, sISUID},
	{fs.ModeSetgid, sISGID},
	{fs.ModeSticky, sISVTX},
}

var fileTypes = map[uint32]fs.FileMode{
	sIFREG:  0,
	sIFDIR:  fs.ModeDir,
	sIFLNK:  fs.ModeSymlink,
	sIFCHR:  fs.ModeDevice | fs.ModeCharDevice,
	sIFBLK:  fs.ModeDevice,
	sIFIFO:  fs.ModeNamedPipe,
	sIFSOCK: fs.ModeSocket,
}
