package image

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

var (
	fuzzPerms = []fs.FileMode{0o644, 0o755, 0o600, 0o777 | fs.ModeSticky, 0o755 | fs.ModeSetuid, 0o750 | fs.ModeSetgid, 0}
	fuzzNames = []string{"sp ace", "new\nline", "ünï", "#hash", "q\"uote", "back\\slash", strings.Repeat("n", 255)}
	fuzzLinks = []string{"busybox", "../a", "/x y", "a\nb", strings.Repeat("t", 4095), "."}
)

// FuzzRoundTrip adds entries chosen by the fuzzer (4 bytes each), keeps a
// model of what the image must hold, and checks the written image with the
// independent reader: every name, mode, owner, device and content, the
// implicit parents, and that an entry is refused exactly when it clashes
// with one added before. Read must agree with the independent reader.
func FuzzRoundTrip(f *testing.F) {
	f.Add([]byte{0, 0, 0, 5})
	f.Add([]byte{0, 0x15, 1, 9, 1, 0x15, 2, 3, 2, 4, 1, 0, 3, 0, 1, 1, 4, 0, 3, 7})
	f.Add([]byte{0x80, 0x3f, 0xff, 0xff, 0, 0x3f, 0xff, 0xff, 0x81, 5, 5, 5, 0x01, 5, 5, 4})
	f.Fuzz(func(t *testing.T, ops []byte) {
		b := New()
		mtime := uint32(len(ops)) * 1000003
		if err := b.SetModTime(time.Unix(int64(mtime), 0)); err != nil {
			t.Fatal(err)
		}
		b.SetGzipLevel(gzip.NoCompression) // speed: compress/flate is not under test
		model := map[string]string{}
		for ; len(ops) >= 4; ops = ops[4:] {
			fuzzAdd(t, b, model, ops[:4])
		}
		img, err := b.Bytes()
		if err != nil {
			t.Fatalf("write: %v", err)
		}
		es := parseImage(t, img)
		checkInvariants(t, es, mtime)
		if got, want := lines(es), modelLines(model); !slices.Equal(got, want) {
			t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		compareRead(t, img, es)
	})
}

// fuzzAdd adds the entry that op describes and records it in model (by
// stored name, as line prints it).
func fuzzAdd(t *testing.T, b *Builder, model map[string]string, op []byte) {
	k, p, a, c := op[0], op[1], op[2], op[3]
	parent := ""
	for i := range int(p % 3) {
		parent += "/" + string("abc"[(p>>(2+2*i))%3])
	}
	var opts []Option
	uid, gid := uint32(0), uint32(0)
	if k&0x80 != 0 {
		uid, gid = uint32(a)*65599, uint32(c)
		opts = append(opts, Owner(uid, gid))
	}
	perm := fuzzPerms[int(c)%len(fuzzPerms)]
	var dst, data string
	var mode uint32
	var rdev [2]uint32
	var err error
	switch k % 5 {
	case 0, 4:
		dst = fmt.Sprintf("%s/f%d", parent, a%4)
		if k%5 == 4 {
			dst = parent + "/" + fuzzNames[int(a)%len(fuzzNames)]
		}
		data = strings.Repeat(string(rune('a'+c%3)), int(c>>2)%7)
		mode = sIFREG | unixMode(perm)&0o7777
		err = b.AddFile(dst, perm, []byte(data), opts...)
	case 1:
		dst = parent + "/" + string("abc"[a%3])
		mode = sIFDIR | unixMode(perm)&0o7777
		err = b.AddDir(dst, perm, opts...)
	case 2:
		dst = fmt.Sprintf("%s/s%d", parent, a%4)
		data = fuzzLinks[int(c)%len(fuzzLinks)]
		mode = sIFLNK | 0o777
		err = b.AddSymlink(dst, data, opts...)
	case 3:
		dst = fmt.Sprintf("%s/d%d", parent, a%4)
		typ, unixTyp := fs.ModeDevice, uint32(sIFBLK)
		if c&1 != 0 {
			typ, unixTyp = charDev, sIFCHR
		}
		rdev = [2]uint32{uint32(c) * 16 % (MaxMajor + 1), uint32(a) * 4099}
		mode = unixTyp | unixMode(perm)&0o7777
		err = b.AddDevice(dst, typ|perm, rdev[0], rdev[1], opts...)
	}
	want := line(rawEntry{name: dst[1:], mode: mode, uid: uid, gid: gid, rdevMajor: rdev[0], rdevMinor: rdev[1], data: []byte(data)})
	old, exists := model[dst[1:]]
	switch {
	case exists && old != want:
		if err == nil {
			t.Fatalf("add %q: got nil, want an error: it was %s, now %s", dst, old, want)
		}
	case err != nil:
		t.Fatalf("add %q: %v", dst, err)
	default:
		model[dst[1:]] = want
	}
}

// modelLines adds the implicit parents to the model and sorts it.
func modelLines(model map[string]string) []string {
	all := map[string]string{}
	for name, l := range model {
		all[name] = l
		for i := strings.LastIndexByte(name, '/'); i > 0; i = strings.LastIndexByte(name[:i], '/') {
			if _, ok := model[name[:i]]; !ok {
				all[name[:i]] = line(rawEntry{name: name[:i], mode: sIFDIR | 0o755})
			}
		}
	}
	names := make([]string, 0, len(all))
	for n := range all {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = all[n]
	}
	return out
}

// compareRead checks that Read sees what the independent reader saw.
func compareRead(t *testing.T, img []byte, raw []rawEntry) {
	t.Helper()
	got, err := Read(bytes.NewReader(img))
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if len(got) != len(raw) {
		t.Fatalf("Read: got %d entries, want %d", len(got), len(raw))
	}
	for i, e := range got {
		body := string(e.Data) + e.Linkname
		r := raw[i]
		if e.Name != "/"+r.name || unixMode(e.Mode) != r.mode || e.UID != r.uid || e.GID != r.gid ||
			e.Major != r.rdevMajor || e.Minor != r.rdevMinor || body != string(r.data) || e.Ino != r.ino || e.MTime != int64(r.mtime) {
			t.Errorf("Read: got %+v, want %v", e, r)
		}
	}
}
