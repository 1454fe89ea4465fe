package image

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"
)

// rawEntry is one entry as the independent reader below sees it: the
// header's numbers as stored and the name without any cleaning.
type rawEntry struct {
	name                              string
	ino, mode, uid, gid, nlink, mtime uint32
	devMajor, devMinor                uint32
	rdevMajor, rdevMinor              uint32
	data                              []byte
}

func (e rawEntry) String() string {
	return fmt.Sprintf("%q mode=%#o uid=%d gid=%d rdev=%d:%d data=%q", e.name, e.mode, e.uid, e.gid, e.rdevMajor, e.rdevMinor, e.data)
}

// parseImage is a second newc reader, written apart from Read and from the
// writer on purpose: it decompresses the whole image, walks it with plain
// offsets, and checks every rule of the kernel's buffer format strictly
// (magic 070701, c_check 0, alignment, the NUL, the trailer last and
// nothing after it). It fails the test instead of returning errors.
func parseImage(t testing.TB, gz []byte) []rawEntry {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatalf("gunzip: %v", err)
	}
	if zr.Name != "" || !zr.ModTime.IsZero() || zr.Comment != "" || zr.Extra != nil {
		t.Errorf("gzip header has name %q, time %v, comment %q, extra %q; want none", zr.Name, zr.ModTime, zr.Comment, zr.Extra)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("gunzip: %v", err)
	}
	return parseRaw(t, raw)
}

func parseRaw(t testing.TB, raw []byte) []rawEntry {
	t.Helper()
	var out []rawEntry
	for off := 0; ; {
		e, next, err := rawAt(raw, off)
		if err != nil {
			t.Fatalf("entry at byte %d: %v", off, err)
		}
		if e.name == "TRAILER!!!" {
			if next != len(raw) {
				t.Fatalf("%d bytes after the trailer", len(raw)-next)
			}
			return out
		}
		out = append(out, e)
		off = next
	}
}

// rawAt parses the entry at off and returns the offset of the next one.
func rawAt(raw []byte, off int) (rawEntry, int, error) {
	var e rawEntry
	if off%4 != 0 {
		return e, 0, fmt.Errorf("entry not aligned to 4")
	}
	if len(raw)-off < 110 {
		return e, 0, fmt.Errorf("short header: %d bytes left", len(raw)-off)
	}
	h := string(raw[off : off+110])
	if h[:6] != "070701" {
		return e, 0, fmt.Errorf("magic %q", h[:6])
	}
	var f [13]uint32
	for i := range f {
		s := h[6+8*i : 14+8*i]
		if strings.ToLower(s) != s {
			return e, 0, fmt.Errorf("field %d %q: want lower-case hex", i, s)
		}
		v, err := strconv.ParseUint(s, 16, 32)
		if err != nil {
			return e, 0, fmt.Errorf("field %d: %v", i, err)
		}
		f[i] = uint32(v)
	}
	if f[12] != 0 {
		return e, 0, fmt.Errorf("c_check %#x, want 0 for 070701", f[12])
	}
	nsz, size := int(f[11]), int(f[6])
	start := off + 110
	if nsz < 2 || nsz > 4096 || start+nsz > len(raw) {
		return e, 0, fmt.Errorf("c_namesize %d", nsz)
	}
	name := raw[start : start+nsz]
	if name[nsz-1] != 0 || bytes.IndexByte(name[:nsz-1], 0) >= 0 {
		return e, 0, fmt.Errorf("name %q not one NUL-terminated string", name)
	}
	dataAt := (start + nsz + 3) / 4 * 4
	if dataAt+size > len(raw) || !allZero(raw[start+nsz:dataAt]) {
		return e, 0, fmt.Errorf("bad name padding or data size %d", size)
	}
	next := (dataAt + size + 3) / 4 * 4
	if next > len(raw) || !allZero(raw[dataAt+size:next]) {
		return e, 0, fmt.Errorf("bad data padding")
	}
	e = rawEntry{name: string(name[:nsz-1]), ino: f[0], mode: f[1], uid: f[2], gid: f[3],
		nlink: f[4], mtime: f[5], devMajor: f[7], devMinor: f[8], rdevMajor: f[9], rdevMinor: f[10],
		data: raw[dataAt : dataAt+size]}
	return e, next, nil
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// checkInvariants checks what holds for every image the Builder writes:
// names sorted and stored without a leading slash, every parent a
// directory listed before its children, inode numbers unique and not 0,
// one link for everything but directories, the same mtime everywhere.
func checkInvariants(t testing.TB, es []rawEntry, mtime uint32) {
	t.Helper()
	kinds := map[string]uint32{}
	inos := map[uint32]string{}
	for i, e := range es {
		if strings.HasPrefix(e.name, "/") || strings.HasPrefix(e.name, "./") || e.name == "." {
			t.Errorf("name %q: stored with a leading / or ./", e.name)
		}
		if i > 0 && es[i-1].name >= e.name {
			t.Errorf("names not sorted: %q before %q", es[i-1].name, e.name)
		}
		if j := strings.LastIndexByte(e.name, '/'); j >= 0 && kinds[e.name[:j]] != 0o040000 {
			t.Errorf("%q: parent %q is not a directory listed before it", e.name, e.name[:j])
		}
		kinds[e.name] = e.mode & 0o170000
		if prev, dup := inos[e.ino]; dup || e.ino == 0 {
			t.Errorf("%q: inode %d (also %q)", e.name, e.ino, prev)
		}
		inos[e.ino] = e.name
		if wantLinks := map[bool]uint32{true: 2, false: 1}[e.mode&0o170000 == 0o040000]; e.nlink != wantLinks {
			t.Errorf("%q: nlink %d, want %d", e.name, e.nlink, wantLinks)
		}
		if e.mtime != mtime || e.devMajor != 0 || e.devMinor != 0 {
			t.Errorf("%q: mtime %d dev %d:%d, want %d and 0:0", e.name, e.mtime, e.devMajor, e.devMinor, mtime)
		}
	}
}
