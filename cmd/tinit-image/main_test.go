package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tinit/tinit/image"
)

// tinitImage runs the command and returns its exit code and output.
func tinitImage(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// listing returns the entries of an image as --list prints them.
func listing(t *testing.T, img []byte) []string {
	t.Helper()
	es, err := image.Read(bytes.NewReader(img))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.String())
	}
	return out
}

func TestHelpDocumentsEveryFlag(t *testing.T) {
	code, out, _ := tinitImage(t, "--help")
	if code != exitOK || out != helpText {
		t.Fatalf("--help: got code %d, output %q; want 0 and the help text", code, out)
	}
	var c config
	var b bool
	var s string
	c.flagSet(&b, &s).VisitAll(func(f *flag.Flag) {
		if !strings.Contains(helpText, "  -"+f.Name+" ") && !strings.Contains(helpText, "  --"+f.Name+" ") {
			t.Errorf("flag -%s is not in the help text", f.Name)
		}
	})
}

func TestBuild(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(data), mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cfg := write("services.toml", "[service.app]\n", 0o640)
	write("files/motd", "hi\n", 0o644)
	m := write("image.manifest", "/etc/motd file files/motd\n/var/empty dir mode=0700\n", 0o644)
	out := filepath.Join(dir, "initrd.cpio.gz")
	code, stdout, stderr := tinitImage(t, "-o", out, "--config", cfg, "--manifest", m,
		"--file", "/etc/hostname="+write("hostname", "vm\n", 0o600), "--symlink", "/bin/sh=busybox",
		"--dir", "/tmp=1777", "--dir", "/mnt", "--dev", "/dev/vda=b:254:0", "--dev", "/dev/ttyS0=c:4:64:0620",
		"--mtime", "1700000000", "--list")
	if code != exitOK || stderr != "" {
		t.Fatalf("got code %d, stderr %q", code, stderr)
	}
	want := []string{
		"drwxr-xr-x     0     0          0 /bin",
		"lrwxrwxrwx     0     0          7 /bin/sh -> busybox",
		"drwxr-xr-x     0     0          0 /dev",
		"crw-------     0     0       5, 1 /dev/console",
		"crw-rw-rw-     0     0       1, 3 /dev/null",
		"crw--w----     0     0      4, 64 /dev/ttyS0",
		"brw-------     0     0     254, 0 /dev/vda",
		"drwxr-xr-x     0     0          0 /etc",
		"-rw-------     0     0          3 /etc/hostname",
		"-rw-r--r--     0     0          3 /etc/motd",
		"drwxr-xr-x     0     0          0 /etc/tinit",
		"-rw-r-----     0     0         14 /etc/tinit/services.toml",
		"drwxr-xr-x     0     0          0 /mnt",
		"drwxrwxrwt     0     0          0 /tmp",
		"drwxr-xr-x     0     0          0 /var",
		"drwx------     0     0          0 /var/empty",
	}
	if got := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("--list: got\n%s\nwant\n%s", stdout, strings.Join(want, "\n"))
	}
	img, _ := os.ReadFile(out)
	es, _ := image.Read(bytes.NewReader(img))
	if es[0].MTime != 1700000000 {
		t.Errorf("got mtime %d, want 1700000000", es[0].MTime)
	}
	code, again, _ := tinitImage(t, "--list", out)
	if code != exitOK || again != stdout {
		t.Errorf("--list IMAGE: got code %d, %q; want the same listing", code, again)
	}
}

func TestInitAndStdout(t *testing.T) {
	code, stdout, stderr := tinitImage(t, "-o", "-", "--init", "/bin/true", "--no-default-devices", "--gzip-level", "0")
	if code != exitOK {
		t.Fatalf("got code %d, stderr %q", code, stderr)
	}
	es, err := image.Read(strings.NewReader(stdout))
	if err != nil {
		t.Fatal(err)
	}
	var init image.Entry
	for _, e := range es {
		if e.Name == "/init" {
			init = e
		}
		if strings.HasPrefix(e.Name, "/dev") {
			t.Errorf("got %v with --no-default-devices", e)
		}
	}
	host, _ := os.ReadFile("/bin/true")
	if init.Mode != 0o755 || !bytes.Equal(init.Data, host) {
		t.Errorf("got /init mode %v, %d bytes; want 0755 and /bin/true's %d bytes", init.Mode, len(init.Data), len(host))
	}
	if len(es) < 4 {
		t.Errorf("got %d entries, want /init, its interpreter and libc at least", len(es))
	}
}

// TestUserDevices: a device the user adds at a default path wins.
func TestUserDevices(t *testing.T) {
	out := filepath.Join(t.TempDir(), "i")
	if code, _, stderr := tinitImage(t, "-o", out, "--dev", "/dev/console=c:5:1:0622"); code != exitOK {
		t.Fatalf("got code %d, %s", code, stderr)
	}
	img, _ := os.ReadFile(out)
	got := listing(t, img)
	if want := "crw--w--w-     0     0       5, 1 /dev/console"; len(got) != 3 || got[1] != want {
		t.Errorf("got %q, want %q second", got, want)
	}
}

func TestDeterministicCommand(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	cfg := filepath.Join(dir, "services.toml")
	os.WriteFile(cfg, []byte("[service.a]\n"), 0o644)
	args := []string{"--config", cfg, "--dir", "/tmp=1777", "--symlink", "/lib64=lib", "--dev", "/dev/vda=b:254:0"}
	tinitImage(t, append([]string{"-o", a}, args...)...)
	t.Setenv("SOURCE_DATE_EPOCH", "0")
	tinitImage(t, "-o", b, "--dev", "/dev/vda=b:254:0", "--symlink", "/lib64=lib", "--dir", "/tmp=1777", "--config", cfg)
	ia, _ := os.ReadFile(a)
	ib, _ := os.ReadFile(b)
	if len(ia) == 0 || !bytes.Equal(ia, ib) {
		t.Errorf("two builds of the same entries differ (%d and %d bytes)", len(ia), len(ib))
	}
	t.Setenv("SOURCE_DATE_EPOCH", "1")
	tinitImage(t, append([]string{"-o", b}, args...)...)
	if ib, _ = os.ReadFile(b); bytes.Equal(ia, ib) {
		t.Errorf("SOURCE_DATE_EPOCH=1 gave the same bytes as 0")
	}
}

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	bad := filepath.Join(dir, "bad.manifest")
	os.WriteFile(bad, []byte("/a dir\n/b fiel x\n/c file nope\n"), 0o644)
	notImage := filepath.Join(dir, "text")
	os.WriteFile(notImage, []byte("not an image"), 0o644)
	tests := []struct {
		name   string
		env    string
		args   []string
		code   int
		stderr string
	}{
		{"nothing", "", nil, exitUsage, "tinit-image: nothing to do: give -o FILE to build an image, or --list IMAGE to read one\nRun 'tinit-image --help' for usage.\n"},
		{"unknown flag", "", []string{"--frobnicate"}, exitUsage, "tinit-image: flag provided but not defined: -frobnicate\n"},
		{"bad --file", "", []string{"-o", out, "--file", "/x"}, exitUsage, `tinit-image: invalid value "/x" for flag -file: want DST=SRC`},
		{"bad --dev", "", []string{"-o", out, "--dev", "/dev/x=x:1:2"}, exitUsage, "want DST=c:MAJOR:MINOR[:MODE] or DST=b:MAJOR:MINOR[:MODE]"},
		{"bad --dev numbers", "", []string{"-o", out, "--dev", "/dev/x=c:1:y"}, exitUsage, `want decimal MAJOR:MINOR: strconv.ParseUint: parsing "y": invalid syntax`},
		{"bad --dir mode", "", []string{"-o", out, "--dir", "/d=rwx"}, exitUsage, `bad mode "rwx": want an octal number up to 07777`},
		{"entries without -o", "", []string{"--dir", "/d"}, exitUsage, "entries given without -o FILE to write them to"},
		{"arguments when building", "", []string{"-o", out, "x"}, exitUsage, `unexpected arguments ["x"]`},
		{"--list with nothing", "", []string{"--list"}, exitUsage, "--list needs IMAGE arguments, or -o with a build"},
		{"--list of stdout", "", []string{"--list", "-o", "-"}, exitUsage, "--list cannot read back an image written to standard output"},
		{"bad SOURCE_DATE_EPOCH", "x", []string{"-o", out}, exitUsage, `SOURCE_DATE_EPOCH="x": want seconds since 1970 up to 4294967295`},
		{"bad --mtime", "", []string{"-o", out, "--mtime", "-1"}, exitUsage, `--mtime="-1": want seconds`},
		{"bad --gzip-level", "", []string{"-o", out, "--gzip-level", "10"}, exitUsage, "--gzip-level 10: want -2..9"},
		{"manifest errors", "", []string{"-o", out, "--manifest", bad}, exitBuild,
			bad + `:2: entry "/b": unknown kind "fiel"`},
		{"manifest errors, all", "", []string{"-o", out, "--manifest", bad}, exitBuild,
			bad + `:3: add "/c": stat ` + dir + `/nope: no such file or directory`},
		{"missing host file", "", []string{"-o", out, "--file", "/x=" + dir + "/nope"}, exitBuild,
			`tinit-image: add "/x": stat ` + dir + "/nope: no such file or directory\n"},
		{"missing manifest", "", []string{"-o", out, "--manifest", dir + "/nope"}, exitBuild, "read manifest: open " + dir + "/nope"},
		{"list a missing image", "", []string{"--list", dir + "/nope"}, exitBuild, "list image: open " + dir + "/nope"},
		{"list a text file", "", []string{"--list", notImage}, exitBuild, `list "` + notImage + `": read image: entry at byte 0: archive is truncated`},
		{"unwritable output", "", []string{"-o", dir + "/no/such/dir/out"}, exitBuild, "write image \"" + dir + "/no/such/dir/out\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("SOURCE_DATE_EPOCH", tt.env)
			code, _, stderr := tinitImage(t, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("got code %d, stderr %q; want %d, %q", code, stderr, tt.code, tt.stderr)
			}
		})
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a failed build left %s: %v", out, err)
	}
}
