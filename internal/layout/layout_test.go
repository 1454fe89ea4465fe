package layout

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/tinit/tinit"

// rule says what one package may import, beyond the standard library.
type rule struct {
	pkg     string   // package path relative to the module; "..." suffix for a tree
	tinit   []string // tinit packages it may import (relative, "..." allowed)
	modules []string // third-party module prefixes it may import
}

var rules = []rule{
	{pkg: "reaper", modules: []string{"golang.org/x/sys"}},
	{pkg: "image", modules: []string{"golang.org/x/sys"}},
	{pkg: "services", tinit: []string{"internal/toml"}, modules: []string{"golang.org/x/sys"}},
	{pkg: "init", modules: []string{"github.com/vishvananda/", "golang.org/x/sys"}},
	{pkg: "cmd/tinit", tinit: []string{"init", "reaper", "services/...", "internal/..."},
		modules: []string{"github.com/vishvananda/", "golang.org/x/sys"}},
	{pkg: "cmd/tinit-image", tinit: []string{"image", "internal/..."}, modules: []string{"golang.org/x/sys"}},
	// tinit itself never links os/exec: it would reap its children's
	// statuses away from the reaper. Nor does it link
	// github.com/BurntSushi/toml, which only the tests of internal/toml
	// use, as the reference their decoder is checked against.
}

type listed struct {
	ImportPath string
	Deps       []string
	Standard   bool
}

// TestImportDirection fails when a package imports what DESIGN.md §5 does
// not allow it to. Test files are not counted: a test may re-execute tinit.
func TestImportDirection(t *testing.T) {
	pkgs := goList(t, "-deps=false", "./...")
	std := map[string]bool{}
	for _, p := range goList(t, "-deps", "std") {
		std[p.ImportPath] = true
	}
	for _, p := range pkgs {
		rel := strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/")
		r, ok := ruleFor(rel)
		if !ok {
			continue
		}
		for _, dep := range p.Deps {
			if std[dep] || strings.HasPrefix(dep, "vendor/") || strings.HasPrefix(dep, "internal/") {
				continue
			}
			if !allowed(r, dep) {
				t.Errorf("%s imports %s (directly or not): not allowed by DESIGN.md §5", rel, dep)
			}
		}
	}
}

// TestTinitLinksNoHeavyPackages: tinit must not link os/exec (it breaks
// once the reaper waits for every child), nor net and its kin, crypto or
// log/slog: its binary is mapped into every container, and its size is its
// idle RSS (bench/RESULTS.md). The probes parse addresses and URLs, dial,
// resolve names and speak HTTP themselves (services/probe); tinit's
// messages go through services/output.
func TestTinitLinksNoHeavyPackages(t *testing.T) {
	heavy := map[string]bool{"os/exec": true, "net": true, "net/http": true, "net/netip": true, "net/url": true, "crypto": true, "log/slog": true}
	for _, p := range goList(t, "-deps=false", "./cmd/tinit") {
		for _, dep := range p.Deps {
			if heavy[dep] || strings.HasPrefix(dep, "crypto/") {
				t.Errorf("cmd/tinit links %s", dep)
			}
		}
	}
}

func ruleFor(rel string) (rule, bool) {
	for _, r := range rules {
		if matches(r.pkg, rel) || strings.HasPrefix(rel, r.pkg+"/") && !strings.HasPrefix(r.pkg, "cmd/") {
			return r, true
		}
	}
	return rule{}, false
}

func allowed(r rule, dep string) bool {
	if rel, ok := strings.CutPrefix(dep, module+"/"); ok {
		if matches(r.pkg, rel) || strings.HasPrefix(rel, r.pkg+"/") {
			return true // a package's own subpackages
		}
		for _, a := range r.tinit {
			if matches(a, rel) {
				return true
			}
		}
		return false
	}
	for _, m := range r.modules {
		if strings.HasPrefix(dep, m) {
			return true
		}
	}
	return false
}

func matches(pattern, rel string) bool {
	if tree, ok := strings.CutSuffix(pattern, "/..."); ok {
		return rel == tree || strings.HasPrefix(rel, tree+"/")
	}
	return pattern == rel
}

func goList(t *testing.T, args ...string) []listed {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list", "-json=ImportPath,Deps,Standard"}, args...)...)
	cmd.Dir = "../.."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list %v: %v", args, err)
	}
	var pkgs []listed
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p listed
		if err := dec.Decode(&p); err != nil {
			t.Fatalf("decode go list output: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}
