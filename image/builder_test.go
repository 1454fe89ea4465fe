package image

import (
	"bytes"
	"fmt"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// line prints a raw entry in the compact form the tables below use:
// name, octal c_mode, uid:gid, rdev major:minor, data.
func line(e rawEntry) string {
	return fmt.Sprintf("%s %06o %d:%d %d:%d %q", e.name, e.mode, e.uid, e.gid, e.rdevMajor, e.rdevMinor, e.data)
}

func lines(es []rawEntry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = line(e)
	}
	return out
}

// build runs ops on a new Builder and returns the image.
func build(t testing.TB, ops ...func(*Builder) error) []byte {
	t.Helper()
	b := New()
	for _, op := range ops {
		if err := op(b); err != nil {
			t.Fatal(err)
		}
	}
	img, err := b.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func file(dst string, mode fs.FileMode, data string, opts ...Option) func(*Builder) error {
	return func(b *Builder) error { return b.AddFile(dst, mode, []byte(data), opts...) }
}
func dir(dst string, mode fs.FileMode, opts ...Option) func(*Builder) error {
	return func(b *Builder) error { return b.AddDir(dst, mode, opts...) }
}
func symlink(dst, target string) func(*Builder) error {
	return func(b *Builder) error { return b.AddSymlink(dst, target) }
}
func device(dst string, mode fs.FileMode, major, minor uint32) func(*Builder) error {
	return func(b *Builder) error { return b.AddDevice(dst, mode, major, minor) }
}
func hostFile(dst, src string, opts ...Option) func(*Builder) error {
	return func(b *Builder) error { return b.AddHostFile(dst, src, opts...) }
}

const charDev = fs.ModeDevice | fs.ModeCharDevice

func TestRoundTrip(t *testing.T) {
	host := filepath.Join(t.TempDir(), "host")
	if err := os.WriteFile(host, []byte("from the host\n"), 0o750); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		ops  []func(*Builder) error
		want []string
	}{
		{"empty", nil, nil},
		{"file and parents", []func(*Builder) error{file("/etc/tinit/services.toml", 0o644, "x = 1\n")}, []string{
			`etc 040755 0:0 0:0 ""`,
			`etc/tinit 040755 0:0 0:0 ""`,
			`etc/tinit/services.toml 100644 0:0 0:0 "x = 1\n"`,
		}},
		{"every kind", []func(*Builder) error{
			file("/init", 0o755, "ELF"),
			dir("/tmp", 0o777|fs.ModeSticky),
			symlink("/bin/sh", "busybox"),
			device("/dev/console", charDev|0o600, 5, 1),
			device("/dev/vda", fs.ModeDevice|0o660, 254, 0),
			file("/sbin/su", 0o755|fs.ModeSetuid|fs.ModeSetgid, ""),
		}, []string{
			`bin 040755 0:0 0:0 ""`,
			`bin/sh 120777 0:0 0:0 "busybox"`,
			`dev 040755 0:0 0:0 ""`,
			`dev/console 020600 0:0 5:1 ""`,
			`dev/vda 060660 0:0 254:0 ""`,
			`init 100755 0:0 0:0 "ELF"`,
			`sbin 040755 0:0 0:0 ""`,
			`sbin/su 106755 0:0 0:0 ""`,
			`tmp 041777 0:0 0:0 ""`,
		}},
		{"host file, its mode or another", []func(*Builder) error{
			hostFile("/a", host),
			hostFile("/b", host, Mode(0o400), Owner(1000, 100)),
		}, []string{
			`a 100750 0:0 0:0 "from the host\n"`,
			`b 100400 1000:100 0:0 "from the host\n"`,
		}},
		{"explicit parent keeps its mode and owner", []func(*Builder) error{
			file("/home/u/.profile", 0o600, "PS1=$\n", Owner(1000, 1000)),
			dir("/home/u", 0o700, Owner(1000, 1000)),
		}, []string{
			`home 040755 0:0 0:0 ""`,
			`home/u 040700 1000:1000 0:0 ""`,
			`home/u/.profile 100600 1000:1000 0:0 "PS1=$\n"`,
		}},
		{"clean paths", []func(*Builder) error{file("//a/./b/../c", 0o644, "")}, []string{
			`a 040755 0:0 0:0 ""`,
			`a/c 100644 0:0 0:0 ""`,
		}},
		{"odd names", []func(*Builder) error{file("/a b/#c\n\"é", 0o644, "")}, []string{
			`a b 040755 0:0 0:0 ""`,
			"a b/#c\n\"é 100644 0:0 0:0 \"\"",
		}},
		{"identical re-adds", []func(*Builder) error{
			dir("/d", 0o755), dir("/d", 0o755),
			file("/f", 0o644, "same"), file("/f", 0o644, "same"),
			hostFile("/h", host), hostFile("/h", host), file("/h", 0o750, "from the host\n"),
			symlink("/s", "t"), symlink("/s", "t"),
		}, []string{
			`d 040755 0:0 0:0 ""`,
			`f 100644 0:0 0:0 "same"`,
			`h 100750 0:0 0:0 "from the host\n"`,
			`s 120777 0:0 0:0 "t"`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			es := parseImage(t, build(t, tt.ops...))
			checkInvariants(t, es, 0)
			if got := lines(es); !slices.Equal(got, tt.want) {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestSymlinkParents: an entry beneath a symlink of the image is stored
// where the symlink leads, the way the kernel would follow it.
func TestSymlinkParents(t *testing.T) {
	tests := []struct {
		name string
		ops  []func(*Builder) error
		want []string // names only
	}{
		{"relative", []func(*Builder) error{symlink("/lib64", "lib"), file("/lib64/ld.so", 0o755, "")},
			[]string{"lib", "lib/ld.so", "lib64"}},
		{"absolute", []func(*Builder) error{symlink("/lib64", "/usr/lib64"), file("/lib64/ld.so", 0o755, "")},
			[]string{"lib64", "usr", "usr/lib64", "usr/lib64/ld.so"}},
		{"chained", []func(*Builder) error{symlink("/a", "b"), symlink("/b", "c/d"), file("/a/f", 0o644, "")},
			[]string{"a", "b", "c", "c/d", "c/d/f"}},
		{"dot-dot after the link", []func(*Builder) error{symlink("/x/l", "/p/q"), file("/x/l/../f", 0o644, "")},
			[]string{"x", "x/f", "x/l"}}, // paths are cleaned when added, before any link
		{"dot-dot in the target", []func(*Builder) error{symlink("/x/l", "../../../y/z/.."), file("/x/l/f", 0o644, "")},
			[]string{"x", "x/l", "y", "y/f"}},
		{"same file both ways", []func(*Builder) error{symlink("/lib64", "lib"), file("/lib64/x", 0o644, "1"), file("/lib/x", 0o644, "1")},
			[]string{"lib", "lib/x", "lib64"}},
		{"deep", []func(*Builder) error{symlink("/usr/lib64", "lib"), symlink("/lib64", "usr/lib64"), file("/lib64/x", 0o644, "")},
			[]string{"lib64", "usr", "usr/lib", "usr/lib/x", "usr/lib64"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			es := parseImage(t, build(t, tt.ops...))
			checkInvariants(t, es, 0)
			var got []string
			for _, e := range es {
				got = append(got, e.name)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing")
	long := "/" + strings.Repeat("d/", 2047) + "f" // 4096 bytes: the stored name is 4095 + NUL
	tests := []struct {
		name string
		ops  []func(*Builder) error // the last one fails, or WriteTo
		want string
	}{
		{"relative", []func(*Builder) error{file("etc/x", 0o644, "")},
			`add "etc/x": relative path; paths in the image start with /`},
		{"empty", []func(*Builder) error{dir("", 0o755)}, `add "": empty path`},
		{"escape", []func(*Builder) error{file("/a/../../x", 0o644, "")},
			`add "/a/../../x": path escapes the image root through ".."`},
		{"root", []func(*Builder) error{dir("/", 0o755)},
			`add "/": is the image root; only entries beneath it can be added`},
		{"NUL", []func(*Builder) error{file("/a\x00b", 0o644, "")}, `add "/a\x00b": path contains a NUL byte`},
		{"too long", []func(*Builder) error{file(long+"x", 0o644, "")},
			fmt.Sprintf("add %q: name of 4096 bytes is longer than 4095", long+"x")},
		{"component", []func(*Builder) error{file("/"+strings.Repeat("c", 256), 0o644, "")},
			fmt.Sprintf("add %q: path component of 256 bytes is longer than 255", "/"+strings.Repeat("c", 256))},
		{"setuid as a number", []func(*Builder) error{file("/su", 0o4755, "")},
			`add "/su": bad mode 04755: bits 04000 are not permission bits (use fs.ModeSetuid, fs.ModeSetgid, fs.ModeSticky for 04000, 02000, 01000)`},
		{"type in file mode", []func(*Builder) error{file("/f", fs.ModeDir|0o755, "")},
			`add "/f": bad mode 020000000755: bits 020000000000 are not permission bits (use fs.ModeSetuid, fs.ModeSetgid, fs.ModeSticky for 04000, 02000, 01000)`},
		{"bad Mode option", []func(*Builder) error{hostFile("/f", "/proc/self/exe", Mode(fs.ModeSymlink))},
			`add "/f": bad mode 01000000000: bits 01000000000 are not permission bits (use fs.ModeSetuid, fs.ModeSetgid, fs.ModeSticky for 04000, 02000, 01000)`},
		{"mode of a symlink", []func(*Builder) error{func(b *Builder) error { return b.AddSymlink("/s", "t", Mode(0o755)) }},
			`add "/s": a symlink has no mode of its own (always 0777)`},
		{"missing host file", []func(*Builder) error{hostFile("/x", missing)},
			fmt.Sprintf(`add "/x": stat %s: no such file or directory`, missing)},
		{"host directory", []func(*Builder) error{hostFile("/x", "/")},
			`add "/x": host file "/" is a directory, not a regular file`},
		{"device without type", []func(*Builder) error{device("/dev/x", 0o600, 1, 3)},
			`add "/dev/x": bad mode -rw------- for a device: fs.ModeDevice is not set`},
		{"device numbers", []func(*Builder) error{device("/dev/x", charDev|0o600, 4096, 1)},
			`add "/dev/x": device 4096:1 out of range (major at most 4095, minor at most 1048575)`},
		{"empty target", []func(*Builder) error{symlink("/s", "")}, `add "/s": empty symlink target`},
		{"long target", []func(*Builder) error{symlink("/s", strings.Repeat("t", 4096))},
			`add "/s": symlink target of 4096 bytes is longer than 4095`},
		{"different content", []func(*Builder) error{file("/f", 0o644, "a"), file("/f", 0o644, "b")},
			`add "/f": already added with different content: file (1 byte) mode=0644`},
		{"different kind", []func(*Builder) error{dir("/d", 0o755), file("/d", 0o644, "")},
			`add "/d": already added as dir mode=0755; this adds file (0 bytes) mode=0644`},
		{"different mode", []func(*Builder) error{dir("/d", 0o755), dir("/d", 0o700)},
			`add "/d": already added as dir mode=0755; this adds dir mode=0700`},
		{"different owner", []func(*Builder) error{dir("/d", 0o755), dir("/d", 0o755, Owner(1, 2))},
			`add "/d": already added as dir mode=0755; this adds dir mode=0755 uid=1 gid=2`},
		{"file as a parent", []func(*Builder) error{file("/a", 0o644, "x"), file("/a/b", 0o644, "")},
			`add "/a/b": parent "/a" is a file (1 byte) mode=0644, not a directory`},
		{"symlink loop", []func(*Builder) error{symlink("/a", "b"), symlink("/b", "a"), file("/a/x", 0o644, "")},
			`add "/a/x": too many levels of symbolic links at "/a"`},
		{"collision through a symlink", []func(*Builder) error{symlink("/lib64", "lib"), file("/lib64/x", 0o644, "1"), file("/lib/x", 0o644, "2")},
			`add "/lib64/x": stored at "/lib/x" through a symlink, clashing with "/lib/x": already added with different content: file (1 byte) mode=0644`},
		{"moved onto a file", []func(*Builder) error{symlink("/l", "t"), file("/l/x", 0o644, ""), file("/t/x/y", 0o644, "")},
			`add "/t/x/y": stored at "/t/x/y", whose parent "/t/x" is a file (0 bytes) mode=0644, not a directory`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := New()
			var err error
			for i, op := range tt.ops {
				err = op(b)
				if err != nil && i < len(tt.ops)-1 {
					t.Fatalf("op %d: %v", i, err)
				}
			}
			if err == nil {
				_, err = b.WriteTo(&bytes.Buffer{})
			}
			if err == nil || err.Error() != tt.want {
				t.Errorf("got %v, want %s", err, tt.want)
			}
		})
	}
}

func TestSettingErrors(t *testing.T) {
	b := New()
	if err := b.SetModTime(time.Unix(-1, 0)); err == nil {
		t.Errorf("SetModTime(-1): got nil, want an error")
	}
	if err := b.SetModTime(time.Unix(1<<32, 0)); err == nil {
		t.Errorf("SetModTime(1<<32): got nil, want an error")
	}
	if err := b.SetGzipLevel(10); err == nil {
		t.Errorf("SetGzipLevel(10): got nil, want an error")
	}
}

// TestHostFileChanged: a host file that changes size between AddHostFile
// and WriteTo is an error naming both the entry and the file.
func TestHostFileChanged(t *testing.T) {
	src := filepath.Join(t.TempDir(), "f")
	os.WriteFile(src, []byte("one"), 0o644)
	b := New()
	if err := b.AddHostFile("/f", src); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(src, []byte("three"), 0o644)
	_, err := b.WriteTo(&bytes.Buffer{})
	want := fmt.Sprintf(`write "/f": host file %q changed since it was added (now a regular file of 5 bytes, was 3 bytes)`, src)
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

// TestDeterministic: the same entries give the same bytes whatever the
// order they were added in, and a different modification time gives other
// bytes (so the comparison can fail).
func TestDeterministic(t *testing.T) {
	host := filepath.Join(t.TempDir(), "host")
	os.WriteFile(host, bytes.Repeat([]byte("tinit "), 5000), 0o755)
	ops := []func(*Builder) error{
		file("/etc/tinit/services.toml", 0o644, "[service.a]\n"),
		hostFile("/init", host),
		hostFile("/usr/bin/x", host, Mode(0o700)),
		dir("/tmp", 0o777|fs.ModeSticky),
		dir("/etc", 0o755),
		symlink("/lib64", "lib"),
		file("/lib64/ld.so", 0o755, "ld"),
		device("/dev/console", charDev|0o600, 5, 1),
		device("/dev/null", charDev|0o666, 1, 3),
	}
	first := build(t, ops...)
	rng := rand.New(rand.NewSource(1))
	for i := range 20 {
		shuffled := slices.Clone(ops)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		if got := build(t, shuffled...); !bytes.Equal(got, first) {
			t.Fatalf("order %d: %d bytes differ from the first build's %d", i, len(got), len(first))
		}
	}
	later := build(t, append(ops, func(b *Builder) error { return b.SetModTime(time.Unix(1700000000, 0)) })...)
	if bytes.Equal(later, first) {
		t.Errorf("another modification time gave the same bytes")
	}
	checkInvariants(t, parseImage(t, later), 1700000000)
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "initrd.cpio.gz")
	b := New()
	b.AddFile("/init", 0o755, []byte("x"))
	if err := b.WriteFile(out); err != nil {
		t.Fatal(err)
	}
	want, _ := b.Bytes()
	got, err := os.ReadFile(out)
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("got %d bytes (%v), want the %d of Bytes", len(got), err, len(want))
	}
	if fi, _ := os.Stat(out); fi.Mode().Perm() != 0o644 {
		t.Errorf("got mode %v, want 0644", fi.Mode())
	}
	b.AddFile("/bad/../../x", 0o644, nil) // refused: the image stays valid
	b.AddFile("/a", 0o644, nil)
	b.AddFile("/a/b", 0o644, nil) // an error at write time
	if err := b.WriteFile(out); err == nil {
		t.Errorf("WriteFile with a file as a parent: got nil, want an error")
	}
	if names, _ := filepath.Glob(filepath.Join(dir, "*")); len(names) != 1 {
		t.Errorf("got files %q, want only the first image (no temporary file left)", names)
	}
	if got, _ := os.ReadFile(out); !bytes.Equal(got, want) {
		t.Errorf("a failed WriteFile changed the image")
	}
}

func TestHas(t *testing.T) {
	b := New()
	b.AddFile("/a/b", 0o644, nil)
	for p, want := range map[string]bool{"/a/b": true, "//a/./b": true, "/a": false, "/c": false, "a/b": false} {
		if got := b.Has(p); got != want {
			t.Errorf("Has(%q): got %v, want %v", p, got, want)
		}
	}
}

// TestAddDefaultDevices: the console and null nodes, each unless the
// image has that path already.
func TestAddDefaultDevices(t *testing.T) {
	b := New()
	if err := b.AddDevice("/dev/null", fs.ModeDevice|fs.ModeCharDevice|0o600, 1, 3); err != nil {
		t.Fatal(err)
	}
	if err := b.AddDefaultDevices(); err != nil {
		t.Fatal(err)
	}
	if !b.Has("/dev/console") || !b.Has("/dev/null") {
		t.Errorf("console %v, null %v: want both", b.Has("/dev/console"), b.Has("/dev/null"))
	}
}
