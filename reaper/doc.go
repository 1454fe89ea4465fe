// Package reaper owns every child process of tinit: it creates them with one
// raw clone3 fork-exec, learns how they end, signals them through pidfds, and
// reaps the orphans that the kernel reparents to tinit.
//
// It is the only code in tinit that waits on children (wait4, waitid,
// PIDFD_GET_INFO). Nothing else may use os/exec or os.StartProcess once a
// Reaper runs: a waitid(P_ALL) loop would take their children's statuses.
//
// The package probes the kernel once (see Features) and picks a tier:
//
//   - autoreap (Linux 7.1+): children are CLONE_AUTOREAP|CLONE_PIDFD, so they
//     never become zombies and the orphan loop can never see them; their exit
//     is read from the pidfd with PIDFD_GET_INFO.
//   - pidfd (Linux 5.4+, or clone(2) with CLONE_PIDFD under a seccomp filter
//     that refuses clone3). Where the kernel publishes a reaped child's
//     exit on its pidfd (PIDFD_INFO_EXIT, 6.15+) the kernel reaps every
//     child (below), and the Processes read their exits from their pidfds
//     as on the autoreap tier; one goroutine waits for one of them at a
//     time in waitid(P_PID), which the kernel wakes on the exiting
//     child's CPU. Before 6.15 (or with OnOrphan) the single orphan loop
//     reaps children too and
//     routes each status to its Process under the lock that Start holds
//     across clone and registration. While tinit has a child, one
//     goroutine sleeps in waitid(P_ALL, WNOWAIT) and reaps the moment a
//     child exits, through the same routing under the same lock; SIGCHLD
//     is left at its default meanwhile, which the kernel discards. With
//     no child at all, SIGCHLD is caught and the loop reaps on it.
//
// From 6.15 on, unless Options.OnOrphan asks to hear of each orphan,
// SIGCHLD stays at its default with SA_NOCLDWAIT: the kernel reaps every
// child the moment it exits (Reaper.KernelReaps), so no orphan is ever a
// zombie and tinit does no work for one.
//
// The reaper catches SIGCHLD, and the signals tinit forwards
// (Options.Signals), with a signal handler of its own, written in
// assembly: it runs no Go code, forwards a signal through a pidfd the
// moment it arrives (Relay), and wakes the reaper's goroutine through an
// eventfd in the netpoller (for a forwarded signal, not at once with
// Options.DeferForwarded). os/signal's path costs several thread
// wake-ups per signal; this one costs one, or none but the handler's.
// A program that gives its main thread to ServeSignals saves the signal
// frame too: the kernel offers a process's signals to the main thread
// first, which waits for them in rt_sigtimedwait and forwards each there
// as the handler would, as tini does; the handler takes those that come
// while it is busy.
//
// reaper imports nothing else of tinit and never logs: it reports through
// the callbacks in Options.
package reaper
