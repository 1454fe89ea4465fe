// Package cgroup gives each service its own cgroup v2 group: created under
// a parent tinit owns, with memory, CPU and pid limits, born into with
// CLONE_INTO_CGROUP (through [Group.Dir]), watched until empty, killed as a
// whole and removed.
//
// Layout. tinit manages one cgroup directory D, by default its own cgroup
// (found in /proc/self/mountinfo and /proc/self/cgroup; a unified
// hierarchy at /sys/fs/cgroup or a hybrid one at /sys/fs/cgroup/unified):
//
//	D/                  cgroup.subtree_control: +cpu +memory +pids
//	D/tinit.init/       tinit itself, and whatever else was in D
//	D/tinit/            cgroup.subtree_control: +cpu +memory +pids
//	D/tinit/<service>/  one leaf per service, with its limits
//
// Cgroup v2 lets a group hand controllers to its children only when it
// holds no process itself ("no internal processes"; the root cgroup is
// exempt). As PID 1 of a container, tinit sits in the container's cgroup,
// which is not the root: [Setup] first moves every process of D into the
// leaf D/tinit.init, and only then writes D's cgroup.subtree_control. In
// the real root cgroup (a VM, or a host) nothing is moved.
//
// Controllers that the kernel does not offer in D are left out: Setup
// succeeds with what there is ([Manager.Controllers]); a limit whose
// controller is missing makes [Manager.Create] fail with [ErrNoController],
// so the caller can decide to run without it.
//
// Killing. [Group.Kill] writes cgroup.kill (Linux 5.14+). Before 5.14 it
// freezes the group (5.2+), sends SIGKILL to each member through a pidfd
// (5.3+), checking after opening the pidfd that the pid still belongs to
// the group, and thaws it: no pid is signalled that might have been reused
// by a process outside the group. kill(2) is never used.
//
// Errors name the file and the value written. This package never logs,
// starts no process and imports no other tinit package. It works on Linux
// only; elsewhere it compiles and every operation fails with
// [ErrNotSupported].
package cgroup
