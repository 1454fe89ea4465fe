// Command tinit-image builds the initramfs of a microVM whose /init is
// tinit: a deterministic, gzip-compressed newc cpio archive (package image),
// and lists the entries of existing ones. docs/image.md is its manual.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/tinit/tinit/image"
)

// Exit codes.
const (
	exitOK    = 0
	exitBuild = 1 // the image could not be built, written or read
	exitUsage = 2 // bad flags or arguments
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the whole command; it returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	cfg, err := parseFlags(args, os.Getenv)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, helpText)
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "tinit-image: %v\nRun 'tinit-image --help' for usage.\n", err)
		return exitUsage
	}
	if err := cfg.do(stdout); err != nil {
		fmt.Fprintf(stderr, "tinit-image: %v\n", err)
		return exitBuild
	}
	return exitOK
}

// do builds the image if asked, then lists what was asked.
func (c *config) do(stdout io.Writer) error {
	if c.out != "" {
		if err := c.build(stdout); err != nil {
			return err
		}
	}
	for _, p := range c.listPaths() {
		if err := list(stdout, p, len(c.listPaths()) > 1); err != nil {
			return err
		}
	}
	return nil
}

// build adds every entry, the default devices, and writes the image (to
// stdout for -o -).
func (c *config) build(stdout io.Writer) error {
	b := image.New()
	if err := b.SetModTime(c.mtime); err != nil {
		return err
	}
	if err := b.SetGzipLevel(c.level); err != nil {
		return err
	}
	var errs []error
	for _, add := range c.adds {
		errs = append(errs, add(b))
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if c.devices {
		if err := b.AddDefaultDevices(); err != nil {
			return err
		}
	}
	if c.out == "-" {
		_, err := b.WriteTo(stdout)
		return err
	}
	return b.WriteFile(c.out)
}

// list prints the entries of the image at path ("-" for standard input),
// one a line like ls -ln.
func list(w io.Writer, path string, title bool) error {
	r := io.Reader(os.Stdin)
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return fmt.Errorf("list image: %w", err)
		}
		defer f.Close()
		r = f
	}
	entries, err := image.Read(r)
	if err != nil {
		return fmt.Errorf("list %q: %w", path, err)
	}
	if title {
		fmt.Fprintf(w, "%s:\n", path)
	}
	for _, e := range entries {
		fmt.Fprintln(w, e)
	}
	return nil
}
