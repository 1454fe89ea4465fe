package cgroup

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// Group is the cgroup of one service.
type Group struct {
	path string
	dir  *os.File // O_RDONLY|O_DIRECTORY|O_CLOEXEC, for CLONE_INTO_CGROUP

	closeOnce sync.Once
	closeErr  error
}

// openGroup opens the directory of an existing group.
func openGroup(path string) (*Group, error) {
	dir, err := openDir(path)
	if err != nil {
		return nil, fmt.Errorf("open cgroup %q: %w", path, err)
	}
	return &Group{path: path, dir: dir}, nil
}

// Path returns the group's directory.
func (g *Group) Path() string { return g.path }

// Dir returns the group's directory, opened O_RDONLY|O_DIRECTORY|O_CLOEXEC:
// its fd is what clone3 takes with CLONE_INTO_CGROUP (5.7+) to start a
// process inside the group. The Group owns it; it is valid until Close.
func (g *Group) Dir() *os.File { return g.dir }

func (g *Group) file(name string) string { return filepath.Join(g.path, name) }

// AddProc moves process pid, all its threads, into the group: for kernels
// without CLONE_INTO_CGROUP, right after the process was created.
func (g *Group) AddProc(pid int) error {
	return writeFile(g.file("cgroup.procs"), strconv.Itoa(pid))
}

// Procs returns the pids of the processes in the group itself (not its
// descendants); zombies are not listed.
func (g *Group) Procs() ([]int, error) {
	pids, err := readPids(g.file("cgroup.procs"))
	if err != nil {
		return nil, fmt.Errorf("list processes of cgroup %q: %w", g.path, err)
	}
	return pids, nil
}

// Populated says whether a live process is in the group or below it.
func (g *Group) Populated() (bool, error) {
	ev, err := readEvents(g.file("cgroup.events"))
	return ev.populated, err
}

// WaitEmpty returns when no live process is left in the group, or with
// ctx's error. It sleeps until the kernel reports a change of
// cgroup.events (inotify), never polls.
func (g *Group) WaitEmpty(ctx context.Context) error {
	err := g.waitEvents(ctx, func(ev events) bool { return !ev.populated })
	if err != nil {
		return fmt.Errorf("wait for cgroup %q to empty: %w", g.path, err)
	}
	return nil
}

func (g *Group) waitEvents(ctx context.Context, done func(events) bool) error {
	path := g.file("cgroup.events")
	return watchFile(ctx, path, func() (bool, error) {
		ev, err := readEvents(path)
		return err == nil && done(ev), err
	})
}

// Kill sends SIGKILL to every process in the group and its descendants.
// It does not wait: WaitEmpty does. Processes that fork while being
// killed are caught by cgroup.kill; before Linux 5.14 a fork racing the
// freezer can escape, and a second Kill gets it.
func (g *Group) Kill() error {
	err := writeFile(g.file("cgroup.kill"), "1")
	if errors.Is(err, fs.ErrNotExist) && exists(g.path) {
		err = g.killEach() // Linux 5.14 added cgroup.kill
	}
	if err != nil {
		return fmt.Errorf("kill cgroup %q: %w", g.path, err)
	}
	return nil
}

// freezeWait bounds how long killEach waits for the group to freeze.
const freezeWait = time.Second

// killEach kills the group's processes one by one: freeze the group so no
// member forks meanwhile (cgroup.freeze is 5.2+; without it, go on), signal
// each member through a pidfd, then thaw so that the killed ones run to
// their end. It covers the group itself, not child groups: tinit's service
// groups have none.
func (g *Group) killEach() error {
	if writeFile(g.file("cgroup.freeze"), "1") == nil {
		defer writeFile(g.file("cgroup.freeze"), "0")
		ctx, cancel := context.WithTimeout(context.Background(), freezeWait)
		g.waitEvents(ctx, func(ev events) bool { return ev.frozen || !ev.populated })
		cancel()
	}
	pids, err := g.Procs()
	if err != nil {
		return err
	}
	return killMembers(pids, g.Procs)
}

// Remove removes the group and any child groups, once no process is left:
// it waits for that (kill first to make it quick) until ctx ends. It
// closes the group's directory. A group already gone is no error.
func (g *Group) Remove(ctx context.Context) error {
	g.Close()
	if err := removeWhenEmpty(ctx, g.path); err != nil {
		return fmt.Errorf("remove cgroup %q: %w", g.path, err)
	}
	return nil
}

func removeWhenEmpty(ctx context.Context, dir string) error {
	events := filepath.Join(dir, "cgroup.events")
	for range maxRemoveTries {
		err := removeTree(dir)
		if err == nil || errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if !errors.Is(err, syscall.EBUSY) {
			return err
		}
		err = watchFile(ctx, events, func() (bool, error) {
			ev, err := readEvents(events)
			return err == nil && !ev.populated, err
		})
		if err != nil {
			return err
		}
	}
	return fmt.Errorf("still busy after %d tries", maxRemoveTries)
}

// maxRemoveTries bounds Remove when rmdir keeps failing although the group
// looks empty (a process moved in meanwhile): it does not spin forever.
const maxRemoveTries = 100

// removeTree removes dir after its child groups, deepest first.
func removeTree(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.IsDir() {
			if err := removeTree(filepath.Join(dir, e.Name())); err != nil {
				return err
			}
		}
	}
	return os.Remove(dir)
}

// Close closes the group's directory; the group itself stays. Close is
// idempotent.
func (g *Group) Close() error {
	g.closeOnce.Do(func() { g.closeErr = g.dir.Close() })
	return g.closeErr
}
