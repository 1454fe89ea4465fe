#!/bin/bash
# bench/release-ab.sh ROUNDS N NAME=COMMAND...: the release-mode orphan
# benchmark (bench/c/orphans.c, `release N`) for a few inits at a time,
# interleaved round by round, each as PID 1 of a new PID namespace, as
# initbench runs them; for the A/B comparisons in bench/RESULTS.md. The
# first init is the reference: for each init it prints the paired ratio of
# its rate to the reference's (the geometric mean of the rounds' ratios,
# with a 95% confidence interval), its median time and its median CPU per
# orphan. COMMAND is what precedes the orphan maker, e.g.
#
#   bench/release-ab.sh 60 5000 tini='/usr/bin/tini -s --' tinit='bin/tinit --' go-minimal=bin/bench/goinit
#
# Run bench/run.sh (or make bench) first: it builds bin/bench.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 3 ]; then
	echo "usage: bench/release-ab.sh ROUNDS N NAME=COMMAND..." >&2
	exit 2
fi
rounds=$1 n=$2
shift 2
maker=$PWD/bin/bench/orphans
for r in $(seq "$rounds"); do
	for spec in "$@"; do
		# orphans prints: orphans N ns ELAPSED init_cpu_ns CPU ...
		read -r _ _ _ ns _ cpu _ < <(unshare --pid --fork --mount-proc ${spec#*=} "$maker" release "$n")
		echo "$r ${spec%%=*} $ns $cpu"
	done
done | awk -v n="$n" -f bench/ab.awk -f <(cat <<'AWK'
	{ rate[$2, $1] = 1e9 / $3; ns[$2, $1] = $3; cpu[$2, $1] = $4; if (!($2 in seen)) { seen[$2] = 1; order[++k] = $2 } }
	END {
		ref = order[1]
		printf "%-12s %8s %22s %10s %14s\n", "init", "rounds", "rate x " ref " (95% CI)", "median ms", "CPU us/orphan"
		for (i = 1; i <= k; i++) {
			name = order[i]
			ratio = paired(rate, name, ref)
			m = 0
			delete t; delete c
			for (r = 1; (name, r) in ns; r++)
				if ((ref, r) in ns) { m++; t[m] = ns[name, r]; c[m] = cpu[name, r] }
			printf "%-12s %8d %22s %10.1f %14.2f\n", name, pairedN, ratio, median(t, m) / 1e6, median(c, m) / n / 1e3
		}
	}
AWK
)
