// Package image builds deterministic initramfs images (newc cpio,
// compressed) for microVMs with tinit as /init.
//
// A Builder collects entries — files from memory or from the host, ELF
// programs with their interpreter and shared libraries, directories,
// symlinks, device nodes, or the lines of a manifest — and WriteTo writes
// them as one gzip-compressed newc archive that the kernel unpacks into its
// rootfs (Documentation/driver-api/early-userspace/buffer-format.rst).
// Read reads such archives back, for tests and for listing.
//
// The same inputs always give the same bytes: entries are sorted by path,
// inode numbers follow that order, owners are 0:0 unless given, every entry
// has the one modification time of the Builder, and the gzip header has no
// name and no time. The order of the calls does not matter.
//
// Every error names the entry (*Error) and, for a manifest line, its
// file:line; problems the kernel would meet silently at boot (a name longer
// than PATH_MAX, a file as a parent, two different contents at one path) are
// errors here instead.
//
// image imports nothing else of tinit, never starts processes and never
// changes the host: it only reads host files and writes the image.
package image
