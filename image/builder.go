package image

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"time"
)

// Builder collects the entries of one image. Entries can be added in any
// order; the image written is the same for the same set of entries. A
// Builder is not safe for concurrent use.
type Builder struct {
	nodes map[string]*node // by clean absolute path, as added
	mtime uint32
	level int
}

// New returns an empty Builder: modification time 0, gzip level
// gzip.BestSpeed (see SetGzipLevel).
func New() *Builder {
	return &Builder{nodes: map[string]*node{}, level: gzip.BestSpeed}
}

// MaxFileSize is the largest file newc can hold (c_filesize is 32 bits).
const MaxFileSize = 1<<32 - 1

// Limits of device numbers: the kernel's dev_t keeps 12 bits of major and
// 20 of minor.
const (
	MaxMajor = 1<<12 - 1
	MaxMinor = 1<<20 - 1
)

// Option sets an attribute of an entry being added.
type Option func(*attrs)

type attrs struct {
	mode     fs.FileMode
	modeSet  bool
	uid, gid uint32
	pos      string
}

// Mode replaces the permission bits (fs.ModePerm, fs.ModeSetuid,
// fs.ModeSetgid, fs.ModeSticky) of the entry: those of the host file for
// AddHostFile and AddProgram, the argument for the others. It never changes
// the entry's type, and a symlink has no mode to set.
func Mode(m fs.FileMode) Option {
	return func(a *attrs) { a.mode, a.modeSet = m, true }
}

// Owner sets the entry's owner; without it, entries belong to uid 0, gid 0.
func Owner(uid, gid uint32) Option {
	return func(a *attrs) { a.uid, a.gid = uid, gid }
}

// at records the manifest position that declared the entry.
func at(pos string) Option {
	return func(a *attrs) { a.pos = pos }
}

// SetModTime sets the modification time of every entry (for example from
// SOURCE_DATE_EPOCH). newc stores 32-bit seconds since 1970.
func (b *Builder) SetModTime(t time.Time) error {
	s := t.Unix()
	if s < 0 || s > 1<<32-1 {
		return fmt.Errorf("set modification time: %v is outside 1970..2106, which newc cannot store", t)
	}
	b.mtime = uint32(s)
	return nil
}

// SetGzipLevel sets the compression level, gzip.HuffmanOnly to
// gzip.BestCompression. The default, gzip.BestSpeed, compresses a Go binary
// about 4 times faster than gzip.DefaultCompression for an image about 11%
// larger (BenchmarkWriteTo); the kernel inflates both at the same speed.
func (b *Builder) SetGzipLevel(level int) error {
	if level < gzip.HuffmanOnly || level > gzip.BestCompression {
		return fmt.Errorf("set gzip level: %d is not in %d..%d", level, gzip.HuffmanOnly, gzip.BestCompression)
	}
	b.level = level
	return nil
}

// Has reports whether an entry was added at dst (implicit parent
// directories do not count).
func (b *Builder) Has(dst string) bool {
	p, err := cleanPath(dst)
	return err == nil && b.nodes[p] != nil
}

// AddFile adds a regular file holding a copy of data.
func (b *Builder) AddFile(dst string, mode fs.FileMode, data []byte, opts ...Option) error {
	return b.add(dst, opts, func() (*node, error) {
		if err := checkPerm(mode); err != nil {
			return nil, err
		}
		if len(data) > MaxFileSize {
			return nil, fmt.Errorf("file of %d bytes is larger than newc's limit of %d", len(data), int64(MaxFileSize))
		}
		return &node{kind: kindFile, mode: mode, data: bytes.Clone(data), size: int64(len(data))}, nil
	})
}

// AddHostFile adds the regular file src of the host (symlinks followed) at
// dst, with the host file's permission bits. Its content is read when the
// image is written, not now.
func (b *Builder) AddHostFile(dst, src string, opts ...Option) error {
	return b.add(dst, opts, func() (*node, error) { return hostNode(src) })
}

func hostNode(src string) (*node, error) {
	fi, err := os.Stat(src)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("host file %q is a %s, not a regular file", src, typeName(fi.Mode()))
	}
	if fi.Size() > MaxFileSize {
		return nil, fmt.Errorf("host file %q of %d bytes is larger than newc's limit of %d", src, fi.Size(), int64(MaxFileSize))
	}
	return &node{kind: kindFile, mode: fi.Mode() & permBits, src: src, size: fi.Size(), info: fi}, nil
}

// AddDir adds a directory. Parents of every entry are added implicitly with
// mode 0755; AddDir is needed only for another mode or owner, or an empty
// directory.
func (b *Builder) AddDir(dst string, mode fs.FileMode, opts ...Option) error {
	return b.add(dst, opts, func() (*node, error) {
		if err := checkPerm(mode); err != nil {
			return nil, err
		}
		return &node{kind: kindDir, mode: fs.ModeDir | mode}, nil
	})
}

// AddSymlink adds a symbolic link to target, which is stored as given and
// read by the guest's kernel (relative to dst's directory unless absolute).
func (b *Builder) AddSymlink(dst, target string, opts ...Option) error {
	return b.add(dst, opts, func() (*node, error) {
		if err := checkTarget(target); err != nil {
			return nil, err
		}
		return &node{kind: kindSymlink, mode: fs.ModeSymlink | 0o777, target: target}, nil
	})
}

// AddDevice adds a device node. mode holds fs.ModeDevice, plus
// fs.ModeCharDevice for a character device, plus permission bits.
func (b *Builder) AddDevice(dst string, mode fs.FileMode, major, minor uint32, opts ...Option) error {
	return b.add(dst, opts, func() (*node, error) {
		if mode&fs.ModeDevice == 0 {
			return nil, fmt.Errorf("bad mode %v for a device: fs.ModeDevice is not set", mode)
		}
		if err := checkPerm(mode &^ (fs.ModeDevice | fs.ModeCharDevice)); err != nil {
			return nil, err
		}
		if major > MaxMajor || minor > MaxMinor {
			return nil, fmt.Errorf("device %d:%d out of range (major at most %d, minor at most %d)", major, minor, MaxMajor, MaxMinor)
		}
		return &node{kind: kindDevice, mode: mode, major: major, minor: minor}, nil
	})
}

// add validates dst and the options, builds the node with mk and records
// it, accepting an identical re-add.
func (b *Builder) add(dst string, opts []Option, mk func() (*node, error)) error {
	var a attrs
	for _, o := range opts {
		o(&a)
	}
	n, err := b.newNode(dst, a, mk)
	if err != nil {
		return &Error{Pos: a.pos, Op: "add", Path: dst, Err: err}
	}
	return b.insert(n)
}

func (b *Builder) newNode(dst string, a attrs, mk func() (*node, error)) (*node, error) {
	p, err := cleanPath(dst)
	if err == nil && p == "/" {
		err = errRoot
	}
	if err != nil {
		return nil, err
	}
	n, err := mk()
	if err != nil {
		return nil, err
	}
	if a.modeSet {
		if err := applyMode(n, a.mode); err != nil {
			return nil, err
		}
	}
	n.path, n.uid, n.gid, n.pos = p, a.uid, a.gid, a.pos
	return n, nil
}

func applyMode(n *node, m fs.FileMode) error {
	if n.kind == kindSymlink {
		return errors.New("a symlink has no mode of its own (always 0777)")
	}
	if err := checkPerm(m); err != nil {
		return err
	}
	n.mode = n.mode&^permBits | m
	return nil
}

// insert records n unless an entry is already at its path; an identical
// one is accepted, a different one is an error that shows both.
func (b *Builder) insert(n *node) error {
	if b.nodes == nil {
		b.nodes = map[string]*node{}
	}
	old, ok := b.nodes[n.path]
	if !ok {
		b.nodes[n.path] = n
		return nil
	}
	if err := conflict(old, n); err != nil {
		return &Error{Pos: n.pos, Op: "add", Path: n.path, Err: err}
	}
	return nil
}

// sortedPaths returns the added paths in byte order.
func (b *Builder) sortedPaths() []string {
	ps := make([]string, 0, len(b.nodes))
	for p := range b.nodes {
		ps = append(ps, p)
	}
	sort.Strings(ps)
	return ps
}
