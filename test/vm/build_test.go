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
	if err := goRun("../..", "build", "-o", init, "./test/vm/guest/runner"); err != nil {
		t.Fatal(err)
	}
	b, err := buildGuest("../..", filepath.Join(dir, "out"), init, guestPackages)
	if err != nil {
		t.Fatal(err)
	}
	if b.Init != init {
		t.Errorf("got /init %q, want the prebuilt %q", b.Init, init)
	}
	var order []string
	for _, p := range guestPackages {
		name := testBinaryName(p.Path)
		built := slices.ContainsFunc(b.Tests, func(s string) bool { return filepath.Base(s) == name })
		noted := slices.ContainsFunc(b.Notes, func(s string) bool { return strings.HasPrefix(s, p.Path+":") })
		if built == noted {
			t.Errorf("%s: built %v, noted %v; want one of them (notes %q)", p.Path, built, noted, b.Notes)
		}
		if built {
			order = append(order, filepath.Join(dir, "out", name))
		}
	}
	if !slices.Equal(b.Tests, order) {
		t.Errorf("got tests %q, want %q", b.Tests, order)
	}
	for _, bin := range append([]string{b.Runner}, b.Tests...) {
		if err := checkStatic(bin); err != nil {
			t.Error(err)
		}
	}
}

func TestBuildGuestMissingPackage(t *testing.T) {
	pkgs := []guestPackage{{Path: "./no/such/package"}, {Path: "./no/such/optional", Optional: true}}
	b, err := buildGuest("../..", t.TempDir(), "/bin/true", pkgs)
	if err == nil || !strings.Contains(err.Error(), "./no/such/package") {
		t.Errorf("got error %v, want one naming ./no/such/package", err)
	}
	if len(b.Notes) != 1 || !strings.HasPrefix(b.Notes[0], "./no/such/optional: optional, not built") {
		t.Errorf("got notes %q, want one for the optional package", b.Notes)
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
