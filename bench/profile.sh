#!/bin/bash
# bench/profile.sh CASE: the profiles behind "What dominates" in
# bench/RESULTS.md, with software events only (this machine's VM exposes no
# hardware counters: `perf stat -e instructions true` says <not supported>).
# Run bench/run.sh first (it builds bin/tinit and bin/bench). Output goes to
# bin/prof/CASE.txt.
#
#   signal   scheduler and syscall trace of 5 SIGTERMs forwarded by tinit
#   trickle  the same for 20 orphans arriving one at a time
#   release  cpu-clock samples with call graphs of tinit reaping 6 × 20,000
#            zombies released at once (tinit built with symbols)
#   idle     every context switch of an idle tinit over 130 s, with stacks
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bin/prof
out=bin/prof/$1
events=sched:sched_switch,sched:sched_wakeup,signal:signal_generate,signal:signal_deliver,raw_syscalls:sys_enter
pid1() { unshare --pid --fork --mount-proc --kill-child "$@"; }
case $1 in
signal)
	perf record -q -o "$out.data" -e "$events" -a -- bin/bench/siglat 5 20000 bin/tinit -- bin/bench/sigchild
	perf script -i "$out.data" -F comm,tid,cpu,time,event,trace | grep -v 'sys_enter: NR 0 ' >"$out.txt" ;;
trickle)
	perf record -q -o "$out.data" -e "$events" -a -- unshare --pid --fork --mount-proc bin/tinit -- bin/bench/orphans trickle 20
	perf script -i "$out.data" -F comm,tid,cpu,time,event,trace | grep -v 'sys_enter: NR 0 ' >"$out.txt" ;;
release)
	CGO_ENABLED=0 go build -trimpath -ldflags '-E=_rt0_tinit' -o bin/prof/tinit-symbols ./cmd/tinit
	perf record -q -o "$out.data" -F 20000 -e cpu-clock -g -- bash -c \
		'for i in 1 2 3 4 5 6; do unshare --pid --fork --mount-proc bin/prof/tinit-symbols -- bin/bench/orphans release 20000; done'
	perf report -i "$out.data" --comm tinit-symbols --children --percentage relative --sort sym --stdio -g none >"$out.txt" ;;
idle)
	pid1 bin/tinit -- bin/bench/sigchild >/dev/null &
	launcher=$!
	until pid=$(cat /proc/$launcher/task/*/children 2>/dev/null) && [ -n "$pid" ]; do sleep 0.1; done
	sleep 2
	perf record -q -o "$out.data" -e sched:sched_switch -g -p "$pid" -- sleep 130
	kill -KILL "$launcher" # unshare ignores SIGTERM while it waits
	perf script -i "$out.data" -F tid,time,event,trace,ip,sym >"$out.txt" ;;
*)
	echo "usage: bench/profile.sh signal|trickle|release|idle" >&2
	exit 2 ;;
esac
echo "bench/profile.sh: $out.txt"
