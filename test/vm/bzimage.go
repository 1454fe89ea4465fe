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

// readKernelRelease returns the release of the kernel image at path: an
// x86 bzImage, or an arm64 Image.
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
	release := bzImageRelease
	if isARM64Image(head[:n]) {
		release = func([]byte) (string, error) { return arm64ImageRelease(io.MultiReader(bytes.NewReader(head[:n]), f)) }
	}
	rel, err := release(head[:n])
	if err != nil {
		return "", fmt.Errorf("read %q: %w", path, err)
	}
	return rel, nil
}

// The arm64 boot protocol (Documentation/arch/arm64/booting.rst): an
// Image has "ARM\x64" at offset 56. It has no header field for the
// release; the uncompressed kernel holds its banner, "Linux version
// <release> (...", as plain text.
const (
	arm64MagicOff = 56
	arm64Magic    = "ARM\x64"
	linuxBanner   = "Linux version "
)

func isARM64Image(head []byte) bool {
	return len(head) >= arm64MagicOff+4 && string(head[arm64MagicOff:arm64MagicOff+4]) == arm64Magic
}

// arm64ImageRelease finds the release in the banner of an arm64 Image.
func arm64ImageRelease(r io.Reader) (string, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return "", err
	}
	for rest := data; ; {
		i := bytes.Index(rest, []byte(linuxBanner))
		if i < 0 {
			return "", errors.New("arm64 Image without a \"Linux version\" banner")
		}
		rest = rest[i+len(linuxBanner):]
		// The banner, not the format string "Linux version %s": a release
		// starts with a digit.
		if f := strings.Fields(string(rest[:min(len(rest), 256)])); len(f) > 0 && f[0][0] >= '0' && f[0][0] <= '9' {
			return f[0], nil
		}
	}
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
