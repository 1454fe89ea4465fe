package services

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// defaultPath is searched when a service's environment has no PATH, as
// execvp does.
const defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

var (
	errNotFound      = errors.New("not found")
	errNotExecutable = errors.New("not executable")
)

// lookPath finds a service's program as execvp would: a path with a slash
// is used as it is; a bare name is the first regular file with an execute
// bit among the directories of path (the PATH of the service's
// environment); an empty name is never found (joined to a directory, it
// would name the directory). The error wraps errNotFound, or
// errNotExecutable when a file of that name exists but none can be
// executed.
func lookPath(name, path string) (string, error) {
	if strings.Contains(name, "/") {
		return name, nil
	}
	if name == "" {
		return "", fmt.Errorf("look up %q in PATH: %w", name, errNotFound)
	}
	if path == "" {
		path = defaultPath
	}
	why := errNotFound
	for _, dir := range filepath.SplitList(path) {
		if dir == "" {
			dir = "."
		}
		candidate := filepath.Join(dir, name)
		st, err := os.Stat(candidate)
		if err != nil {
			continue
		}
		if st.Mode().IsRegular() && st.Mode().Perm()&0o111 != 0 {
			return candidate, nil
		}
		why = errNotExecutable
	}
	return "", fmt.Errorf("look up %q in PATH: %w", name, why)
}

// getenv looks name up in an environment list; the last entry wins, as
// Service.Environ puts the service's own variables last.
func getenv(env []string, name string) string {
	for i := len(env) - 1; i >= 0; i-- {
		if k, v, ok := strings.Cut(env[i], "="); ok && k == name {
			return v
		}
	}
	return ""
}
