package vm

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"sync"

	"github.com/tinit/tinit/image"
	"github.com/tinit/tinit/internal/tinitbuild"
)

// guestPackage is a package whose tests run in the VM.
type guestPackage struct {
	Path     string // relative to the module root, as go test takes it
	Optional bool   // its absence is not an error
}

// guestPackages are built with go test -c and run in every VM; a package
// without test files is left out.
var guestPackages = []guestPackage{
	{Path: "./reaper"},
	{Path: "./init"},
	{Path: "./cmd/tinit", Optional: true},
	{Path: "./services", Optional: true},
	{Path: "./services/cgroup", Optional: true}, // cgroup v2 controllers the host lacks
	{Path: "./services/notify", Optional: true},
	{Path: "./services/output", Optional: true},
	{Path: "./services/probe", Optional: true},
}

// selectPackages returns guestPackages, or the packages named in spec
// (TINIT_VM_PACKAGES, comma-separated: "./init,./reaper"), which must exist.
func selectPackages(spec string) []guestPackage {
	if spec == "" {
		return guestPackages
	}
	var ps []guestPackage
	for _, p := range strings.Split(spec, ",") {
		if p = strings.TrimSpace(p); p != "" {
			ps = append(ps, guestPackage{Path: p})
		}
	}
	return ps
}

// guestBuild is what goes into the image, as host paths.
type guestBuild struct {
	Init   string // /init
	Runner string // /guest/runner
	Tests  []testBinary
	Notes  []string // what was left out, and why
}

// testBinary is one package's test binary.
type testBinary struct {
	Pkg  string // as guestPackages names it: ./services
	Host string // where it was built
}

// Name is how the runner and the harness call the binary: services,
// cmd-tinit.
func (t testBinary) Name() string { return strings.TrimSuffix(testBinaryName(t.Pkg), ".test") }

// GuestPath puts the binary in its package's directory of the source tree
// in the guest (/src/services/services.test): the runner starts it there,
// as go test does, so that it finds testdata/ and ../docs.
func (t testBinary) GuestPath() string {
	return path.Join(guestSrc, path.Clean(t.Pkg), testBinaryName(t.Pkg))
}

// testBinaryName is the file name of a package's test binary, which the
// runner and the harness also use as the guest test's name.
func testBinaryName(pkg string) string {
	return strings.ReplaceAll(strings.Trim(strings.TrimPrefix(pkg, "./"), "/"), "/", "-") + ".test"
}

// buildGuest builds, in parallel and static, everything the VM runs into
// dir, for goarch. initOverride, when set, is a prebuilt /init used
// instead of ./cmd/tinit.
func buildGuest(root, dir, goarch, initOverride string, pkgs []guestPackage) (guestBuild, error) {
	arch := "GOARCH=" + goarch
	b := guestBuild{Runner: filepath.Join(dir, "runner"), Init: initOverride}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var errs []error
	do := func(f func() error) {
		wg.Go(func() {
			if err := f(); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		})
	}
	do(func() error {
		return goRun(root, arch, "build", "-trimpath", "-ldflags=-s -w", "-o", b.Runner, "./test/vm/guest/runner")
	})
	if b.Init == "" {
		b.Init = filepath.Join(dir, "tinit")
		do(func() error { return buildInit(root, b.Init, arch) })
	}
	for _, p := range pkgs {
		do(func() error {
			out, note, err := buildTests(root, dir, arch, p)
			mu.Lock()
			defer mu.Unlock()
			if out != "" {
				b.Tests = append(b.Tests, testBinary{Pkg: p.Path, Host: out})
			}
			if note != "" {
				b.Notes = append(b.Notes, note)
			}
			return err
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return b, err
	}
	b.Tests = sortedLike(b.Tests, pkgs)
	return b, checkStatic(b.Init)
}

// sortedLike orders test binaries as pkgs lists them.
func sortedLike(tests []testBinary, pkgs []guestPackage) []testBinary {
	var out []testBinary
	for _, p := range pkgs {
		for _, t := range tests {
			if t.Pkg == p.Path {
				out = append(out, t)
			}
		}
	}
	return out
}

// buildInit builds tinit as it ships (package tinitbuild).
func buildInit(root, out, arch string) error {
	if _, err := os.Stat(filepath.Join(root, "cmd", "tinit")); err != nil {
		return fmt.Errorf("no ./cmd/tinit to boot as /init (set TINIT_VM_INIT=/path/to/static/init): %w", err)
	}
	return tinitbuild.Build(root, out, arch)
}

// buildTests builds one package's test binary into dir. It returns the
// binary, or a note saying why there is none.
func buildTests(root, dir, arch string, p guestPackage) (string, string, error) {
	n, err := countTestFiles(root, p.Path)
	switch {
	case err != nil && p.Optional:
		return "", fmt.Sprintf("%s: optional, not built: %v", p.Path, err), nil
	case err != nil:
		return "", "", err
	case n == 0:
		return "", p.Path + ": no test files", nil
	}
	out := filepath.Join(dir, testBinaryName(p.Path))
	return out, "", goRun(root, arch, "test", "-c", "-ldflags=-s -w", "-o", out, p.Path)
}

func countTestFiles(root, pkg string) (int, error) {
	cmd := exec.Command("go", "list", "-f", "{{len .TestGoFiles}} {{len .XTestGoFiles}}", pkg)
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("go list %s: %v: %s", pkg, err, strings.TrimSpace(string(out)))
	}
	var a, b int
	if _, err := fmt.Sscan(string(out), &a, &b); err != nil {
		return 0, fmt.Errorf("go list %s: read %q: %w", pkg, out, err)
	}
	return a + b, nil
}

// goRun runs the go command in root with CGO_ENABLED=0 and arch
// (GOARCH=...): every binary of the guest is static. Binaries are built without symbol tables (-s -w, as
// tinit is): a smaller initramfs unpacks faster under TCG, and Go's own
// tracebacks do not need them.
func goRun(root, arch string, args ...string) error {
	cmd := exec.Command("go", args...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", arch)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return nil
}

// checkStatic refuses an /init that needs a dynamic loader: the initramfs
// has none, and the kernel would only say that running /init failed.
func checkStatic(path string) error {
	static, err := image.IsStatic(path)
	if err != nil {
		return fmt.Errorf("check /init %q: %w", path, err)
	}
	if !static {
		return fmt.Errorf("check /init %q: dynamically linked; build it with CGO_ENABLED=0", path)
	}
	return nil
}
