package vm

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestBuildGuest builds the guest as TestVM does, with a prebuilt /init:
// every package of guestPackages gives a static test binary or a note
// saying why not, in the list's order.
func TestBuildGuest(t *testing.T) {
	dir := t.TempDir()
	init := filepath.Join(dir, "prebuilt-init")
	if err := goRun("../..", "GOARCH=amd64", "build", "-o", init, "./test/vm/guest/runner"); err != nil {
		t.Fatal(err)
	}
	b, err := buildGuest("../..", filepath.Join(dir, "out"), "amd64", init, guestPackages)
	if err != nil {
		t.Fatal(err)
	}
	if b.Init != init {
		t.Errorf("got /init %q, want the prebuilt %q", b.Init, init)
	}
	var order []testBinary
	for _, p := range guestPackages {
		built := slices.ContainsFunc(b.Tests, func(tb testBinary) bool { return tb.Pkg == p.Path })
		noted := slices.ContainsFunc(b.Notes, func(s string) bool { return strings.HasPrefix(s, p.Path+":") })
		if built == noted {
			t.Errorf("%s: built %v, noted %v; want one of them (notes %q)", p.Path, built, noted, b.Notes)
		}
		if built {
			order = append(order, testBinary{Pkg: p.Path, Host: filepath.Join(dir, "out", testBinaryName(p.Path))})
		}
	}
	if !slices.Equal(b.Tests, order) {
		t.Errorf("got tests %v, want %v", b.Tests, order)
	}
	bins := []string{b.Runner}
	for _, tb := range b.Tests {
		bins = append(bins, tb.Host)
	}
	for _, bin := range bins {
		if err := checkStatic(bin); err != nil {
			t.Error(err)
		}
	}
}

func TestBuildGuestMissingPackage(t *testing.T) {
	pkgs := []guestPackage{{Path: "./no/such/package"}, {Path: "./no/such/optional", Optional: true}}
	b, err := buildGuest("../..", t.TempDir(), "amd64", "/bin/true", pkgs)
	if err == nil || !strings.Contains(err.Error(), "./no/such/package") {
		t.Errorf("got error %v, want one naming ./no/such/package", err)
	}
	if len(b.Notes) != 1 || !strings.HasPrefix(b.Notes[0], "./no/such/optional: optional, not built") {
		t.Errorf("got notes %q, want one for the optional package", b.Notes)
	}
}

func TestTestBinaryPaths(t *testing.T) {
	tests := []struct{ pkg, name, guest string }{
		{"./services", "services", "/src/services/services.test"},
		{"./cmd/tinit", "cmd-tinit", "/src/cmd/tinit/cmd-tinit.test"},
		{"init/", "init", "/src/init/init.test"},
	}
	for _, tt := range tests {
		tb := testBinary{Pkg: tt.pkg}
		if tb.Name() != tt.name || tb.GuestPath() != tt.guest {
			t.Errorf("%s: got %q %q, want %q %q", tt.pkg, tb.Name(), tb.GuestPath(), tt.name, tt.guest)
		}
	}
}

// TestSourceFiles checks that the source tree for the guest holds what a
// test reads by relative path, and no Git internals.
func TestSourceFiles(t *testing.T) {
	files, _, err := sourceFiles("../..")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"go.mod", "test/vm/kernels.txt", "docs/vm.md"} {
		if !slices.Contains(files, want) {
			t.Errorf("source files lack %s", want)
		}
	}
	for _, f := range files {
		if strings.HasPrefix(f, ".git/") {
			t.Errorf("source files hold %s", f)
		}
	}
}

func TestSelectPackages(t *testing.T) {
	if got := selectPackages(""); !slices.Equal(got, guestPackages) {
		t.Errorf("empty: got %v, want guestPackages", got)
	}
	want := []guestPackage{{Path: "./init"}, {Path: "./services"}}
	if got := selectPackages(" ./init,,./services "); !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestCheckStatic(t *testing.T) {
	if err := checkStatic("/bin/sh"); err == nil || !strings.Contains(err.Error(), "dynamically linked") {
		t.Errorf("/bin/sh: got %v, want dynamically linked", err)
	}
	if err := checkStatic("kernels.txt"); err == nil {
		t.Error("kernels.txt: got no error")
	}
}
