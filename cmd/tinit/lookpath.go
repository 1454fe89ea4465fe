package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// defaultPath is searched when PATH is unset, as execvp does.
const defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// lookPath finds the program to run as execvp would: a name with a slash
// is used as it is; otherwise the first executable regular file of that
// name in PATH. When there is none, the error is EACCES if a file of that
// name exists but cannot be executed, else ENOENT.
func lookPath(name, path string) (string, error) {
	if strings.Contains(name, "/") {
		return name, nil
	}
	if path == "" {
		path = defaultPath
	}
	err := error(syscall.ENOENT)
	for _, dir := range filepath.SplitList(path) {
		if dir == "" {
			dir = "."
		}
		candidate := filepath.Join(dir, name)
		st, serr := os.Stat(candidate)
		if serr != nil {
			continue
		}
		if st.Mode().IsRegular() && unix.Access(candidate, unix.X_OK) == nil {
			return candidate, nil
		}
		err = syscall.EACCES
	}
	return "", err
}
