package main

import (
	"debug/elf"
)

// isStatic reports whether the ELF file at path has no program
// interpreter (no dynamic loader, so no shared C library).
func isStatic(path string) (bool, error) {
	f, err := elf.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return false, nil
		}
	}
	return true, nil
}
