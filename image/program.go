package image

import (
	"debug/elf"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// AddProgram adds the ELF executable src at dst and, when it is dynamically
// linked, its interpreter (PT_INTERP) and every library it needs, found the
// way the guest's ld.so will look for them: DT_RPATH of the needing object
// and of the objects that loaded it (when the needing object has no
// DT_RUNPATH), DT_RUNPATH of the needing object, then the system
// directories of its architecture (for x86-64 /lib/x86_64-linux-gnu,
// /usr/lib/x86_64-linux-gnu, /lib, /usr/lib). A candidate of another ELF
// class or machine is skipped, as ld.so skips it. LD_LIBRARY_PATH and
// /etc/ld.so.cache are not used: the guest has neither.
//
// Each library is stored at the path where it was found (a regular file
// even when that path is a symlink on the host), except that a library
// found through $ORIGIN is stored relative to dst, where $ORIGIN points in
// the guest. The options apply to the program only. A library that cannot
// be found is an error naming the program and the library.
func (b *Builder) AddProgram(dst, src string, opts ...Option) error {
	var a attrs
	for _, o := range opts {
		o(&a)
	}
	n, err := b.newNode(dst, a, func() (*node, error) { return hostNode(src) })
	var objs []*object
	if err == nil {
		objs, err = resolveProgram(n.path, src)
	}
	if err != nil {
		return &Error{Pos: a.pos, Op: "add", Path: dst, Err: err}
	}
	errs := []error{b.insert(n)}
	for _, o := range objs {
		errs = append(errs, b.add(o.guest, []Option{at(a.pos)}, func() (*node, error) { return hostNode(o.host) }))
	}
	return errors.Join(errs...)
}

// object is one ELF file the loader maps: where it is on the host, where
// it will be in the guest, and who loaded it (for inherited DT_RPATH).
type object struct {
	host, guest string
	info        *elfInfo
	loader      *object
}

// arch is what an ELF machine changes in the search: the multiarch
// directories and the values of $LIB and $PLATFORM.
type arch struct {
	triplet, platform string
}

var arches = map[elf.Machine]arch{
	elf.EM_X86_64:  {"x86_64-linux-gnu", "x86_64"},
	elf.EM_AARCH64: {"aarch64-linux-gnu", "aarch64"},
	elf.EM_386:     {"i386-linux-gnu", "i686"},
	elf.EM_ARM:     {"arm-linux-gnueabihf", "v7l"},
	elf.EM_RISCV:   {"riscv64-linux-gnu", "riscv64"},
}

// systemDirs are the directories Debian's ld.so searches last.
func (a arch) systemDirs() []string {
	if a.triplet == "" {
		return []string{"/lib", "/usr/lib"}
	}
	return []string{"/lib/" + a.triplet, "/usr/lib/" + a.triplet, "/lib", "/usr/lib"}
}

// resolver finds the objects of one program, breadth first like ld.so.
type resolver struct {
	prog   string // the program's host path, for messages
	main   *elfInfo
	arch   arch
	loaded map[string]*object // by DT_NEEDED name and DT_SONAME
	objs   []*object
}

// resolveProgram returns the interpreter and libraries of the program src
// that goes to dst, in load order.
func resolveProgram(dst, src string) ([]*object, error) {
	info, err := readELFFile(src)
	if err != nil {
		return nil, fmt.Errorf("program %q is not an ELF file (use a plain file for a script): %w", src, err)
	}
	real, err := filepath.EvalSymlinks(src)
	if err != nil {
		return nil, err
	}
	r := &resolver{prog: src, main: info, arch: arches[info.machine], loaded: map[string]*object{}}
	r.objs = []*object{{host: real, guest: dst, info: info}}
	if info.interp != "" {
		if err := r.addInterp(info.interp); err != nil {
			return nil, err
		}
	}
	for i := 0; i < len(r.objs); i++ {
		if err := r.loadNeeded(r.objs[i]); err != nil {
			return nil, err
		}
	}
	return r.objs[1:], nil
}

func (r *resolver) addInterp(interp string) error {
	if !path.IsAbs(interp) {
		return fmt.Errorf("program %q: interpreter %q is not an absolute path", r.prog, interp)
	}
	info, err := readELFFile(interp)
	if err != nil {
		return fmt.Errorf("program %q: interpreter: %w", r.prog, err)
	}
	r.register(&object{host: interp, guest: interp, info: info}, path.Base(interp))
	return nil
}

// register records a loaded object under the name it was asked by and
// its soname, as ld.so recognises an object already loaded.
func (r *resolver) register(o *object, name string) {
	r.objs = append(r.objs, o)
	r.loaded[name] = o
	if o.info.soname != "" {
		r.loaded[o.info.soname] = o
	}
}

func (r *resolver) loadNeeded(o *object) error {
	for _, name := range o.info.needed {
		if r.loaded[name] != nil {
			continue
		}
		lib, err := r.find(o, name)
		if err != nil {
			return err
		}
		r.register(lib, name)
	}
	return nil
}

// find looks for the library name needed by o.
func (r *resolver) find(o *object, name string) (*object, error) {
	if strings.Contains(name, "/") {
		if info, ok := r.candidate(name); ok && path.IsAbs(name) {
			return &object{host: name, guest: name, info: info, loader: o}, nil
		}
		return nil, r.notFound(o, name, []searchDir{{host: "(the path itself)"}})
	}
	dirs := r.searchDirs(o)
	for _, d := range dirs {
		if info, ok := r.candidate(filepath.Join(d.host, name)); ok {
			return &object{host: filepath.Join(d.host, name), guest: path.Join(d.guest, name), info: info, loader: o}, nil
		}
	}
	return nil, r.notFound(o, name, dirs)
}

func (r *resolver) notFound(o *object, name string, dirs []searchDir) error {
	by := ""
	if o.loader != nil {
		by = fmt.Sprintf(" (needed by %q)", o.host)
	}
	var in []string
	for _, d := range dirs {
		in = append(in, d.host)
	}
	return fmt.Errorf("program %q: library %q%s not found in %s", r.prog, name, by, strings.Join(in, ", "))
}

// candidate reports whether the file at p is an ELF object the program's
// loader would take: same class and machine.
func (r *resolver) candidate(p string) (*elfInfo, bool) {
	fi, err := os.Stat(p)
	if err != nil || !fi.Mode().IsRegular() {
		return nil, false
	}
	info, err := readELFFile(p)
	if err != nil || info.class != r.main.class || info.machine != r.main.machine {
		return nil, false
	}
	return info, true
}

// searchDir is one directory of the search, on the host and in the guest
// (they differ only for $ORIGIN).
type searchDir struct{ host, guest string }

// searchDirs lists where ld.so looks for a library needed by o.
func (r *resolver) searchDirs(o *object) []searchDir {
	var dirs []searchDir
	if o.info.runpath == nil {
		for l := o; l != nil; l = l.loader {
			dirs = append(dirs, r.expand(l, l.info.rpath)...)
		}
	}
	dirs = append(dirs, r.expand(o, o.info.runpath)...)
	for _, d := range r.arch.systemDirs() {
		dirs = append(dirs, searchDir{d, d})
	}
	return dirs
}

// expand substitutes $ORIGIN, $LIB and $PLATFORM in the RPATH or RUNPATH
// entries of o. Relative entries (relative to the guest's working
// directory) and empty ones are dropped.
func (r *resolver) expand(o *object, list []string) []searchDir {
	var dirs []searchDir
	for _, e := range list {
		lib := "lib"
		if r.arch.triplet != "" {
			lib = "lib/" + r.arch.triplet
		}
		rest := strings.NewReplacer("$LIB", lib, "${LIB}", lib, "$PLATFORM", r.arch.platform, "${PLATFORM}", r.arch.platform)
		d := rest.Replace(e)
		host := strings.NewReplacer("$ORIGIN", path.Dir(o.host), "${ORIGIN}", path.Dir(o.host)).Replace(d)
		guest := strings.NewReplacer("$ORIGIN", path.Dir(o.guest), "${ORIGIN}", path.Dir(o.guest)).Replace(d)
		if path.IsAbs(host) && path.IsAbs(guest) {
			dirs = append(dirs, searchDir{path.Clean(host), path.Clean(guest)})
		}
	}
	return dirs
}
