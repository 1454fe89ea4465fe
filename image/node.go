package image

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
)

// kind is the type of an entry.
type kind uint8

const (
	kindFile kind = iota
	kindDir
	kindSymlink
	kindDevice
)

// node is one entry as added.
type node struct {
	path         string      // clean absolute path as added
	kind         kind        //
	mode         fs.FileMode // type and permission bits
	uid, gid     uint32      //
	major, minor uint32      // devices
	data         []byte      // a file's content when it came from memory
	src          string      // a file's host path when it is read at write time
	size         int64       // a file's size
	info         fs.FileInfo // the host file as it was when added
	target       string      // symlinks
	pos          string      // manifest "file:line", or ""
	implicit     bool        // a parent directory nobody added
}

// String reads like the manifest line that adds n, without its path.
func (n *node) String() string {
	var s string
	switch n.kind {
	case kindDir:
		s = "dir"
	case kindSymlink:
		return "symlink " + quoteArg(n.target) + n.owner()
	case kindDevice:
		s = fmt.Sprintf("%s %d %d", deviceKind(n.mode), n.major, n.minor)
	case kindFile:
		s = "file " + quoteArg(n.src)
		if n.src == "" {
			s = fmt.Sprintf("file (%s)", plural(n.size, "byte"))
		}
	}
	return s + " mode=" + octalPerm(n.mode) + n.owner()
}

func (n *node) owner() string {
	if n.uid == 0 && n.gid == 0 {
		return ""
	}
	return fmt.Sprintf(" uid=%d gid=%d", n.uid, n.gid)
}

// where says where n was declared, for error messages.
func (n *node) where() string {
	if n.pos == "" {
		return ""
	}
	return " at " + n.pos
}

func deviceKind(m fs.FileMode) string {
	if m&fs.ModeCharDevice != 0 {
		return "char"
	}
	return "block"
}

// octalPerm prints the permission bits of m the way chmod takes them.
func octalPerm(m fs.FileMode) string {
	return fmt.Sprintf("%04o", unixMode(m)&0o7777)
}

// quoteArg quotes s for a manifest line when it needs it.
func quoteArg(s string) string {
	if needsQuote(s) {
		return strconv.Quote(s)
	}
	return s
}

func typeName(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "directory"
	case m&fs.ModeSymlink != 0:
		return "symlink"
	case m&fs.ModeCharDevice != 0:
		return "character device"
	case m&fs.ModeDevice != 0:
		return "block device"
	case m&fs.ModeNamedPipe != 0:
		return "named pipe"
	case m&fs.ModeSocket != 0:
		return "socket"
	}
	return "regular file"
}

// conflict says why old and n cannot both be at one path, or returns nil
// when they would unpack to the same thing.
func conflict(old, n *node) error {
	if old.kind != n.kind || old.mode != n.mode || old.uid != n.uid || old.gid != n.gid ||
		old.major != n.major || old.minor != n.minor || old.target != n.target {
		return fmt.Errorf("already added as %v%s; this adds %v", old, old.where(), n)
	}
	if old.kind != kindFile {
		return nil
	}
	same, err := sameContent(old, n)
	if err == nil && !same {
		err = fmt.Errorf("already added with different content: %v%s", old, old.where())
	}
	return err
}

// sameContent compares two files' bytes, reading host files if it must.
func sameContent(a, b *node) (bool, error) {
	switch {
	case a.size != b.size:
		return false, nil
	case a.src == "" && b.src == "":
		return bytes.Equal(a.data, b.data), nil
	case a.info != nil && b.info != nil && os.SameFile(a.info, b.info):
		return true, nil
	}
	ra, err := a.open()
	if err != nil {
		return false, err
	}
	defer ra.Close()
	rb, err := b.open()
	if err != nil {
		return false, err
	}
	defer rb.Close()
	return equalReaders(ra, rb)
}

func equalReaders(a, b io.Reader) (bool, error) {
	ba, bb := bufio.NewReader(a), bufio.NewReader(b)
	for {
		ca, errA := ba.ReadByte()
		cb, errB := bb.ReadByte()
		if errA != nil || errB != nil {
			if errA == io.EOF && errB == io.EOF {
				return true, nil
			}
			if errA != nil && errA != io.EOF {
				return false, errA
			}
			if errB != nil && errB != io.EOF {
				return false, errB
			}
			return false, nil
		}
		if ca != cb {
			return false, nil
		}
	}
}

// open returns a file's content: its data, or its host file checked to be
// the size it had when added.
func (n *node) open() (io.ReadCloser, error) {
	if n.src == "" {
		return io.NopCloser(bytes.NewReader(n.data)), nil
	}
	f, err := os.Open(n.src)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err == nil && (!fi.Mode().IsRegular() || fi.Size() != n.size) {
		err = fmt.Errorf("host file %q changed since it was added (now a %s of %d bytes, was %d bytes)", n.src, typeName(fi.Mode()), fi.Size(), n.size)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

func plural(n int64, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}
