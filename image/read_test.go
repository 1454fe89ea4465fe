package image

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io/fs"
	"strings"
	"testing"
)

// rawHeader writes a newc or crc entry by hand, independently of the
// writer, for archives the Builder never makes.
func rawHeader(magic string, ino, mode, nlink, rmaj, rmin, check uint32, name, data string) string {
	h := fmt.Sprintf("%s%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		magic, ino, mode, 7, 8, nlink, 99, len(data), 3, 4, rmaj, rmin, len(name)+1, check)
	s := h + name + "\x00"
	s += strings.Repeat("\x00", (4-len(s)%4)%4)
	s += data
	return s + strings.Repeat("\x00", (4-len(data)%4)%4)
}

func trailer() string { return rawHeader("070701", 0, 0, 1, 0, 0, 0, "TRAILER!!!", "") }

func gz(s string) string {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(s))
	zw.Close()
	return buf.String()
}

// TestReadForeign reads archives other tools make: "." and "./" names,
// upper-case hex, the crc format, NUL padding and several archives one
// after the other, compressed or not.
func TestReadForeign(t *testing.T) {
	one := rawHeader("070701", 1, 0o40755, 2, 0, 0, 0, ".", "") +
		rawHeader("070701", 2, 0o100644, 1, 0, 0, 0, "./etc/motd", "hello") +
		rawHeader("070702", 3, 0o100600, 1, 0, 0, 'h'+'i', "crc", "hi") +
		rawHeader("070701", 4, 0o20620, 1, 4, 64, 0, "/dev/ttyS0", "") +
		rawHeader("070701", 5, 0o120777, 1, 0, 0, 0, "bin/sh", "busybox") + trailer()
	two := rawHeader("070701", 1, 0o10644, 1, 0, 0, 0, "fifo", "") + trailer()
	want := []string{
		"drwxr-xr-x     7     8          0 /",
		"-rw-r--r--     7     8          5 /etc/motd",
		"-rw-------     7     8          2 /crc",
		"crw--w----     7     8      4, 64 /dev/ttyS0",
		"lrwxrwxrwx     7     8          7 /bin/sh -> busybox",
		"prw-r--r--     7     8          0 /fifo",
	}
	for name, img := range map[string]string{
		"raw":            one + "\x00\x00\x00\x00" + two + "\x00\x00\x00\x00",
		"gzip":           gz(one + two),
		"gzip, two runs": gz(one) + gz(two),
	} {
		t.Run(name, func(t *testing.T) {
			es, err := Read(strings.NewReader(img))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range es {
				got = append(got, e.String())
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if string(es[1].Data) != "hello" || es[0].MTime != 99 || es[2].Ino != 3 {
				t.Errorf("got %+v, want data hello, mtime 99, ino 3", es[:3])
			}
		})
	}
}

func TestReadErrors(t *testing.T) {
	file := rawHeader("070701", 1, 0o100644, 1, 0, 0, 0, "f", "data")
	tests := []struct {
		name, img, want string
	}{
		{"empty", "", "read image: no cpio archive"},
		{"old binary cpio", "\xc7\x71" + strings.Repeat("x", 200), `read image: entry at byte 0: bad magic "\xc7qxxxx": not newc (070701) or crc (070702)`},
		{"odc", "070707" + strings.Repeat("0", 200), `read image: entry at byte 0: bad magic "070707": not newc (070701) or crc (070702)`},
		{"truncated header", file[:50], "read image: entry at byte 0: archive is truncated"},
		{"truncated data", file[:len(file)-3], "read image: entry at byte 0: archive is truncated"},
		{"no trailer", file, "read image: archive ends at byte 116 without TRAILER!!!"},
		{"bad hex", strings.Replace(file, "00000001", "0000000g", 1), `read image: entry at byte 0: bad header field 0 "0000000g": not 8 hex digits`},
		{"name too long", rawHeader("070701", 1, 0o100644, 1, 0, 0, 0, strings.Repeat("n", 4096), ""), "read image: entry at byte 0: name size 4097 is not in 2..4096"},
		{"name without NUL", strings.Replace(file, "f\x00", "ff", 1), `read image: entry at byte 0: name "ff" is not one NUL-terminated string`},
		{"bad crc", rawHeader("070702", 1, 0o100644, 1, 0, 0, 5, "f", "data") + trailer(), "read image: entry at byte 0: crc entry: data sums to 0x19a, header says 0x5"},
		{"unknown type", rawHeader("070701", 1, 0o170644, 1, 0, 0, 0, "f", "") + trailer(), `read image: entry at byte 0: "f": unknown file type in mode 0170644`},
		{"misaligned second archive", file + trailer() + "\x00\x00" + file, "read image: archive at byte 242 does not start at a multiple of 4 bytes"},
		{"bad gzip", "\x1f\x8b\x08", "read image: unexpected EOF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tt.img))
			if err == nil || err.Error() != tt.want {
				t.Errorf("got %v, want %s", err, tt.want)
			}
		})
	}
}

// FuzzRead: Read never panics, and every entry it returns has an absolute
// clean name and a known type.
func FuzzRead(f *testing.F) {
	f.Add([]byte(rawHeader("070701", 1, 0o100644, 1, 0, 0, 0, "./a/b", "data") + trailer()))
	f.Add([]byte(rawHeader("070702", 1, 0o120777, 1, 0, 0, 'x', "l", "x") + trailer() + "\x00\x00\x00\x00" + trailer()))
	f.Add([]byte(gz(rawHeader("070701", 1, 0o20600, 1, 5, 1, 0, "dev/console", "") + trailer())))
	f.Fuzz(func(t *testing.T, img []byte) {
		es, err := Read(bytes.NewReader(img))
		for _, e := range es {
			if !strings.HasPrefix(e.Name, "/") || strings.Contains(e.Name, "//") || strings.Contains(e.Name, "\x00") {
				t.Errorf("name %q is not absolute and clean", e.Name)
			}
			if e.Mode&fs.ModeType&^(fs.ModeDir|fs.ModeSymlink|fs.ModeDevice|fs.ModeCharDevice|fs.ModeNamedPipe|fs.ModeSocket) != 0 {
				t.Errorf("%q: mode %v", e.Name, e.Mode)
			}
		}
		if err == nil && len(es) > 0 && !strings.HasPrefix(fmt.Sprint(es[0]), lsMode(es[0].Mode)) {
			t.Errorf("String %q does not start with the mode", es[0])
		}
	})
}
