package cgroup

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// ErrNotSupported is returned outside Linux.
var ErrNotSupported = errors.New("cgroups need Linux")

// ErrNoController is wrapped by Create's error when a limit needs a
// controller that is not enabled for services.
var ErrNoController = errors.New("controller not enabled")

// Names of the directories tinit creates in the cgroup it manages.
const (
	InitGroup     = "tinit.init" // tinit's own leaf
	ServicesGroup = "tinit"      // the parent of the services' groups
)

// maxMoveRounds bounds Setup's evacuation of the managed cgroup, in case
// its processes fork faster than they are moved.
const maxMoveRounds = 16

// Config says which cgroup tinit manages and what services get.
type Config struct {
	// Dir is the cgroup directory to manage, e.g. /sys/fs/cgroup. Empty:
	// the cgroup tinit is in (see Discover).
	Dir string
	// Controllers are enabled for the services' groups, e.g. cpu, memory,
	// pids; those the kernel does not offer in Dir are left out.
	Controllers []string
}

// Manager creates the services' groups under the cgroup tinit manages.
type Manager struct {
	dir     string
	parent  string
	enabled []string
}

// Discover returns the directory of the cgroup this process is in, from
// /proc/self/mountinfo and /proc/self/cgroup.
func Discover() (string, error) {
	if !supported {
		return "", ErrNotSupported
	}
	mi, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		return "", fmt.Errorf("find own cgroup: %w", err)
	}
	m, err := parseMountinfo(mi)
	if err != nil {
		return "", fmt.Errorf("find own cgroup: %w", err)
	}
	pc, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return "", fmt.Errorf("find own cgroup: %w", err)
	}
	p, err := parseProcCgroup(pc)
	if err != nil {
		return "", fmt.Errorf("find own cgroup: %w", err)
	}
	return dirOf(m, p)
}

// Setup prepares the managed cgroup (see the package doc): it moves every
// process out of it into InitGroup unless it is the root cgroup, enables
// the wanted controllers it offers, and creates ServicesGroup with the
// same controllers enabled.
func Setup(cfg Config) (*Manager, error) {
	dir := cfg.Dir
	if dir == "" {
		var err error
		if dir, err = Discover(); err != nil {
			return nil, err
		}
	} else if !supported {
		return nil, ErrNotSupported
	}
	m := &Manager{dir: dir, parent: filepath.Join(dir, ServicesGroup)}
	if err := m.setup(cfg.Controllers); err != nil {
		return nil, fmt.Errorf("set up cgroup %q: %w", dir, err)
	}
	return m, nil
}

func (m *Manager) setup(want []string) error {
	if isRoot := !exists(filepath.Join(m.dir, "cgroup.type")); !isRoot {
		if err := m.evacuate(); err != nil {
			return err
		}
	}
	offered, err := controllers(filepath.Join(m.dir, "cgroup.controllers"))
	if err != nil {
		return err
	}
	for _, c := range want {
		if slices.Contains(offered, c) && !slices.Contains(m.enabled, c) {
			m.enabled = append(m.enabled, c)
		}
	}
	if err := enable(m.dir, m.enabled); err != nil {
		return err
	}
	if err := mkdir(m.parent); err != nil {
		return err
	}
	return enable(m.parent, m.enabled)
}

// evacuate moves every process of the managed cgroup into InitGroup, so
// that it may enable controllers for its children.
func (m *Manager) evacuate() error {
	leaf := filepath.Join(m.dir, InitGroup)
	if err := mkdir(leaf); err != nil {
		return err
	}
	for range maxMoveRounds {
		pids, err := readPids(filepath.Join(m.dir, "cgroup.procs"))
		if err != nil || len(pids) == 0 {
			return err
		}
		for _, pid := range pids {
			err := writeFile(filepath.Join(leaf, "cgroup.procs"), fmt.Sprint(pid))
			if err != nil && !isGone(err) {
				return err
			}
		}
	}
	return fmt.Errorf("move processes to %q: new ones kept appearing", leaf)
}

// enable writes "+controller" to dir's cgroup.subtree_control, one at a
// time so that an error names the one that failed.
func enable(dir string, ctrls []string) error {
	for _, c := range ctrls {
		if err := writeFile(filepath.Join(dir, "cgroup.subtree_control"), "+"+c); err != nil {
			return err
		}
	}
	return nil
}

func mkdir(dir string) error {
	if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	return nil
}

// Dir returns the managed cgroup directory.
func (m *Manager) Dir() string { return m.dir }

// Controllers returns the controllers enabled for the services' groups.
func (m *Manager) Controllers() []string { return slices.Clone(m.enabled) }

// Create creates the group of service name, with its limits, and opens it.
// A leftover empty group of that name is replaced; one with processes is
// an error. A limit whose controller is not enabled fails with an error
// wrapping ErrNoController, and nothing is left behind.
func (m *Manager) Create(name string, lim Limits) (*Group, error) {
	dir := filepath.Join(m.parent, name)
	if err := checkName(name); err != nil {
		return nil, fmt.Errorf("create cgroup %q: %w", dir, err)
	}
	settings, err := lim.settings()
	if err != nil {
		return nil, fmt.Errorf("create cgroup %q: %w", dir, err)
	}
	for _, s := range settings {
		if !slices.Contains(m.enabled, s.controller) {
			return nil, fmt.Errorf("create cgroup %q: %s needs the %s controller: %w", dir, s.file, s.controller, ErrNoController)
		}
	}
	if err := replace(dir); err != nil {
		return nil, fmt.Errorf("create cgroup %q: %w", dir, err)
	}
	for _, s := range settings {
		if err := writeFile(filepath.Join(dir, s.file), s.value); err != nil {
			os.Remove(dir)
			return nil, fmt.Errorf("create cgroup %q: %w", dir, err)
		}
	}
	g, err := openGroup(dir)
	if err != nil {
		os.Remove(dir)
	}
	return g, err
}

// replace makes a new, empty directory at dir, removing a leftover one.
func replace(dir string) error {
	err := os.Mkdir(dir, 0o755)
	if !errors.Is(err, fs.ErrExist) {
		return err
	}
	if err := removeTree(dir); err != nil {
		return fmt.Errorf("a group of that name is still in use: %w", err)
	}
	return os.Mkdir(dir, 0o755)
}

func checkName(name string) error {
	switch {
	case name == "" || name == "." || name == "..":
		return errors.New("empty or dot name")
	case len(name) > 255:
		return errors.New("name longer than 255 bytes")
	case strings.ContainsAny(name, "/\x00\n"):
		return errors.New("name holds '/', NUL or newline")
	}
	return nil
}
