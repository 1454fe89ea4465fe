package image

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strconv"
	"strings"
)

// Entry is one entry of an archive as Read returns it.
type Entry struct {
	Name         string      // absolute path: "/" + the stored name, cleaned
	Mode         fs.FileMode // type and permission bits
	UID, GID     uint32      //
	Major, Minor uint32      // a device node's numbers (c_rdevmajor, c_rdevminor)
	Data         []byte      // a regular file's content
	Linkname     string      // a symlink's target
	MTime        int64       // seconds since 1970
	Ino          uint32      // c_ino
}

// String reads like a line of ls -ln: mode, owner, size or device numbers,
// name and, for a symlink, its target.
func (e Entry) String() string {
	size := strconv.Itoa(len(e.Data))
	switch {
	case e.Mode&fs.ModeDevice != 0:
		size = fmt.Sprintf("%d, %d", e.Major, e.Minor)
	case e.Mode&fs.ModeSymlink != 0:
		size = strconv.Itoa(len(e.Linkname))
	}
	s := fmt.Sprintf("%s %5d %5d %10s %s", lsMode(e.Mode), e.UID, e.GID, size, quoteArg(e.Name))
	if e.Mode&fs.ModeSymlink != 0 {
		s += " -> " + quoteArg(e.Linkname)
	}
	return s
}

// lsMode prints a mode the way ls does: drwxrwxrwt, crw-------.
func lsMode(m fs.FileMode) string {
	t := "-"
	switch {
	case m.IsDir():
		t = "d"
	case m&fs.ModeSymlink != 0:
		t = "l"
	case m&fs.ModeCharDevice != 0:
		t = "c"
	case m&fs.ModeDevice != 0:
		t = "b"
	case m&fs.ModeNamedPipe != 0:
		t = "p"
	case m&fs.ModeSocket != 0:
		t = "s"
	}
	p := []byte(m.Perm().String()[1:])
	special := func(i int, bit fs.FileMode, set, unset byte) {
		if m&bit != 0 {
			p[i] = map[bool]byte{true: set, false: unset}[p[i] == 'x']
		}
	}
	special(2, fs.ModeSetuid, 's', 'S')
	special(5, fs.ModeSetgid, 's', 'S')
	special(8, fs.ModeSticky, 't', 'T')
	return t + string(p)
}

// Read reads every entry of a newc (or crc) archive, gzip-compressed or
// not, up to its TRAILER!!!; archives concatenated after it, as the kernel
// accepts them, are read too. A name is limited to MaxNameSize bytes like
// in the kernel.
func Read(r io.Reader) ([]Entry, error) {
	br := bufio.NewReader(r)
	if magic, _ := br.Peek(2); bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("read image: %w", err)
		}
		br = bufio.NewReader(zr)
	}
	cr := &cpioReader{r: br}
	list, err := cr.all()
	if err != nil {
		return list, fmt.Errorf("read image: %w", err)
	}
	return list, nil
}

// cpioReader reads uncompressed newc, counting bytes for alignment and
// error messages.
type cpioReader struct {
	r   *bufio.Reader
	off int64
	crc bool // the current entry is crc: c_check sums its data bytes
}

func (cr *cpioReader) all() ([]Entry, error) {
	var list []Entry
	for archives := 0; ; archives++ {
		if err := cr.skipNULs(); err == io.EOF && archives > 0 {
			return list, nil
		} else if err == io.EOF {
			return list, errors.New("no cpio archive")
		} else if err != nil {
			return list, err
		}
		var err error
		if list, err = cr.archive(list); err != nil {
			return list, err
		}
	}
}

// skipNULs skips the NUL bytes the kernel allows between archives.
func (cr *cpioReader) skipNULs() error {
	for {
		c, err := cr.r.ReadByte()
		if err != nil {
			return err
		}
		if c != 0 {
			cr.r.UnreadByte()
			if cr.off&3 != 0 {
				return fmt.Errorf("archive at byte %d does not start at a multiple of 4 bytes", cr.off)
			}
			return nil
		}
		cr.off++
	}
}

// archive appends the entries up to the trailer.
func (cr *cpioReader) archive(list []Entry) ([]Entry, error) {
	for {
		start := cr.off
		e, err := cr.entry()
		switch {
		case err == errTrailer:
			return list, nil
		case err == io.EOF:
			return list, fmt.Errorf("archive ends at byte %d without %s", start, trailerName)
		case err != nil:
			return list, fmt.Errorf("entry at byte %d: %w", start, err)
		}
		list = append(list, e)
	}
}

var errTrailer = errors.New("trailer entry")

func (cr *cpioReader) entry() (Entry, error) {
	h, err := cr.header()
	if err != nil {
		return Entry{}, err
	}
	name, err := cr.name(h.nsz)
	if err != nil {
		return Entry{}, err
	}
	if name == trailerName {
		return Entry{}, errTrailer
	}
	e, err := newEntry(h, name)
	if err != nil {
		return e, err
	}
	body, err := cr.body(h, e.Mode.IsRegular() || e.Mode&fs.ModeSymlink != 0)
	if e.Mode.IsRegular() {
		e.Data = body
	} else {
		e.Linkname = string(body)
	}
	return e, err
}

func newEntry(h header, name string) (Entry, error) {
	mode, ok := fsMode(h.mode)
	if !ok {
		return Entry{}, fmt.Errorf("%q: unknown file type in mode %#o", name, h.mode)
	}
	e := Entry{Name: path.Clean("/" + strings.TrimPrefix(name, "./")), Mode: mode,
		UID: h.uid, GID: h.gid, MTime: int64(h.mtime), Ino: h.ino}
	if mode&fs.ModeDevice != 0 {
		e.Major, e.Minor = h.rdevMajor, h.rdevMinor
	}
	if mode&fs.ModeSymlink != 0 && (h.filesize == 0 || h.filesize > MaxLinkTarget) {
		return e, fmt.Errorf("%q: symlink target of %d bytes", name, h.filesize)
	}
	return e, nil
}

// header reads and parses the 110-byte header.
func (cr *cpioReader) header() (header, error) {
	var raw [headerSize]byte
	if err := cr.full(raw[:]); err != nil {
		return header{}, err
	}
	magic := string(raw[:6])
	if magic != magicNewc && magic != magicCRC {
		return header{}, fmt.Errorf("bad magic %q: not newc (070701) or crc (070702)", magic)
	}
	var v [13]uint32
	for i := range v {
		f := raw[6+8*i : 14+8*i]
		n, err := strconv.ParseUint(string(f), 16, 32)
		if err != nil {
			return header{}, fmt.Errorf("bad header field %d %q: not 8 hex digits", i, f)
		}
		v[i] = uint32(n)
	}
	h := header{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12]}
	cr.crc = magic == magicCRC
	return h, nil
}

// name reads the NUL-terminated name and the padding after it.
func (cr *cpioReader) name(size uint32) (string, error) {
	if size < 2 || size > MaxNameSize {
		return "", fmt.Errorf("name size %d is not in 2..%d", size, MaxNameSize)
	}
	buf := make([]byte, size+uint32(pad4(headerSize+int(size))))
	if err := cr.full(buf); err != nil {
		return "", noEOF(err)
	}
	name := buf[:size-1]
	if buf[size-1] != 0 || bytes.IndexByte(name, 0) >= 0 {
		return "", fmt.Errorf("name %q is not one NUL-terminated string", buf[:size])
	}
	return string(name), nil
}

// body reads the data and its padding, keeping it if keep.
func (cr *cpioReader) body(h header, keep bool) ([]byte, error) {
	size := int64(h.filesize)
	var buf bytes.Buffer
	dst := io.Discard
	if keep {
		buf.Grow(int(min(size, 1<<20)))
		dst = &buf
	}
	sum := &checksum{}
	n, err := io.CopyN(io.MultiWriter(dst, sum), cr.r, size)
	cr.off += n
	if err != nil {
		return nil, noEOF(err)
	}
	if err := cr.full(make([]byte, pad4(size))); err != nil {
		return nil, noEOF(err)
	}
	if cr.crc && sum.v != h.check {
		return nil, fmt.Errorf("crc entry: data sums to %#x, header says %#x", sum.v, h.check)
	}
	return buf.Bytes(), nil
}

func (cr *cpioReader) full(p []byte) error {
	n, err := io.ReadFull(cr.r, p)
	cr.off += int64(n)
	if err == io.ErrUnexpectedEOF {
		return errors.New("archive is truncated")
	}
	return err
}

// noEOF turns an end of input inside an entry into an error.
func noEOF(err error) error {
	if err == io.EOF {
		return errors.New("archive is truncated")
	}
	return err
}

// checksum is the crc format's "checksum": the sum of the data bytes.
type checksum struct{ v uint32 }

func (c *checksum) Write(p []byte) (int, error) {
	for _, b := range p {
		c.v += uint32(b)
	}
	return len(p), nil
}
