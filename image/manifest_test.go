package image

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestManifest(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "bin"), 0o755)
	os.MkdirAll(filepath.Join(dir, "examples"), 0o755)
	os.WriteFile(filepath.Join(dir, "bin", "tinit"), []byte("tinit"), 0o644)
	os.WriteFile(filepath.Join(dir, "examples", "services.toml"), []byte("[x]\n"), 0o600)
	os.WriteFile(filepath.Join(dir, "with space"), []byte("s"), 0o644)
	manifest := "# dst                      kind     source / args\r\n" +
		"/init                      file     bin/tinit  mode=0755\n" +
		"/etc/tinit/services.toml   file     examples/services.toml   # kept 0600\n" +
		"\n" +
		"   /dev/console            char     5 1  mode=0600\n" +
		"/dev/vda\tblock\t254\t0\tmode=0660\tuid=0\tgid=6\n" +
		"/tmp                       dir      mode=1777\n" +
		"/home/user                 dir      uid=1000 gid=1000 mode=0700\n" +
		"/lib64                     symlink  lib\n" +
		`"/etc/host name"          text     "vm1\n"` + "\n" +
		`/etc/a#b                   text     ""  mode=0400` + "\n" +
		`/spaced                    file     "with space"` + "\n" +
		"/usr/bin/su                file     " + filepath.Join(dir, "bin", "tinit") + " mode=4755\n"
	b := New()
	if err := b.AddManifest("m.txt", strings.NewReader(manifest), dir); err != nil {
		t.Fatal(err)
	}
	img, err := b.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	got := lines(parseImage(t, img))
	want := []string{
		`dev 040755 0:0 0:0 ""`,
		`dev/console 020600 0:0 5:1 ""`,
		`dev/vda 060660 0:6 254:0 ""`,
		`etc 040755 0:0 0:0 ""`,
		`etc/a#b 100400 0:0 0:0 ""`,
		`etc/host name 100644 0:0 0:0 "vm1\n"`,
		`etc/tinit 040755 0:0 0:0 ""`,
		`etc/tinit/services.toml 100600 0:0 0:0 "[x]\n"`,
		`home 040755 0:0 0:0 ""`,
		`home/user 040700 1000:1000 0:0 ""`,
		`init 100755 0:0 0:0 "tinit"`,
		`lib64 120777 0:0 0:0 "lib"`,
		`spaced 100644 0:0 0:0 "s"`,
		`tmp 041777 0:0 0:0 ""`,
		`usr 040755 0:0 0:0 ""`,
		`usr/bin 040755 0:0 0:0 ""`,
		`usr/bin/su 104755 0:0 0:0 "tinit"`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestManifestErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct{ name, manifest, want string }{
		{"unknown kind", "/x fiel a", `m:1: entry "/x": unknown kind "fiel" (want one of block, char, dir, file, program, symlink, text)`},
		{"no kind", "\n\n/x", `m:3: entry "/x": no kind (want one of block, char, dir, file, program, symlink, text)`},
		{"quoted kind", `/x "dir"`, `m:1: entry "/x": unknown kind "dir" (want one of block, char, dir, file, program, symlink, text)`},
		{"missing argument", "/dev/null char 1", `m:1: entry "/dev/null": char takes MAJOR MINOR [key=value...]`},
		{"bad number", "/dev/null char 1 x", `m:1: entry "/dev/null": bad MINOR "x": want a decimal number`},
		{"extra word", "/l symlink a b", `m:1: entry "/l": unexpected word b: symlink takes TARGET [key=value...]`},
		{"quoted option", `/d dir "mode=0700"`, `m:1: entry "/d": unexpected word mode=0700: dir takes [key=value...]`},
		{"unknown option", "/d dir owner=root", `m:1: entry "/d": unknown option "owner" for dir (want mode, uid, gid)`},
		{"mode of a symlink", "/l symlink t mode=0777", `m:1: entry "/l": unknown option "mode" for symlink (want uid, gid)`},
		{"bad mode", "/d dir mode=0999", `m:1: entry "/d": bad mode "0999": want an octal number up to 07777`},
		{"big mode", "/d dir mode=17777", `m:1: entry "/d": bad mode "17777": want an octal number up to 07777`},
		{"twice", "/d dir mode=0700 mode=0755", `m:1: entry "/d": option mode given twice`},
		{"bad uid", "/d dir uid=-1", `m:1: entry "/d": bad uid "-1": want a decimal number`},
		{"unterminated", `/x text "abc`, `m:1: unterminated quoted word "abc`},
		{"bad escape", `/x text "\q"`, `m:1: bad quoted word "\q": invalid syntax`},
		{"glued quote", `/x text "a"b`, `m:1: no space after the quoted word "a"`},
		{"quote in a word", `/x text a"b"`, `m:1: quote inside the word a"b": quote the whole word`},
		{"relative dst", "etc/x dir", `m:1: add "etc/x": relative path; paths in the image start with /`},
		{"missing source", "/x file nope", fmt.Sprintf(`m:1: add "/x": stat %s/nope: no such file or directory`, dir)},
		{"device range", "/dev/x block 4096 0", `m:1: add "/dev/x": device 4096:0 out of range (major at most 4095, minor at most 1048575)`},
		{"duplicate", "/d dir\n# again\n/d dir mode=0700", `m:3: add "/d": already added as dir mode=0755 at m:1; this adds dir mode=0700`},
		{"every problem at once", "/a fiel\n/b dir\n/c dir mode=9\n/b symlink x", `m:1: entry "/a": unknown kind "fiel" (want one of block, char, dir, file, program, symlink, text)` +
			"\n" + `m:3: entry "/c": bad mode "9": want an octal number up to 07777` +
			"\n" + `m:4: add "/b": already added as dir mode=0755 at m:2; this adds symlink x`},
		{"too long", "/a dir\n/b text " + strings.Repeat("x", MaxManifestLine), `m:2: line longer than 65536 bytes`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := New().AddManifest("m", strings.NewReader(tt.manifest), dir)
			if err == nil || err.Error() != tt.want {
				t.Errorf("got %v, want %s", err, tt.want)
			}
		})
	}
}

func TestAddManifestFile(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "data"), []byte("d"), 0o644)
	m := filepath.Join(dir, "image.manifest")
	os.WriteFile(m, []byte("/data file data\n/bad dir mode=8\n"), 0o644)
	b := New()
	err := b.AddManifestFile(m)
	if want := m + `:2: entry "/bad": bad mode "8": want an octal number up to 07777`; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
	if !b.Has("/data") {
		t.Errorf("the good line was not added")
	}
	err = b.AddManifestFile(filepath.Join(dir, "nope"))
	if want := fmt.Sprintf("read manifest: open %s/nope: no such file or directory", dir); err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

var posRE = regexp.MustCompile(`^fuzz:(\d+): `)

// FuzzManifest: parsing never panics; every error starts with "fuzz:N: "
// for a line N of the input; every line parsed prints (String) as a line
// that parses back to the same entry; and the lines that touch no host file
// can be added and written.
func FuzzManifest(f *testing.F) {
	f.Add("/init file bin/tinit mode=0755\n/dev/console char 5 1 mode=0600\n")
	f.Add("# c\n\"/a b\" text \"x\\ty\" uid=1 gid=2 # c\n/tmp dir mode=1777\n/lib64 symlink lib\n")
	f.Add("/x block 8 0\r\n/y dir mode=99\n/z fiel\n\"/q")
	f.Fuzz(func(t *testing.T, manifest string) {
		nlines := strings.Count(manifest, "\n") + 1
		lines, err := parseManifest("fuzz", strings.NewReader(manifest))
		checkPositions(t, err, nlines)
		b := newUncompressed()
		for _, l := range lines {
			again, err := parseLine(l.pos, l.String())
			if err != nil || again == nil || again.String() != l.String() || again.mode != l.mode || again.uid != l.uid || again.gid != l.gid {
				t.Fatalf("%s: %q printed as %q parses as %v, %v", l.pos, l.dst, l.String(), again, err)
			}
			if l.kind != "file" && l.kind != "program" {
				checkPositions(t, manifestKinds[l.kind].add(b, l, "", l.options()), nlines)
			}
		}
		_, err = b.Bytes()
		checkPositions(t, err, nlines)
	})
}

func checkPositions(t *testing.T, err error, nlines int) {
	t.Helper()
	if err == nil {
		return
	}
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	for _, e := range errs {
		m := posRE.FindStringSubmatch(e.Error())
		if m == nil {
			t.Fatalf("error %q does not start with fuzz:LINE: ", e)
		}
		if n, _ := strconv.Atoi(m[1]); n < 1 || n > nlines {
			t.Fatalf("error %q: line %d of %d", e, n, nlines)
		}
		var ie *Error
		if errors.As(e, &ie) && !strings.HasPrefix(e.Error(), ie.Pos+": ") {
			t.Fatalf("error %q: Pos %q", e, ie.Pos)
		}
	}
}
