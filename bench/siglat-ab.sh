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
# mean share of the first mode. COMMAND is what precedes the child, e.g.
#
#   bench/siglat-ab.sh 40 tini='/usr/bin/tini -s --' tinit='bin/tinit --' c-handler=bin/bench/handlerinit
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
for r in $(seq "$rounds"); do
	for spec in "$@"; do
		# siglat prints a line "NS SENDER_CPU CHILD_CPU" per SIGTERM.
		# shellcheck disable=SC2086 # the command is a list of words
		bin/bench/siglat 200 2000 ${spec#*=} bin/bench/sigchild |
			awk -v r="$r" -v name="${spec%%=*}" -f bench/ab.awk -f <(cat <<'AWK'
	/^#/ { next }
	{ all[++n] = $1; if ($2 == $3) same[++s] = $1; else other[++o] = $1 }
	END { printf "%d %s %.0f %s %s %.4f\n", r, name, median(all, n), s ? median(same, s) : "", o ? median(other, o) : "", s / n }
AWK
)
	done
done | awk -f bench/ab.awk -f <(cat <<'AWK'
	{
		all[$2, $1] = $3; same[$2, $1] = $4; other[$2, $1] = $5; share[$2, $1] = $6
		if (!($2 in seen)) { seen[$2] = 1; order[++k] = $2 }
	}
	# cell is the paired ratio of v to the reference, then the median µs.
	function cell(v, name,   ratio) {
		ratio = paired(v, name, order[1])
		return sprintf("%6.1f %s", median(pairedV, pairedN) / 1e3, ratio)
	}
	END {
		printf "%-12s %6s %28s %28s %28s %6s\n", "init", "rounds", "all: µs, x " order[1], "same CPU", "other CPU", "share"
		for (i = 1; i <= k; i++) {
			name = order[i]; m = 0; sh = 0
			for (key in share) { split(key, p, SUBSEP); if (p[1] == name) { m++; sh += share[key] } }
			printf "%-12s %6d %28s %28s %28s %6.3f\n", name, m, cell(all, name), cell(same, name), cell(other, name), sh / m
		}
	}
AWK
)
