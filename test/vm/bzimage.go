package vm

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// The x86 boot protocol (Documentation/arch/x86/boot.rst): the setup header
// holds "HdrS" at 0x202, the protocol version at 0x206 and, from 2.00 on, at
// 0x20e the offset (less 0x200) of a NUL-terminated string that starts with
// the kernel release.
const (
	hdrMagicOff   = 0x202
	hdrVersionOff = 0x206
	hdrKVerOff    = 0x20e
	hdrKVerBase   = 0x200
	maxKVerEnd    = 0x200 + 0xffff + 256 // the farthest the string can end
)

// readKernelRelease returns the release of the bzImage at path.
func readKernelRelease(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	head := make([]byte, maxKVerEnd)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return "", fmt.Errorf("read %q: %w", path, err)
	}
	rel, err := bzImageRelease(head[:n])
	if err != nil {
		return "", fmt.Errorf("read %q: %w", path, err)
	}
	return rel, nil
}

// bzImageRelease reads the kernel release from the first bytes of a bzImage.
func bzImageRelease(b []byte) (string, error) {
	if len(b) < hdrKVerOff+2 || string(b[hdrMagicOff:hdrMagicOff+4]) != "HdrS" {
		return "", errors.New("not a bzImage: no HdrS setup header")
	}
	if v := binary.LittleEndian.Uint16(b[hdrVersionOff:]); v < 0x200 {
		return "", fmt.Errorf("boot protocol %#x has no kernel version string", v)
	}
	off := int(binary.LittleEndian.Uint16(b[hdrKVerOff:]))
	if off == 0 {
		return "", errors.New("bzImage has no kernel version string")
	}
	off += hdrKVerBase
	if off >= len(b) {
		return "", fmt.Errorf("kernel version string at %#x is past the end", off)
	}
	s := b[off:]
	if end := bytes.IndexByte(s, 0); end >= 0 {
		s = s[:end]
	}
	f := strings.Fields(string(s))
	if len(f) == 0 {
		return "", errors.New("empty kernel version string")
	}
	return f[0], nil
}
