package main

import (
	"compress/gzip"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"strings"
	"time"

	"github.com/tinit/tinit/image"
)

// config is what the command line asks for.
type config struct {
	out     string                       // -o; "-" is standard output
	adds    []func(*image.Builder) error // in command-line order
	devices bool                         // add the default devices
	mtime   time.Time
	level   int
	list    bool
	images  []string // arguments: images to list
}

// listPaths returns the images --list prints.
func (c *config) listPaths() []string {
	switch {
	case !c.list:
		return nil
	case c.out != "":
		return []string{c.out}
	}
	return c.images
}

// parseFlags reads the command line; getenv reads SOURCE_DATE_EPOCH.
func parseFlags(args []string, getenv func(string) string) (*config, error) {
	c := &config{}
	var noDevices bool
	var mtime string
	fset := c.flagSet(&noDevices, &mtime)
	if err := fset.Parse(args); err != nil {
		return nil, err
	}
	c.images, c.devices = fset.Args(), !noDevices
	var err error
	if c.mtime, err = modTime(mtime, getenv("SOURCE_DATE_EPOCH")); err != nil {
		return nil, err
	}
	return c, c.check()
}

// flagSet defines every flag; helpText documents each of them.
func (c *config) flagSet(noDevices *bool, mtime *string) *flag.FlagSet {
	fset := flag.NewFlagSet("tinit-image", flag.ContinueOnError)
	fset.SetOutput(io.Discard)
	fset.Usage = func() {}
	fset.StringVar(&c.out, "o", "", "")
	fset.BoolVar(noDevices, "no-default-devices", false, "")
	fset.StringVar(mtime, "mtime", "", "")
	fset.IntVar(&c.level, "gzip-level", 1, "")
	fset.BoolVar(&c.list, "list", false, "")
	c.addFlags(fset)
	return fset
}

// addFlags defines the flags that add entries; each may be repeated.
func (c *config) addFlags(fset *flag.FlagSet) {
	add := func(name string, parse func(string) (func(*image.Builder) error, error)) {
		fset.Func(name, "", func(v string) error {
			f, err := parse(v)
			c.adds = append(c.adds, f)
			return err
		})
	}
	add("manifest", func(v string) (func(*image.Builder) error, error) {
		return func(b *image.Builder) error { return b.AddManifestFile(v) }, nil
	})
	add("init", func(v string) (func(*image.Builder) error, error) {
		return func(b *image.Builder) error { return b.AddProgram("/init", v, image.Mode(0o755)) }, nil
	})
	add("config", func(v string) (func(*image.Builder) error, error) {
		return func(b *image.Builder) error { return b.AddHostFile("/etc/tinit/services.toml", v) }, nil
	})
	add("file", pair("SRC", func(b *image.Builder, dst, src string) error { return b.AddHostFile(dst, src) }))
	add("program", pair("SRC", func(b *image.Builder, dst, src string) error { return b.AddProgram(dst, src) }))
	add("symlink", pair("TARGET", func(b *image.Builder, dst, t string) error { return b.AddSymlink(dst, t) }))
	add("dir", parseDir)
	add("dev", parseDev)
}

// pair parses DST=VALUE.
func pair(what string, f func(b *image.Builder, dst, v string) error) func(string) (func(*image.Builder) error, error) {
	return func(s string) (func(*image.Builder) error, error) {
		dst, v, ok := strings.Cut(s, "=")
		if !ok || dst == "" || v == "" {
			return nil, fmt.Errorf("want DST=%s", what)
		}
		return func(b *image.Builder) error { return f(b, dst, v) }, nil
	}
}

// parseDir parses DST or DST=MODE.
func parseDir(s string) (func(*image.Builder) error, error) {
	dst, m, hasMode := strings.Cut(s, "=")
	mode := fs.FileMode(0o755)
	if hasMode {
		var err error
		if mode, err = image.ParseMode(m); err != nil {
			return nil, err
		}
	}
	return func(b *image.Builder) error { return b.AddDir(dst, mode) }, nil
}

// parseDev parses DST=c:MAJOR:MINOR[:MODE] (b for a block device).
func parseDev(s string) (func(*image.Builder) error, error) {
	dst, spec, _ := strings.Cut(s, "=")
	f := strings.Split(spec, ":")
	if dst == "" || len(f) < 3 || len(f) > 4 || (f[0] != "c" && f[0] != "b") {
		return nil, errors.New("want DST=c:MAJOR:MINOR[:MODE] or DST=b:MAJOR:MINOR[:MODE]")
	}
	major, err1 := strconv.ParseUint(f[1], 10, 32)
	minor, err2 := strconv.ParseUint(f[2], 10, 32)
	if err := errors.Join(err1, err2); err != nil {
		return nil, fmt.Errorf("want decimal MAJOR:MINOR: %w", err)
	}
	mode := fs.FileMode(0o600)
	if len(f) == 4 {
		var err error
		if mode, err = image.ParseMode(f[3]); err != nil {
			return nil, err
		}
	}
	mode |= fs.ModeDevice
	if f[0] == "c" {
		mode |= fs.ModeCharDevice
	}
	return func(b *image.Builder) error { return b.AddDevice(dst, mode, uint32(major), uint32(minor)) }, nil
}

// modTime reads --mtime, or else SOURCE_DATE_EPOCH, or else 0.
func modTime(flagValue, env string) (time.Time, error) {
	v, from := flagValue, "--mtime"
	if v == "" {
		v, from = env, "SOURCE_DATE_EPOCH"
	}
	if v == "" {
		return time.Unix(0, 0), nil
	}
	s, err := strconv.ParseUint(v, 10, 32)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s=%q: want seconds since 1970 up to %d", from, v, uint32(1<<32-1))
	}
	return time.Unix(int64(s), 0), nil
}

// check refuses combinations that mean nothing.
func (c *config) check() error {
	building := c.out != ""
	switch {
	case !building && len(c.adds) > 0:
		return errors.New("entries given without -o FILE to write them to")
	case !building && !c.list:
		return errors.New("nothing to do: give -o FILE to build an image, or --list IMAGE to read one")
	case c.level < gzip.HuffmanOnly || c.level > gzip.BestCompression:
		return fmt.Errorf("--gzip-level %d: want %d..%d", c.level, gzip.HuffmanOnly, gzip.BestCompression)
	case building && len(c.images) > 0:
		return fmt.Errorf("unexpected arguments %q: entries are added with flags (--file, --manifest ...)", c.images)
	case c.list && !building && len(c.images) == 0:
		return errors.New("--list needs IMAGE arguments, or -o with a build")
	case c.list && c.out == "-":
		return errors.New("--list cannot read back an image written to standard output")
	}
	return nil
}

const helpText = `Usage:
  tinit-image -o FILE [options]       build an initramfs image
  tinit-image --list IMAGE...          print the entries of images ("-" is stdin)

tinit-image writes a gzip-compressed newc cpio archive, the format the
kernel unpacks as its initramfs. The same inputs always give the same bytes:
entries are sorted, owned by 0:0 unless a manifest says otherwise, and all
carry one modification time. Parent directories are added as 0755; an entry
beneath a symlink of the image is stored where the symlink leads.

Entries (each flag may be repeated; paths in the image are absolute):
  --init PATH             the init program at /init, mode 0755, with its
                          interpreter and libraries if it is dynamic
  --config FILE           the services file at /etc/tinit/services.toml
  --manifest FILE         the entries a manifest lists; its relative
                          sources are found beside FILE (see below)
  --file DST=SRC          the host file SRC at DST, with SRC's mode
  --program DST=SRC       the ELF program SRC at DST, with its interpreter
                          and every shared library it needs, found as ld.so
                          finds them (RPATH, RUNPATH, $ORIGIN, then
                          /lib/<arch>, /usr/lib/<arch>, /lib, /usr/lib)
  --dir DST[=MODE]        a directory (mode 0755 unless given, e.g. 1777)
  --symlink DST=TARGET    a symbolic link
  --dev DST=c:MAJ:MIN[:MODE]
                          a character device (b: for a block device),
                          mode 0600 unless given
  --no-default-devices    do not add /dev/console (c 5 1, 0600) and
                          /dev/null (c 1 3, 0666); without them the kernel
                          starts /init with no console when devtmpfs is
                          not mounted

Output:
  -o FILE                 write the image to FILE (atomically: a temporary
                          file renamed over it), or to stdout for "-"
  --mtime SECONDS         modification time of every entry; default
                          $SOURCE_DATE_EPOCH, else 0
  --gzip-level N          1 (fastest, default) to 9 (smallest); 0 stores
                          uncompressed blocks, -2 is Huffman only
  --list                  print the entries (like ls -ln) of the image just
                          built with -o, or of the IMAGE arguments
  --help                  print this help

Manifest: one entry a line, words separated by spaces or tabs, # starts a
comment, "double quotes" (Go syntax, with \n and \" escapes) for words with
spaces. Each kind takes fixed arguments, then options key=value:
  DST file    SOURCE          [mode=0644] [uid=N] [gid=N]   host file
  DST program SOURCE          [mode=...]  [uid=N] [gid=N]   ELF + libraries
  DST text    "CONTENT"       [mode=0644] [uid=N] [gid=N]   inline content
  DST dir                     [mode=0755] [uid=N] [gid=N]
  DST symlink TARGET                      [uid=N] [gid=N]
  DST char    MAJOR MINOR     [mode=0600] [uid=N] [gid=N]
  DST block   MAJOR MINOR     [mode=0600] [uid=N] [gid=N]
For example:
  /init                     file     bin/tinit               mode=0755
  /etc/tinit/services.toml  file     examples/services.toml
  /bin/busybox              program  /bin/busybox
  /tmp                      dir      mode=1777
  /lib64                    symlink  lib

Exit status: 0 success, 1 the image could not be built, written or read
(every problem is listed, as FILE:LINE: for manifests), 2 usage error.

Example:
  tinit-image -o initrd.cpio.gz --init bin/tinit --config services.toml \
      --program /bin/busybox=/bin/busybox --symlink /bin/sh=busybox
  tinit-image --list initrd.cpio.gz
`
