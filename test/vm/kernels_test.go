package vm

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestTier(t *testing.T) {
	tests := []struct{ release, want string }{
		{"5.10.0-32-cloud-amd64", "pidfd"},
		{"6.12.117+deb13-cloud-amd64", "pidfd"},
		{"7.0.9-cloud-amd64", "pidfd"},
		{"7.1.0", "autoreap"},
		{"7.2.13+deb14-cloud-amd64", "autoreap"},
		{"7.10-rc1", "autoreap"},
		{"8.0.1", "autoreap"},
	}
	for _, tt := range tests {
		got, err := Kernel{Label: "x", Release: tt.release}.Tier()
		if err != nil || got != tt.want {
			t.Errorf("Tier of %s: got %q, %v; want %q", tt.release, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "7", "x.y", "7.x"} {
		if _, err := (Kernel{Label: "x", Release: bad}).Tier(); err == nil {
			t.Errorf("Tier of %q: got no error", bad)
		}
	}
}

func TestMatrixLabels(t *testing.T) {
	data, err := os.ReadFile("kernels.txt")
	if err != nil {
		t.Fatal(err)
	}
	got, err := matrixLabels(data)
	want := []string{"5.10", "6.1", "6.12", "7.x", "arm64/6.12", "arm64/7.x"}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("kernels.txt: got %q, %v; want %q", got, err, want)
	}
	if _, err := matrixLabels([]byte("6.1\n")); err == nil {
		t.Error("a label without suites: got no error")
	}
	if _, err := matrixLabels([]byte("riscv64/6.12 trixie\n")); err == nil || !strings.Contains(err.Error(), "unknown architecture") {
		t.Errorf("a label of an unknown architecture: %v, want an error saying so", err)
	}
}

func TestParseKernelsSpec(t *testing.T) {
	got, err := parseKernelsSpec("6.1=/a/vmlinuz,7.2=/b/bzImage")
	want := []Kernel{{Label: "6.1", Path: "/a/vmlinuz"}, {Label: "7.2", Path: "/b/bzImage"}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, %v; want %v", got, err, want)
	}
	for _, bad := range []string{"/a/vmlinuz", "=/a", "6.1=", "a/b=/x", "6.1=/a,6.1=/b", "6.1=/a,"} {
		if _, err := parseKernelsSpec(bad); err == nil {
			t.Errorf("parseKernelsSpec(%q): got no error", bad)
		}
	}
}

// FuzzParseKernelsSpec checks that every kernel it accepts has a label fit
// for a subtest name and a path, and that labels are unique.
func FuzzParseKernelsSpec(f *testing.F) {
	f.Add("6.1=/a/vmlinuz,7.2=/b")
	f.Add("a==b,c=d")
	f.Fuzz(func(t *testing.T, spec string) {
		ks, err := parseKernelsSpec(spec)
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, k := range ks {
			if k.Label == "" || k.Path == "" || strings.ContainsAny(k.Label, "/ ,") || seen[k.Label] {
				t.Errorf("parseKernelsSpec(%q): bad kernel %+v", spec, k)
			}
			seen[k.Label] = true
		}
	})
}

// fakeBzImage is the start of a bzImage whose setup header names release.
func fakeBzImage(release string) []byte {
	b := make([]byte, 0x400)
	copy(b[hdrMagicOff:], "HdrS")
	binary.LittleEndian.PutUint16(b[hdrVersionOff:], 0x20f)
	binary.LittleEndian.PutUint16(b[hdrKVerOff:], 0x100)
	copy(b[0x300:], release+" (debian-kernel@lists.debian.org) #1 SMP\x00")
	return b
}

func TestBzImageRelease(t *testing.T) {
	got, err := bzImageRelease(fakeBzImage("6.1.0-50-cloud-amd64"))
	if err != nil || got != "6.1.0-50-cloud-amd64" {
		t.Errorf("got %q, %v; want 6.1.0-50-cloud-amd64", got, err)
	}
	old := fakeBzImage("2.4")
	binary.LittleEndian.PutUint16(old[hdrVersionOff:], 0x1ff)
	noString := fakeBzImage("x")
	binary.LittleEndian.PutUint16(noString[hdrKVerOff:], 0)
	empty := fakeBzImage("x")
	copy(empty[0x300:], "\x00")
	past := fakeBzImage("x")
	binary.LittleEndian.PutUint16(past[hdrKVerOff:], 0x300)
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"ELF", []byte("\x7fELF"), "no HdrS"},
		{"old protocol", old, "boot protocol 0x1ff"},
		{"no string", noString, "no kernel version string"},
		{"past the end", past, "past the end"},
		{"empty", empty, "empty kernel version string"},
	}
	for _, tt := range tests {
		if _, err := bzImageRelease(tt.in); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got error %v, want one containing %q", tt.name, err, tt.want)
		}
	}
}

func FuzzBzImageRelease(f *testing.F) {
	f.Add(fakeBzImage("7.2.13+deb14-cloud-amd64"))
	f.Fuzz(func(t *testing.T, b []byte) {
		rel, err := bzImageRelease(b)
		if err == nil && (rel == "" || strings.ContainsAny(rel, " \x00\n")) {
			t.Errorf("got release %q", rel)
		}
	})
}

// TestFindKernels lays out a cache as deps.sh does, with one kernel of the
// matrix missing, and a TINIT_KERNELS directory and list.
func TestFindKernels(t *testing.T) {
	cache := t.TempDir()
	for label, rel := range map[string]string{"6.1": "6.1.0-50-cloud-amd64", "7.x": "7.2.13+deb14-cloud-amd64"} {
		dir := filepath.Join(cache, "kernels", label)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "vmlinuz"), fakeBzImage(rel), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	matrix := []byte("# comment\n6.1 bookworm\n6.12 trixie\n7.x sid trixie-backports\n")
	t.Setenv("TINIT_KERNELS", "")
	t.Setenv("TINIT_CACHE", cache)
	src, err := findKernels(matrix)
	want := []Kernel{
		{"6.1", filepath.Join(cache, "kernels/6.1/vmlinuz"), "6.1.0-50-cloud-amd64"},
		{"7.x", filepath.Join(cache, "kernels/7.x/vmlinuz"), "7.2.13+deb14-cloud-amd64"},
	}
	if err != nil || !reflect.DeepEqual(src.Kernels, want) || !reflect.DeepEqual(src.Missing, []string{"6.12"}) {
		t.Errorf("cache: got %+v, %v; want %v missing 6.12", src, err, want)
	}
	t.Setenv("TINIT_KERNELS", filepath.Join(cache, "kernels"))
	if src, err := findKernels(matrix); err != nil || !reflect.DeepEqual(src.Kernels, want) || src.Missing != nil {
		t.Errorf("TINIT_KERNELS=dir: got %+v, %v; want %v", src, err, want)
	}
	t.Setenv("TINIT_KERNELS", "new="+want[1].Path)
	wantNew := []Kernel{{"new", want[1].Path, want[1].Release}}
	if src, err := findKernels(matrix); err != nil || !reflect.DeepEqual(src.Kernels, wantNew) {
		t.Errorf("TINIT_KERNELS=list: got %+v, %v; want %v", src, err, wantNew)
	}
	t.Setenv("TINIT_KERNELS", "bad="+filepath.Join(cache, "nothing"))
	if _, err := findKernels(matrix); err == nil {
		t.Error("TINIT_KERNELS naming a missing file: got no error")
	}
}

// TestARM64ImageRelease reads the release from the banner of an arm64
// Image, past a "Linux version" that is no banner.
func TestARM64ImageRelease(t *testing.T) {
	img := make([]byte, 64)
	copy(img[arm64MagicOff:], arm64Magic)
	img = append(img, "\x00Linux version %s\x00junk\x00Linux version 6.12.117+deb13-cloud-arm64 (debian-kernel@lists.debian.org) #1 SMP\x00"...)
	path := filepath.Join(t.TempDir(), "Image")
	writeTestFile(t, path, img)
	rel, err := readKernelRelease(path)
	if err != nil || rel != "6.12.117+deb13-cloud-arm64" {
		t.Errorf("readKernelRelease = %q, %v; want 6.12.117+deb13-cloud-arm64", rel, err)
	}
	writeTestFile(t, path, img[:80])
	if _, err := readKernelRelease(path); err == nil || !strings.Contains(err.Error(), "banner") {
		t.Errorf("an Image without a banner: %v, want an error about the banner", err)
	}
}

func writeTestFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
