package image

import (
	"errors"
	"fmt"
	"strings"
)

// Limits of names in the image. The kernel's unpacker refuses a name of more
// than PATH_MAX bytes including its NUL, and ramfs refuses a component of
// more than NAME_MAX bytes; both are checked when an entry is added, so an
// image never loses a file silently at boot.
const (
	MaxNameSize      = 4096 // c_namesize limit, NUL included (PATH_MAX)
	MaxComponent     = 255  // bytes in one path component (NAME_MAX)
	MaxLinkTarget    = 4095 // bytes in a symlink target (PATH_MAX less the NUL)
	maxSymlinkFollow = 40   // like the kernel's MAXSYMLINKS
)

var errRoot = errors.New("is the image root; only entries beneath it can be added")

// cleanPath checks that p is an absolute path inside the image and returns
// it without "." components, doubled slashes or "..". A ".." that would
// climb above the root is an error, not clamped: it is a mistake in the
// caller's paths.
func cleanPath(p string) (string, error) {
	if p == "" {
		return "", errors.New("empty path")
	}
	if p[0] != '/' {
		return "", errors.New("relative path; paths in the image start with /")
	}
	if strings.IndexByte(p, 0) >= 0 {
		return "", errors.New("path contains a NUL byte")
	}
	var parts []string
	for _, c := range strings.Split(p[1:], "/") {
		switch {
		case c == "" || c == ".":
		case c == "..":
			if len(parts) == 0 {
				return "", errors.New(`path escapes the image root through ".."`)
			}
			parts = parts[:len(parts)-1]
		case len(c) > MaxComponent:
			return "", fmt.Errorf("path component of %d bytes is longer than %d", len(c), MaxComponent)
		default:
			parts = append(parts, c)
		}
	}
	return checkLength("/" + strings.Join(parts, "/"))
}

// checkLength checks the stored name (p without its leading slash, plus a
// NUL) against MaxNameSize.
func checkLength(p string) (string, error) {
	if len(p) > MaxNameSize {
		return "", fmt.Errorf("name of %d bytes is longer than %d", len(p)-1, MaxNameSize-1)
	}
	return p, nil
}

// parentDir returns the directory of a clean absolute path ("/" for "/a").
func parentDir(p string) string {
	i := strings.LastIndexByte(p, '/')
	if i <= 0 {
		return "/"
	}
	return p[:i]
}

// baseName returns the last component of a clean absolute path.
func baseName(p string) string {
	return p[strings.LastIndexByte(p, '/')+1:]
}

// joinPath joins a clean absolute directory and one component.
func joinPath(dir, name string) string {
	if dir == "/" {
		return "/" + name
	}
	return dir + "/" + name
}

// checkTarget checks a symlink target: any text the kernel accepts.
func checkTarget(t string) error {
	switch {
	case t == "":
		return errors.New("empty symlink target")
	case strings.IndexByte(t, 0) >= 0:
		return errors.New("symlink target contains a NUL byte")
	case len(t) > MaxLinkTarget:
		return fmt.Errorf("symlink target of %d bytes is longer than %d", len(t), MaxLinkTarget)
	}
	return nil
}
