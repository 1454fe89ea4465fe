#!/bin/bash
# bench/siglat-ab.sh ROUNDS NAME=COMMAND...: the signal-latency benchmark
# (bench/c/siglat.c: 200 SIGTERMs 2 ms apart to the init, as PID 1 of a
# new PID namespace, each seen by bench/c/sigchild) for a few inits at a
# time, interleaved round by round, as initbench runs it; for the A/B
# comparisons in bench/RESULTS.md. The first init is the reference: for
# each init it prints the paired ratios of its launch medians to the
# reference's (geometric mean, 95% confidence interval) over all samples
# and within each mode of the latency (the child woken on the CPU that
# sent the signal, or on another), each with its median in µs, and the
# mean share of the first mode (the table of bench/siglat-ab.awk). COMMAND
# is what precedes the child, e.g.
#
#   bench/siglat-ab.sh 40 tini='/usr/bin/tini -s --' tinit='bin/tinit --' c-handler=bin/bench/handlerinit
#
# SIGLAT_SAMPLES and SIGLAT_GAP (µs) change the SIGTERMs per launch and the
# wait before each: SIGLAT_SAMPLES=1 SIGLAT_GAP=200000 is one `docker stop`
# of an init idle for 200 ms. SIGLAT_NEW_SENDER=1 has a new process send
# each SIGTERM (siglat -n), as `runc kill` does for `docker stop`.
#
# Run bench/run.sh (or make bench) first: it builds bin/bench.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 2 ]; then
	echo "usage: bench/siglat-ab.sh ROUNDS NAME=COMMAND..." >&2
	exit 2
fi
rounds=$1
shift
samples=${SIGLAT_SAMPLES:-200} gap=${SIGLAT_GAP:-2000} new=()
[ -n "${SIGLAT_NEW_SENDER:-}" ] && new=(-n)
for r in $(seq "$rounds"); do
	for spec in "$@"; do
		# siglat prints a line "NS SENDER_CPU CHILD_CPU" per SIGTERM.
		# shellcheck disable=SC2086 # the command is a list of words
		bin/bench/siglat "${new[@]}" "$samples" "$gap" ${spec#*=} bin/bench/sigchild | sed -n "s/^[0-9]/$r ${spec%%=*} &/p"
	done
done | awk -f bench/ab.awk -f bench/siglat-ab.awk
