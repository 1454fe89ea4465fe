package image

import (
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"
)

// placed is an entry at the path where it is stored in the archive.
type placed struct {
	path string // clean absolute path in the archive
	n    *node
}

// layout decides where every entry is stored: beneath its symlinks resolved
// within the image (as the kernel would follow them while unpacking), with
// every missing parent added as a 0755 directory, in byte order of path so
// parents come first. Every problem is reported, not only the first.
func (b *Builder) layout() ([]placed, error) {
	out := map[string]*node{}
	var errs []error
	for _, p := range b.sortedPaths() {
		if err := b.place(out, b.nodes[p]); err != nil {
			errs = append(errs, err)
		}
	}
	errs = append(errs, addParents(out)...)
	paths := make([]string, 0, len(out))
	for p := range out {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	list := make([]placed, len(paths))
	for i, p := range paths {
		list[i] = placed{path: p, n: out[p]}
	}
	return list, errors.Join(errs...)
}

// place puts n into out at its resolved path.
func (b *Builder) place(out map[string]*node, n *node) error {
	dir, err := b.resolveDir(parentDir(n.path))
	var p string
	if err == nil {
		p, err = checkLength(joinPath(dir, baseName(n.path)))
	}
	if err != nil {
		return &Error{Pos: n.pos, Op: "add", Path: n.path, Err: err}
	}
	old, ok := out[p]
	if !ok {
		out[p] = n
		return nil
	}
	if err := conflict(old, n); err != nil {
		err = fmt.Errorf("stored at %q through a symlink, clashing with %q: %w", p, old.path, err)
		return &Error{Pos: n.pos, Op: "add", Path: n.path, Err: err}
	}
	return nil
}

// resolveDir resolves the symlinks of the image in the directory dir,
// component by component as the kernel does: ".." after a symlink climbs
// from where the symlink led. A component nobody added is a directory to be
// made; one that is a file or a device is an error.
func (b *Builder) resolveDir(dir string) (string, error) {
	rest := splitPath(dir)
	cur, hops := "/", 0
	for len(rest) > 0 {
		c := rest[0]
		rest = rest[1:]
		switch c {
		case "", ".":
			continue
		case "..":
			cur = parentDir(cur)
			continue
		}
		next := joinPath(cur, c)
		n := b.nodes[next]
		switch {
		case n == nil || n.kind == kindDir:
			cur = next
		case n.kind == kindSymlink:
			if hops++; hops > maxSymlinkFollow {
				return "", fmt.Errorf("too many levels of symbolic links at %q", next)
			}
			if strings.HasPrefix(n.target, "/") {
				cur = "/"
			}
			rest = append(splitPath(n.target), rest...)
		default:
			return "", fmt.Errorf("parent %q is a %v%s, not a directory", next, n, n.where())
		}
	}
	return cur, nil
}

func splitPath(p string) []string {
	return strings.Split(strings.Trim(p, "/"), "/")
}

// addParents adds a directory for every missing parent in out, and reports
// a parent that is there but is no directory (possible only when a symlink
// moved an entry onto it).
func addParents(out map[string]*node) []error {
	paths := make([]string, 0, len(out))
	for p := range out {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var errs []error
	for _, p := range paths {
		for d := parentDir(p); d != "/"; d = parentDir(d) {
			n, ok := out[d]
			if !ok {
				out[d] = &node{path: d, kind: kindDir, mode: fs.ModeDir | 0o755, implicit: true}
				continue
			}
			if n.kind != kindDir {
				c := out[p]
				errs = append(errs, &Error{Pos: c.pos, Op: "add", Path: c.path,
					Err: fmt.Errorf("stored at %q, whose parent %q is a %v%s, not a directory", p, d, n, n.where())})
			}
			break
		}
	}
	return errs
}
