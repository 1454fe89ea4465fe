package image

import (
	"bytes"
	"debug/elf"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// elfInfo is what the dynamic loader reads of an ELF file: it is read from
// the program headers (PT_INTERP, PT_DYNAMIC) as ld.so reads it, so a file
// stripped of its section headers is read too.
type elfInfo struct {
	class   elf.Class
	machine elf.Machine
	interp  string   // PT_INTERP; "" for a static binary
	needed  []string // DT_NEEDED, in order
	rpath   []string // DT_RPATH, split at ':'
	runpath []string // DT_RUNPATH, split at ':'
	soname  string   // DT_SONAME
}

// Limits against hostile files: no real interpreter path, dynamic segment
// or string table comes near them.
const (
	maxInterp  = 4096
	maxDynamic = 1 << 20
	maxStrtab  = 16 << 20
)

// IsStatic reports whether the ELF program at path runs without a
// dynamic loader: it names no interpreter (PT_INTERP).
func IsStatic(path string) (bool, error) {
	info, err := readELFFile(path)
	if err != nil {
		return false, err
	}
	return info.interp == "", nil
}

// readELFFile reads the ELF file at path.
func readELFFile(path string) (*elfInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := readELF(f)
	if err != nil {
		return nil, fmt.Errorf("read ELF %q: %w", path, err)
	}
	return info, nil
}

// readELF reads an ELF file's loader information.
func readELF(r io.ReaderAt) (*elfInfo, error) {
	f, err := elf.NewFile(r)
	if err != nil {
		return nil, err
	}
	info := &elfInfo{class: f.Class, machine: f.Machine}
	var dyn *elf.Prog
	for _, p := range f.Progs {
		switch p.Type {
		case elf.PT_INTERP:
			if info.interp, err = readInterp(p); err != nil {
				return nil, err
			}
		case elf.PT_DYNAMIC:
			dyn = p
		}
	}
	if dyn == nil {
		return info, nil
	}
	return info, readDynamic(f, dyn, info)
}

func readInterp(p *elf.Prog) (string, error) {
	if p.Filesz == 0 || p.Filesz > maxInterp {
		return "", fmt.Errorf("PT_INTERP of %d bytes", p.Filesz)
	}
	buf := make([]byte, p.Filesz)
	if _, err := p.ReadAt(buf, 0); err != nil {
		return "", fmt.Errorf("read PT_INTERP: %w", err)
	}
	if i := bytes.IndexByte(buf, 0); i >= 0 {
		buf = buf[:i]
	}
	if len(buf) == 0 {
		return "", errors.New("empty PT_INTERP")
	}
	return string(buf), nil
}

// dynTags are the raw entries of the dynamic segment that matter here.
type dynTags struct {
	needed                 []uint64 // string table offsets
	rpath, runpath, soname []uint64
	strtab, strsz          uint64
}

func readDynamic(f *elf.File, dyn *elf.Prog, info *elfInfo) error {
	tags, err := readDynTags(f, dyn)
	if err != nil {
		return err
	}
	strtab, err := readStrtab(f, tags.strtab, tags.strsz)
	if err != nil {
		return err
	}
	str := func(offs []uint64) ([]string, error) {
		var out []string
		for _, o := range offs {
			if o >= uint64(len(strtab)) {
				return nil, fmt.Errorf("dynamic string at %d is outside the string table of %d bytes", o, len(strtab))
			}
			s := strtab[o:]
			out = append(out, string(s[:max(bytes.IndexByte(s, 0), 0)]))
		}
		return out, nil
	}
	if info.needed, err = str(tags.needed); err != nil {
		return err
	}
	soname, err := str(tags.soname)
	if err != nil {
		return err
	}
	if len(soname) > 0 {
		info.soname = soname[0]
	}
	if info.rpath, err = splitPaths(str(tags.rpath)); err != nil {
		return err
	}
	info.runpath, err = splitPaths(str(tags.runpath))
	return err
}

// splitPaths splits the colon-separated lists of RPATH or RUNPATH.
func splitPaths(lists []string, err error) ([]string, error) {
	var out []string
	for _, l := range lists {
		out = append(out, strings.Split(l, ":")...)
	}
	return out, err
}

func readDynTags(f *elf.File, dyn *elf.Prog) (dynTags, error) {
	var t dynTags
	if dyn.Filesz > maxDynamic {
		return t, fmt.Errorf("PT_DYNAMIC of %d bytes", dyn.Filesz)
	}
	buf := make([]byte, dyn.Filesz)
	if _, err := dyn.ReadAt(buf, 0); err != nil {
		return t, fmt.Errorf("read PT_DYNAMIC: %w", err)
	}
	size := 16
	if f.Class == elf.ELFCLASS32 {
		size = 8
	}
	for ; len(buf) >= size; buf = buf[size:] {
		tag, val := dynEntry(f, buf[:size])
		switch elf.DynTag(tag) {
		case elf.DT_NULL:
			return t, nil
		case elf.DT_NEEDED:
			t.needed = append(t.needed, val)
		case elf.DT_RPATH:
			t.rpath = append(t.rpath, val)
		case elf.DT_RUNPATH:
			t.runpath = append(t.runpath, val)
		case elf.DT_SONAME:
			t.soname = append(t.soname, val)
		case elf.DT_STRTAB:
			t.strtab = val
		case elf.DT_STRSZ:
			t.strsz = val
		}
	}
	return t, nil
}

func dynEntry(f *elf.File, b []byte) (tag, val uint64) {
	if f.Class == elf.ELFCLASS32 {
		return uint64(int32(f.ByteOrder.Uint32(b))), uint64(f.ByteOrder.Uint32(b[4:]))
	}
	return f.ByteOrder.Uint64(b), f.ByteOrder.Uint64(b[8:])
}

// readStrtab reads the dynamic string table, whose address is virtual: it
// is found in the PT_LOAD segment that maps it.
func readStrtab(f *elf.File, addr, size uint64) ([]byte, error) {
	if size == 0 {
		return nil, nil
	}
	if size > maxStrtab {
		return nil, fmt.Errorf("DT_STRSZ of %d bytes", size)
	}
	for _, p := range f.Progs {
		if p.Type != elf.PT_LOAD || addr < p.Vaddr || addr-p.Vaddr >= p.Filesz || size > p.Filesz-(addr-p.Vaddr) {
			continue
		}
		buf := make([]byte, size)
		if _, err := p.ReadAt(buf, int64(addr-p.Vaddr)); err != nil {
			return nil, fmt.Errorf("read DT_STRTAB: %w", err)
		}
		return buf, nil
	}
	return nil, fmt.Errorf("DT_STRTAB at %#x (%d bytes) is in no PT_LOAD segment", addr, size)
}
