package image

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// WriteTo writes the image, gzip-compressed newc, to w. Host files are read
// now, one at a time, straight into the compressor. The gzip header has no
// name and no time, so the bytes depend only on the entries, the
// modification time, the gzip level and Go's compress/flate. It returns the
// number of compressed bytes written.
//
// Problems between entries (a file as a parent, two entries meeting
// through a symlink of the image) are found before anything is
// written. A host file that vanished or changed size since it was added
// fails the write midway, with part of the image in w; WriteFile then
// leaves no file behind.
func (b *Builder) WriteTo(w io.Writer) (int64, error) {
	list, err := b.layout()
	if err != nil {
		return 0, err
	}
	cw := &countWriter{w: w}
	zw, err := gzip.NewWriterLevel(cw, b.level)
	if err != nil {
		return 0, err
	}
	bw := bufio.NewWriterSize(zw, 64<<10)
	if err := b.writeArchive(bw, list); err != nil {
		return cw.n, err
	}
	if err := bw.Flush(); err != nil {
		return cw.n, err
	}
	err = zw.Close()
	return cw.n, err
}

// writeArchive writes the entries of list and the trailer as newc.
func (b *Builder) writeArchive(w io.Writer, list []placed) error {
	nw := &newcWriter{w: w}
	for i, e := range list {
		if err := b.writeEntry(nw, uint32(i+1), e); err != nil {
			return &Error{Pos: e.n.pos, Op: "write", Path: e.n.path, Err: err}
		}
	}
	return nw.trailer()
}

// writeEntry writes one entry with inode number ino (its place in the
// sorted list, so the numbers are the same for the same entries).
func (b *Builder) writeEntry(nw *newcWriter, ino uint32, e placed) error {
	n := e.n
	h := header{ino: ino, mode: unixMode(n.mode), uid: n.uid, gid: n.gid, nlink: 1,
		mtime: b.mtime, nsz: uint32(len(e.path))} // the path less its "/", plus a NUL
	var body io.Reader
	switch n.kind {
	case kindDir:
		h.nlink = 2
	case kindDevice:
		h.rdevMajor, h.rdevMinor = n.major, n.minor
	case kindSymlink:
		h.filesize, body = uint32(len(n.target)), strings.NewReader(n.target)
	case kindFile:
		r, err := n.open()
		if err != nil {
			return err
		}
		defer r.Close()
		h.filesize, body = uint32(n.size), r
	}
	return nw.write(&h, e.path[1:], body)
}

// WriteFile writes the image to path atomically: into a temporary file in
// the same directory, synced, then renamed over path, mode 0644.
func (b *Builder) WriteFile(path string) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("write image %q: %w", path, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err = b.WriteTo(f); err != nil {
		return fmt.Errorf("write image %q: %w", path, err)
	}
	if err = finish(f, 0o644); err != nil {
		return fmt.Errorf("write image %q: %w", path, err)
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("write image %q: %w", path, err)
	}
	return nil
}

func finish(f *os.File, mode fs.FileMode) error {
	if err := f.Chmod(mode); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return f.Close()
}

// Bytes returns the image as WriteTo writes it, in memory: for tests and
// small images.
func (b *Builder) Bytes() ([]byte, error) {
	var buf bytes.Buffer
	_, err := b.WriteTo(&buf)
	return buf.Bytes(), err
}

// countWriter counts the bytes written through it.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
