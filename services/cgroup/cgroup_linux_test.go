package cgroup

import (
	"bufio"
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/tinit/tinit/internal/testhelper"
)

// testDir returns a fresh cgroup under this process's own, removed at the
// end of the test with everything in it.
func testDir(t *testing.T) string {
	t.Helper()
	if os.Getuid() != 0 {
		t.Skip("creating cgroups needs root")
	}
	own, err := Discover()
	if err != nil {
		t.Skipf("no cgroup2 hierarchy here: %v", err)
	}
	dir := filepath.Join(own, testPrefix()+strings.ReplaceAll(t.Name(), "/", "-"))
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { destroy(t, dir) })
	return dir
}

// destroy kills everything in dir and removes it and its children.
func destroy(t *testing.T, dir string) {
	if err := writeFile(filepath.Join(dir, "cgroup.kill"), "1"); err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("cleanup: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := removeWhenEmpty(ctx, dir); err != nil {
		t.Errorf("cleanup: %v", err)
	}
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// startIn starts a shell script born in the cgroup open as dir
// (CLONE_INTO_CGROUP), waits until it prints its first line, and kills
// and reaps it at the end of the test.
func startIn(t *testing.T, dir *os.File, script string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command("sh", "-c", script)
	cmd.SysProcAttr = &syscall.SysProcAttr{UseCgroupFD: true, CgroupFD: int(dir.Fd())}
	out := testhelper.StartPiped(t, cmd)
	if _, err := bufio.NewReader(out).ReadString('\n'); err != nil {
		t.Fatalf("%q did not start: %v", script, err)
	}
	return cmd
}

// startSleepIn starts one sleeping process in the cgroup directory path.
func startSleepIn(t *testing.T, path string) *exec.Cmd {
	t.Helper()
	dir, err := openDir(path)
	if err != nil {
		t.Fatal(err)
	}
	defer dir.Close()
	return startIn(t, dir, "echo up; exec sleep 300")
}

func readString(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

// offer makes controller c available to the children of parent, as a
// parent of tinit would; false when the kernel does not have it here.
func offer(t *testing.T, parent, c string) bool {
	t.Helper()
	sub := filepath.Join(parent, "cgroup.subtree_control")
	if on, _ := controllers(sub); slices.Contains(on, c) {
		return true
	}
	if avail, _ := controllers(filepath.Join(parent, "cgroup.controllers")); !slices.Contains(avail, c) {
		return false
	}
	if err := writeFile(sub, "+"+c); err != nil {
		t.Skipf("cannot enable %s in %s (a process of its own?): %v", c, parent, err)
	}
	t.Cleanup(func() { writeFile(sub, "-"+c) })
	return true
}

func TestDiscover(t *testing.T) {
	dir, err := Discover()
	if err != nil {
		t.Fatal(err)
	}
	pids, err := readPids(filepath.Join(dir, "cgroup.procs"))
	if err != nil || !slices.Contains(pids, os.Getpid()) {
		t.Errorf("%s/cgroup.procs: got %v, %v, want our pid %d", dir, pids, err, os.Getpid())
	}
}

// TestSetupEvacuates: the processes of the managed cgroup move to the
// tinit.init leaf and the services' parent is created.
func TestSetupEvacuates(t *testing.T) {
	checkFDs(t)
	base := testDir(t)
	a, b := startSleepIn(t, base), startSleepIn(t, base)
	m, err := Setup(Config{Dir: base, Controllers: []string{"no-such-controller"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := readString(t, filepath.Join(base, "cgroup.procs")); got != "" {
		t.Errorf("%s still holds %q", base, got)
	}
	pids, _ := readPids(filepath.Join(base, InitGroup, "cgroup.procs"))
	slices.Sort(pids)
	want := []int{a.Process.Pid, b.Process.Pid}
	slices.Sort(want)
	if !slices.Equal(pids, want) {
		t.Errorf("%s: got %v, want %v", InitGroup, pids, want)
	}
	if len(m.Controllers()) != 0 || m.Dir() != base || !exists(filepath.Join(base, ServicesGroup, "cgroup.procs")) {
		t.Errorf("got controllers %v, dir %q, want none, %q and a %s group", m.Controllers(), m.Dir(), base, ServicesGroup)
	}
}

// TestSetupControllers enables each controller the kernel has, after the
// move that cgroup v2 requires.
func TestSetupControllers(t *testing.T) {
	own, err := Discover()
	if err != nil {
		t.Skipf("no cgroup2 hierarchy here: %v", err)
	}
	for _, c := range []string{"hugetlb", "memory", "cpu", "pids"} {
		t.Run(c, func(t *testing.T) {
			checkFDs(t)
			if !offer(t, own, c) {
				t.Skipf("%s controller not available in %s: runs in the VM", c, own)
			}
			base := testDir(t)
			startSleepIn(t, base)
			domain := c == "hugetlb" || c == "memory"
			if err := writeFile(filepath.Join(base, "cgroup.subtree_control"), "+"+c); domain && !errors.Is(err, unix.EBUSY) {
				t.Fatalf("enabling %s with a process inside: got %v, want EBUSY (no internal processes)", c, err)
			} else if err == nil {
				writeFile(filepath.Join(base, "cgroup.subtree_control"), "-"+c)
			}
			m, err := Setup(Config{Dir: base, Controllers: []string{c, "no-such-controller", c}})
			if err != nil {
				t.Fatal(err)
			}
			if got := m.Controllers(); !slices.Equal(got, []string{c}) {
				t.Errorf("Controllers: got %v, want [%s]", got, c)
			}
			for _, dir := range []string{base, filepath.Join(base, ServicesGroup)} {
				if on, _ := controllers(filepath.Join(dir, "cgroup.subtree_control")); !slices.Contains(on, c) {
					t.Errorf("%s/cgroup.subtree_control: got %v, want %s", dir, on, c)
				}
			}
		})
	}
}

func TestLimits(t *testing.T) {
	own, err := Discover()
	if err != nil {
		t.Skipf("no cgroup2 hierarchy here: %v", err)
	}
	tests := []struct {
		controller, file, want string
		lim                    Limits
	}{
		{"memory", "memory.max", "67108864", Limits{MemoryMax: 64 << 20}},
		{"cpu", "cpu.max", "50000 100000", Limits{CPU: CPUMax{Quota: 50 * time.Millisecond}}},
		{"pids", "pids.max", "10", Limits{PidsMax: 10}},
	}
	for _, tt := range tests {
		t.Run(tt.controller, func(t *testing.T) {
			checkFDs(t)
			if !offer(t, own, tt.controller) {
				t.Skipf("%s controller not available in %s: runs in the VM", tt.controller, own)
			}
			m, err := Setup(Config{Dir: testDir(t), Controllers: []string{tt.controller}})
			if err != nil {
				t.Fatal(err)
			}
			g, err := m.Create("web", tt.lim)
			if err != nil {
				t.Fatal(err)
			}
			defer g.Close()
			if got := readString(t, filepath.Join(g.Path(), tt.file)); got != tt.want {
				t.Errorf("%s: got %q, want %q", tt.file, got, tt.want)
			}
		})
	}
}

func TestCreateNeedsController(t *testing.T) {
	checkFDs(t)
	m, err := Setup(Config{Dir: testDir(t)})
	if err != nil {
		t.Fatal(err)
	}
	for _, lim := range []Limits{{MemoryMax: 1 << 20}, {CPU: CPUMax{Quota: time.Second}}, {PidsMax: 3}} {
		_, err := m.Create("web", lim)
		if !errors.Is(err, ErrNoController) {
			t.Errorf("%+v: got %v, want ErrNoController", lim, err)
		}
		if exists(filepath.Join(m.parent, "web")) {
			t.Errorf("%+v: the group was left behind", lim)
		}
	}
	if _, err := m.Create("a/b", Limits{}); err == nil {
		t.Error(`Create("a/b"): got nil error`)
	}
}

// TestGroupLifecycle: born in the group, listed, killed as a whole with
// cgroup.kill, waited for, removed.
func TestGroupLifecycle(t *testing.T) {
	testKill(t, (*Group).Kill)
}

// TestKillEach runs the fallback for kernels without cgroup.kill.
func TestKillEach(t *testing.T) {
	testKill(t, (*Group).killEach)
}

func testKill(t *testing.T, kill func(*Group) error) {
	checkFDs(t)
	m, err := Setup(Config{Dir: testDir(t)})
	if err != nil {
		t.Fatal(err)
	}
	g, err := m.Create("svc", Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	cmd := startIn(t, g.Dir(), "sleep 300 & sleep 300 & echo ready; wait")
	cg, _ := os.ReadFile("/proc/" + strconv.Itoa(cmd.Process.Pid) + "/cgroup")
	if !strings.HasSuffix(strings.TrimSpace(string(cg)), "/"+ServicesGroup+"/svc") {
		t.Errorf("the process is in %q, want the group", cg)
	}
	if pids, err := g.Procs(); len(pids) != 3 || err != nil {
		t.Errorf("Procs: got %v, %v, want 3 processes", pids, err)
	}
	if ok, err := g.Populated(); !ok || err != nil {
		t.Errorf("Populated: got %v, %v, want true", ok, err)
	}
	if err := kill(g); err != nil {
		t.Fatal(err)
	}
	if err := g.WaitEmpty(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	if ok, err := g.Populated(); ok || err != nil {
		t.Errorf("Populated after the kill: got %v, %v, want false", ok, err)
	}
	if err := cmd.Wait(); err == nil || !strings.Contains(err.Error(), "killed") {
		t.Errorf("the shell: got %v, want killed", err)
	}
	if got := readString(t, g.file("cgroup.freeze")); got != "0" {
		t.Errorf("cgroup.freeze after the kill: got %q, want 0", got)
	}
	if err := g.Remove(ctxT(t)); err != nil || exists(g.Path()) {
		t.Errorf("Remove: %v (exists: %v)", err, exists(g.Path()))
	}
	if err := g.Kill(); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Kill after Remove: got %v, want ENOENT", err)
	}
}

// TestKillMembersSkipsOutsiders: a pid that left the list between the two
// reads is not signalled.
func TestKillMembersSkipsOutsiders(t *testing.T) {
	checkFDs(t)
	cmd := exec.Command("sleep", "300")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	pid := cmd.Process.Pid
	err := killMembers([]int{pid}, func() ([]int, error) { return nil, nil })
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Process.Signal(syscall.Signal(0)); err != nil {
		t.Errorf("the outsider was killed: %v", err)
	}
	if err := killMembers([]int{pid}, func() ([]int, error) { return []int{pid}, nil }); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err == nil || !strings.Contains(err.Error(), "killed") {
		t.Errorf("the member: got %v, want killed", err)
	}
}

func TestWaitEmptyDeadline(t *testing.T) {
	checkFDs(t)
	m, _ := Setup(Config{Dir: testDir(t)})
	g, err := m.Create("svc", Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	startIn(t, g.Dir(), "echo up; exec sleep 300")
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := g.WaitEmpty(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("got %v, want context.DeadlineExceeded", err)
	}
	if err := g.Remove(ctx); !errors.Is(err, context.DeadlineExceeded) || !exists(g.Path()) {
		t.Errorf("Remove of a populated group: got %v, want context.DeadlineExceeded and the group kept", err)
	}
	removed := make(chan error)
	go func() { removed <- g.Remove(ctxT(t)) }()
	if err := g.Kill(); err != nil {
		t.Fatal(err)
	}
	if err := <-removed; err != nil || exists(g.Path()) {
		t.Errorf("Remove waiting for the kill: got %v (exists: %v)", err, exists(g.Path()))
	}
}

func TestRemoveChildren(t *testing.T) {
	checkFDs(t)
	m, _ := Setup(Config{Dir: testDir(t)})
	g, err := m.Create("svc", Limits{})
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(g.Path(), "a", "b"), 0o755)
	os.Mkdir(filepath.Join(g.Path(), "c"), 0o755)
	if err := g.Remove(ctxT(t)); err != nil || exists(g.Path()) {
		t.Errorf("Remove: %v (exists: %v)", err, exists(g.Path()))
	}
	if err := g.Remove(ctxT(t)); err != nil {
		t.Errorf("second Remove: got %v, want nil", err)
	}
}

func TestCreateLeftover(t *testing.T) {
	checkFDs(t)
	m, _ := Setup(Config{Dir: testDir(t)})
	old, err := m.Create("web", Limits{})
	if err != nil {
		t.Fatal(err)
	}
	old.Close()
	g, err := m.Create("web", Limits{})
	if err != nil {
		t.Fatalf("replacing an empty leftover: %v", err)
	}
	defer g.Close()
	startIn(t, g.Dir(), "echo up; exec sleep 300")
	if _, err := m.Create("web", Limits{}); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Errorf("replacing a populated group: got %v, want an error", err)
	}
}

// TestCloneIntoCgroupFD: clone3 takes the group's O_RDONLY|O_DIRECTORY fd,
// and an O_PATH one as well (clone3(2)).
func TestCloneIntoCgroupFD(t *testing.T) {
	checkFDs(t)
	m, _ := Setup(Config{Dir: testDir(t)})
	g, err := m.Create("svc", Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	fd, err := unix.Open(g.Path(), unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	opath := os.NewFile(uintptr(fd), "opath")
	defer opath.Close()
	for _, dir := range []*os.File{g.Dir(), opath} {
		cmd := startIn(t, dir, "echo up; exec sleep 300")
		if pids, _ := g.Procs(); !slices.Contains(pids, cmd.Process.Pid) {
			t.Errorf("%s: pid %d not in the group (%v)", dir.Name(), cmd.Process.Pid, pids)
		}
	}
	if err := g.AddProc(os.Getpid() + 1<<22); !errors.Is(err, unix.ESRCH) || !strings.Contains(err.Error(), "cgroup.procs") {
		t.Errorf("AddProc(no such pid): got %v, want ESRCH naming cgroup.procs", err)
	}
}

func TestAddProc(t *testing.T) {
	checkFDs(t)
	m, _ := Setup(Config{Dir: testDir(t)})
	g, err := m.Create("svc", Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	cmd := exec.Command("sleep", "300")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	if err := g.AddProc(cmd.Process.Pid); err != nil {
		t.Fatal(err)
	}
	if pids, _ := g.Procs(); !slices.Equal(pids, []int{cmd.Process.Pid}) {
		t.Errorf("got %v, want [%d]", pids, cmd.Process.Pid)
	}
}
