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
done | awk -v n="$n" '
	{ ns[$2, $1] = $3; cpu[$2, $1] = $4; if (!($2 in seen)) { seen[$2] = 1; order[++k] = $2 } }
	function median(a, m,   i, j, t) {
		for (i = 2; i <= m; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
		return m % 2 ? a[(m+1)/2] : (a[m/2] + a[m/2+1]) / 2
	}
	END {
		ref = order[1]
		printf "%-12s %8s %22s %10s %14s\n", "init", "rounds", "rate x " ref " (95% CI)", "median ms", "CPU us/orphan"
		for (i = 1; i <= k; i++) {
			name = order[i]; m = 0; s = 0; s2 = 0
			delete t; delete c
			for (key in ns) {
				split(key, p, SUBSEP)
				if (p[1] != name || !((ref, p[2]) in ns)) continue
				x = log(ns[ref, p[2]] / ns[name, p[2]])
				m++; s += x; s2 += x * x; t[m] = ns[name, p[2]]; c[m] = cpu[name, p[2]]
			}
			mean = s / m; sd = m > 1 ? sqrt((s2 - m * mean * mean) / (m - 1)) : 0; h = 1.96 * sd / sqrt(m)
			printf "%-12s %8d %9.3f (%.3f-%.3f) %10.1f %14.2f\n", name, m, exp(mean), exp(mean - h), exp(mean + h), median(t, m) / 1e6, median(c, m) / n / 1e3
		}
	}'
