package image

import (
	"bytes"
	"compress/gzip"
	"debug/elf"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"syscall"
	"testing"
)

// TestReadELFMatchesDebugElf reads the loader information of the ELF files
// of this machine from the program headers and compares it with what
// debug/elf finds through the section headers.
func TestReadELFMatchesDebugElf(t *testing.T) {
	files, _ := filepath.Glob("/usr/bin/*")
	libs, _ := filepath.Glob("/usr/lib/x86_64-linux-gnu/*.so*")
	checked := 0
	for _, p := range append(files, libs...) {
		f, err := elf.Open(p)
		if err != nil {
			continue
		}
		want := sectionInfo(t, f)
		f.Close()
		got, err := readELFFile(p)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		got.class, got.machine = 0, 0
		if g, w := strings.Join(describeELF(got), "|"), strings.Join(describeELF(want), "|"); g != w {
			t.Errorf("%s: got %s, want %s", p, g, w)
		}
		checked++
	}
	if checked < 50 {
		t.Errorf("checked %d ELF files, want at least 50", checked)
	}
}

func sectionInfo(t *testing.T, f *elf.File) *elfInfo {
	var info elfInfo
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			b := make([]byte, p.Filesz)
			p.ReadAt(b, 0)
			info.interp = strings.TrimRight(string(b), "\x00")
		}
	}
	if f.SectionByType(elf.SHT_DYNAMIC) == nil {
		return &info
	}
	info.needed, _ = f.DynString(elf.DT_NEEDED)
	rpath, _ := f.DynString(elf.DT_RPATH)
	runpath, _ := f.DynString(elf.DT_RUNPATH)
	info.rpath, _ = splitPaths(rpath, nil)
	info.runpath, _ = splitPaths(runpath, nil)
	if s, _ := f.DynString(elf.DT_SONAME); len(s) > 0 {
		info.soname = s[0]
	}
	return &info
}

func describeELF(i *elfInfo) []string {
	return []string{"interp=" + i.interp, "needed=" + strings.Join(i.needed, ","), "rpath=" + strings.Join(i.rpath, ":"),
		"runpath=" + strings.Join(i.runpath, ":"), "soname=" + i.soname}
}

// FuzzReadELF: readELF never panics on a damaged ELF file.
func FuzzReadELF(f *testing.F) {
	if b, err := os.ReadFile("/usr/bin/true"); err == nil {
		f.Add(b)
	}
	f.Add([]byte("\x7fELF\x02\x01\x01"))
	f.Fuzz(func(t *testing.T, b []byte) {
		readELF(bytes.NewReader(b))
	})
}

// imageNames lists the names in an image with their type letter.
func imageNames(t *testing.T, es []rawEntry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.name)
	}
	return out
}

// TestAddProgramDynamic adds /bin/ls and checks that the image holds its
// interpreter and every library ldd lists (the same files, compared by
// their real paths on the host), and that it runs chrooted into the
// unpacked image.
func TestAddProgramDynamic(t *testing.T) {
	b := newUncompressed()
	if err := b.AddProgram("/bin/ls", "/bin/ls"); err != nil {
		t.Fatal(err)
	}
	img, _ := b.Bytes()
	es := parseImage(t, img)
	checkInvariants(t, es, 0)
	got := map[string]bool{}
	for _, e := range es {
		if e.mode&sIFMT == sIFREG && e.name != "bin/ls" {
			got[realPath(t, "/"+e.name)] = true
			checkSameBytes(t, e, "/"+e.name)
		}
	}
	want := lddFiles(t, "/bin/ls")
	if g, w := sortedKeys(got), sortedKeys(want); !slices.Equal(g, w) {
		t.Errorf("got files %q, want %q (from ldd)", g, w)
	}
	if out := runChrooted(t, es, "/bin/ls", "-d", "/bin"); out != "/bin\n" {
		t.Errorf("ls in the image: got %q, want %q", out, "/bin\n")
	}
}

// lddFiles returns the real paths of the interpreter and libraries that
// ldd (the host's ld.so) loads for prog.
func lddFiles(t *testing.T, prog string) map[string]bool {
	out, err := exec.Command("ldd", prog).Output()
	if err != nil {
		t.Fatalf("ldd %s: %v", prog, err)
	}
	files := map[string]bool{}
	for _, l := range strings.Split(string(out), "\n") {
		f := strings.Fields(l)
		switch {
		case len(f) >= 3 && f[1] == "=>":
			files[realPath(t, f[2])] = true
		case len(f) == 2 && strings.HasPrefix(f[0], "/"):
			files[realPath(t, f[0])] = true
		}
	}
	return files
}

func realPath(t *testing.T, p string) string {
	r, err := filepath.EvalSymlinks(p)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func checkSameBytes(t *testing.T, e rawEntry, host string) {
	t.Helper()
	want, err := os.ReadFile(host)
	if err != nil || !bytes.Equal(e.data, want) {
		t.Errorf("%s: content differs from host file %s (%v)", e.name, host, err)
	}
}

func sortedKeys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestAddProgramStatic builds a static Go program and checks that it is
// added alone and runs in the unpacked image.
func TestAddProgramStatic(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\n\nfunc main() { println(\"static ok\") }\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module static\n"), 0o644)
	bin := filepath.Join(dir, "static")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir, cmd.Env = dir, append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	b := newUncompressed()
	if err := b.AddProgram("/usr/bin/static", bin); err != nil {
		t.Fatal(err)
	}
	img, _ := b.Bytes()
	es := parseImage(t, img)
	if got, want := imageNames(t, es), []string{"usr", "usr/bin", "usr/bin/static"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	checkSameBytes(t, es[2], bin)
	if out := runChrooted(t, es, "/usr/bin/static"); out != "static ok\n" {
		t.Errorf("got %q, want %q", out, "static ok\n")
	}
}

// TestAddProgramSearch builds C programs whose libraries are found through
// RPATH, RUNPATH and $ORIGIN, and checks AddProgram against the host's own
// ld.so: AddProgram succeeds exactly when the program runs on the host, and
// then the program, moved to another directory in the image, runs there.
func TestAddProgramSearch(t *testing.T) {
	tests := []struct {
		name       string
		exeFlags   string // how the program finds libhello
		helloFlags string // how libhello finds libworld
		bad        bool   // put a libhello.so of another machine first
		wantErr    string
	}{
		{name: "runpath $ORIGIN on both", exeFlags: "-Wl,-rpath,$ORIGIN/../lib", helloFlags: "-Wl,-rpath,$ORIGIN"},
		{name: "runpath is not inherited", exeFlags: "-Wl,-rpath,$ORIGIN/../lib",
			wantErr: `library "libworld.so" (needed by "APP/lib/libhello.so") not found in SYSTEM`},
		{name: "rpath is inherited", exeFlags: "-Wl,--disable-new-dtags,-rpath,${ORIGIN}/../lib"},
		{name: "absolute runpath", exeFlags: "-Wl,-rpath,APP/lib", helloFlags: "-Wl,-rpath,$ORIGIN"},
		{name: "other machine skipped", exeFlags: "-Wl,-rpath,$ORIGIN/../bad:$ORIGIN/../lib", helloFlags: "-Wl,-rpath,$ORIGIN", bad: true},
		{name: "not found", exeFlags: "-Wl,-rpath,$ORIGIN/../nowhere:/nowhere",
			wantErr: `library "libhello.so" not found in APP/nowhere, /nowhere, SYSTEM`},
	}
	ls, err := readELFFile("/bin/ls")
	if err != nil {
		t.Fatal(err)
	}
	system := strings.Join(arches[ls.machine].systemDirs(), ", ")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app := t.TempDir()
			exe := buildHello(t, app, strings.ReplaceAll(tt.exeFlags, "APP", app), tt.helloFlags, tt.bad)
			hostOut, hostErr := exec.Command(exe).CombinedOutput()
			b := newUncompressed()
			err := b.AddProgram("/opt/hello/bin/hello", exe)
			if (err == nil) != (hostErr == nil) {
				t.Fatalf("AddProgram: %v; on the host: %v %s", err, hostErr, hostOut)
			}
			if err != nil {
				want := `add "/opt/hello/bin/hello": program "` + exe + `": ` + strings.NewReplacer("APP", app, "SYSTEM", system).Replace(tt.wantErr)
				if err.Error() != want {
					t.Errorf("got %v, want %s", err, want)
				}
				return
			}
			img, _ := b.Bytes()
			es := parseImage(t, img)
			checkInvariants(t, es, 0)
			if out := runChrooted(t, es, "/opt/hello/bin/hello"); out != "hello world\n" {
				t.Errorf("in the image: got %q, want %q; entries %q", out, "hello world\n", imageNames(t, es))
			}
		})
	}
}

// buildHello builds app/bin/hello needing app/lib/libhello.so, which needs
// app/lib/libworld.so.
func buildHello(t *testing.T, app, exeFlags, helloFlags string, bad bool) string {
	src := t.TempDir()
	for name, code := range map[string]string{
		"world.c": "const char *world(void) { return \"world\"; }\n",
		"hello.c": "#include <stdio.h>\nconst char *world(void);\nvoid hello(void) { printf(\"hello %s\\n\", world()); }\n",
		"main.c":  "void hello(void);\nint main(void) { hello(); return 0; }\n",
	} {
		os.WriteFile(filepath.Join(src, name), []byte(code), 0o644)
	}
	lib := filepath.Join(app, "lib")
	os.MkdirAll(lib, 0o755)
	os.MkdirAll(filepath.Join(app, "bin"), 0o755)
	gcc(t, src, "-shared", "-fPIC", "-o", lib+"/libworld.so", "-Wl,-soname,libworld.so", "world.c")
	gcc(t, src, "-shared", "-fPIC", "-o", lib+"/libhello.so", "-Wl,-soname,libhello.so", "hello.c", "-L"+lib, "-lworld", helloFlags)
	exe := filepath.Join(app, "bin", "hello")
	gcc(t, src, "-o", exe, "main.c", "-L"+lib, "-lhello", "-Wl,-rpath-link,"+lib, exeFlags)
	if bad {
		otherMachine(t, lib+"/libhello.so", filepath.Join(app, "bad", "libhello.so"))
	}
	return exe
}

func gcc(t *testing.T, dir string, args ...string) {
	t.Helper()
	var nonEmpty []string
	for _, a := range args {
		if a != "" {
			nonEmpty = append(nonEmpty, a)
		}
	}
	cmd := exec.Command("gcc", nonEmpty...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gcc %q: %v\n%s", nonEmpty, err, out)
	}
}

// otherMachine copies an ELF file with another e_machine (AArch64, or
// x86-64 on AArch64), which ld.so and AddProgram must both pass over.
func otherMachine(t *testing.T, src, dst string) {
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	other := elf.EM_AARCH64
	if elf.Machine(b[18]) == other { // little-endian e_machine
		other = elf.EM_X86_64
	}
	b[18], b[19] = byte(other), 0
	os.MkdirAll(filepath.Dir(dst), 0o755)
	if err := os.WriteFile(dst, b, 0o755); err != nil {
		t.Fatal(err)
	}
}

func TestAddProgramErrors(t *testing.T) {
	script := filepath.Join(t.TempDir(), "script")
	os.WriteFile(script, []byte("#!/bin/sh\necho hi\n"), 0o755)
	missing := filepath.Join(t.TempDir(), "missing")
	tests := []struct{ src, dst, want string }{ // want: the error's start
		{script, "/bin/script", `add "/bin/script": program "` + script + `" is not an ELF file (use a plain file for a script): read ELF "` + script + `": bad magic number`},
		{missing, "/bin/x", `add "/bin/x": stat ` + missing + `: no such file or directory`},
		{"/bin/ls", "bin/ls", `add "bin/ls": relative path; paths in the image start with /`},
	}
	for _, tt := range tests {
		err := New().AddProgram(tt.dst, tt.src)
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("AddProgram(%q, %q): got %v, want %s", tt.dst, tt.src, err, tt.want)
		}
		var e *Error
		if !errors.As(err, &e) || e.Path != tt.dst {
			t.Errorf("AddProgram(%q, %q): got %#v, want an *Error for %q", tt.dst, tt.src, err, tt.dst)
		}
	}
}

// runChrooted unpacks the entries into a directory (files, directories,
// symlinks; device nodes are not needed) and runs argv chrooted into it.
func runChrooted(t *testing.T, es []rawEntry, argv ...string) string {
	t.Helper()
	if os.Geteuid() != 0 || runtime.GOOS != "linux" {
		t.Skip("running a program inside the unpacked image needs root for chroot(2); the VM tests run it too")
	}
	root := t.TempDir()
	for _, e := range es {
		p := filepath.Join(root, e.name)
		var err error
		switch e.mode & sIFMT {
		case sIFDIR:
			err = os.Mkdir(p, 0o755)
		case sIFREG:
			err = os.WriteFile(p, e.data, os.FileMode(e.mode&0o777))
		case sIFLNK:
			err = os.Symlink(string(e.data), p)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	// glibc's ld.so reads /proc/self/exe for the program's $ORIGIN; tinit
	// mounts /proc in the guest before it starts anything.
	proc := filepath.Join(root, "proc")
	os.MkdirAll(proc, 0o555)
	if err := syscall.Mount("proc", proc, "proc", 0, ""); err != nil {
		t.Fatalf("mount proc: %v", err)
	}
	defer syscall.Unmount(proc, syscall.MNT_DETACH)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Chroot: root}
	cmd.Dir = "/"
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%q in the image: %v\n%s", argv, err, out)
	}
	return string(out)
}

// TestAddProgramMergedUsr: in an image whose /bin and /lib64 are symlinks
// (as on a merged-/usr system), the program and its interpreter are stored
// where the symlinks lead, and the program runs.
func TestAddProgramMergedUsr(t *testing.T) {
	b := newUncompressed()
	for _, err := range []error{
		b.AddSymlink("/bin", "usr/bin"),
		b.AddSymlink("/lib64", "usr/lib64"),
		b.AddSymlink("/lib", "usr/lib"),
		b.AddProgram("/bin/ls", "/bin/ls"),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	img, _ := b.Bytes()
	es := parseImage(t, img)
	checkInvariants(t, es, 0)
	names := imageNames(t, es)
	ls, err := readELFFile("/bin/ls")
	if err != nil {
		t.Fatal(err)
	}
	interp := strings.Replace(ls.interp, "/lib64/", "/usr/lib64/", 1) // through the image's /lib64 symlink
	for _, want := range []string{"bin", "lib64", "usr/bin/ls", interp[1:], "usr/lib/" + arches[ls.machine].triplet + "/libc.so.6"} {
		if !slices.Contains(names, want) {
			t.Errorf("got %q, want %q among them", names, want)
		}
	}
	if out := runChrooted(t, es, "/bin/ls", "-d", "/lib64/"); out != "/lib64/\n" {
		t.Errorf("got %q, want %q", out, "/lib64/\n")
	}
}

// newUncompressed returns a Builder that stores rather than compresses:
// the tests of programs copy megabytes of libraries, and compress/flate is
// slow under the race detector and not what they test.
func newUncompressed() *Builder {
	b := New()
	b.SetGzipLevel(gzip.NoCompression)
	return b
}

// TestAddProgramDeterministic: adding programs in any order gives the same
// image.
func TestAddProgramDeterministic(t *testing.T) {
	progs := [][2]string{{"/bin/ls", "/bin/ls"}, {"/bin/true", "/bin/true"}, {"/sbin/ls2", "/bin/ls"}}
	var first []byte
	for _, order := range [][]int{{0, 1, 2}, {2, 1, 0}, {1, 2, 0}} {
		b := newUncompressed()
		for _, i := range order {
			if err := b.AddProgram(progs[i][0], progs[i][1]); err != nil {
				t.Fatal(err)
			}
		}
		img, err := b.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = img
		} else if !bytes.Equal(img, first) {
			t.Errorf("order %v: the image differs from order 0 1 2", order)
		}
	}
}
