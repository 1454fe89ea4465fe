// Package image builds deterministic initramfs images (newc cpio,
// compressed) for microVMs with tinit as /init.
//
// The same inputs always give the same bytes. image imports nothing else of
// tinit and never starts processes.
package image
