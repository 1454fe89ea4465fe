package image

import (
	"io"
)

// The newc format (the kernel's Documentation/driver-api/early-userspace/
// buffer-format.rst): every entry is a 110-byte ASCII header, the name with
// its NUL, padding to 4 bytes, the data, padding to 4 bytes. The archive
// ends with an entry named TRAILER!!!.
const (
	magicNewc   = "070701" // c_check is 0
	magicCRC    = "070702" // c_check is the sum of the data bytes
	headerSize  = 110
	trailerName = "TRAILER!!!"
)

// header holds the 13 numbers of a newc header, in their order.
type header struct {
	ino, mode, uid, gid, nlink, mtime, filesize   uint32
	devMajor, devMinor, rdevMajor, rdevMinor, nsz uint32
	check                                         uint32
}

func (h *header) fields() [13]uint32 {
	return [13]uint32{h.ino, h.mode, h.uid, h.gid, h.nlink, h.mtime, h.filesize,
		h.devMajor, h.devMinor, h.rdevMajor, h.rdevMinor, h.nsz, h.check}
}

const hexDigits = "0123456789abcdef"

// appendHeader appends the header, the name, its NUL and the padding.
func appendHeader(buf []byte, h *header, name string) []byte {
	buf = append(buf, magicNewc...)
	for _, v := range h.fields() {
		for shift := 28; shift >= 0; shift -= 4 {
			buf = append(buf, hexDigits[v>>uint(shift)&0xf])
		}
	}
	buf = append(buf, name...)
	buf = append(buf, 0)
	return append(buf, zeros[:pad4(len(buf))]...)
}

var zeros [4]byte

// pad4 is the number of NUL bytes that align n to 4.
func pad4[T int | int64](n T) T { return -n & 3 }

// newcWriter writes entries to w; every entry starts aligned because every
// entry ends aligned.
type newcWriter struct {
	w   io.Writer
	buf []byte
}

// write writes one entry whose data, h.filesize bytes, come from body.
func (nw *newcWriter) write(h *header, name string, body io.Reader) error {
	nw.buf = appendHeader(nw.buf[:0], h, name)
	if _, err := nw.w.Write(nw.buf); err != nil {
		return err
	}
	if h.filesize == 0 {
		return nil
	}
	if _, err := io.CopyN(nw.w, body, int64(h.filesize)); err != nil {
		return err
	}
	_, err := nw.w.Write(zeros[:pad4(int64(h.filesize))])
	return err
}

// trailer writes the TRAILER!!! entry.
func (nw *newcWriter) trailer() error {
	return nw.write(&header{nlink: 1, nsz: uint32(len(trailerName) + 1)}, trailerName, nil)
}
