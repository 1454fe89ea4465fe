#!/bin/bash
# bench/run.sh (make bench): the benchmarks of tinit, each against a
# reference measured in the same run, written into bench/RESULTS.md.
#
#  1. go test -bench in reaper/: spawn+wait against os/exec, orphan
#     reaping as PID 1 against a C waitpid loop (reaper/bench_test.go).
#  2. go test -bench in cmd/tinit/: the supervisor starting and stopping
#     10, 100 and 1000 services against forking and killing as many sleeps.
#  3. bench/initbench: tinit against tini, dumb-init and catatonit as PID 1
#     (orphans/s, SIGTERM latency, start-up, idle wake-ups and memory,
#     size); it writes every section.
#
# Needs root (PID namespaces). Installs tini, dumb-init and catatonit from
# Debian's packages when missing, builds tinit (make build) and the C
# programs of bench/c that initbench runs (handlerinit among them, the
# third reference) and bench/goinit (a minimal Go init, the second) into
# bin/bench. Takes about 9 minutes here at a load below 1; longer when the
# machine is more loaded. Knobs: BENCH_SPAWNS (ops of BenchmarkSpawnWait),
# BENCH_ORPHAN_ROUNDS (ops of BenchmarkOrphansPID1), BENCH_SERVICES_ROUNDS
# (ops of BenchmarkServices), INITBENCH_FLAGS (extra flags of
# bench/initbench, e.g. "-rounds 9 -launches 10" for a quicker run).
set -euo pipefail
cd "$(dirname "$0")/.."

GO=${GO:-go}
export CGO_ENABLED=0
OUT=bin/bench
SPAWNS=${BENCH_SPAWNS:-3000}
ORPHAN_ROUNDS=${BENCH_ORPHAN_ROUNDS:-8}
SERVICES_ROUNDS=${BENCH_SERVICES_ROUNDS:-5}

if [ "$(id -u)" != 0 ]; then
	echo "bench/run.sh: needs root (new PID namespaces)" >&2
	exit 1
fi

# install PACKAGE... installs the Debian packages that are missing.
install() {
	local missing=()
	for p in "$@"; do
		dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
	done
	[ ${#missing[@]} = 0 ] && return
	echo "bench/run.sh: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y "${missing[@]}" >/dev/null ||
		{ apt-get update >/dev/null && apt-get install -y "${missing[@]}" >/dev/null; }
}

install tini dumb-init catatonit gcc libc6-dev binutils

make --no-print-directory build
mkdir -p "$OUT"
for prog in orphans siglat sigchild handlerinit; do
	gcc -static -O2 -Wall -Wextra -o "$OUT/$prog" "bench/c/$prog.c"
done
gcc -static -nostdlib -O2 -Wall -Wextra -o "$OUT/true" bench/c/true.c
"$GO" build -trimpath -ldflags '-s -w' -o "$OUT/goinit" ./bench/goinit

# The reaper benchmarks, from the package directory (they build bench/c
# themselves, from ../bench/c).
"$GO" test -c -o "$OUT/reaper.test" ./reaper/
spawn_cmd="reaper.test -test.run '^\$' -test.bench SpawnWait -test.benchtime ${SPAWNS}x"
orphan_cmd="reaper.test -test.run '^\$' -test.bench OrphansPID1 -test.benchtime ${ORPHAN_ROUNDS}x"
{
	echo "# load $(cut -d' ' -f1 /proc/loadavg) before"
	(cd reaper && "../$OUT/reaper.test" -test.run '^$' -test.bench SpawnWait -test.benchtime "${SPAWNS}x")
	echo "# load $(cut -d' ' -f1 /proc/loadavg) between"
	(cd reaper && "../$OUT/reaper.test" -test.run '^$' -test.bench OrphansPID1 -test.benchtime "${ORPHAN_ROUNDS}x")
	echo "# load $(cut -d' ' -f1 /proc/loadavg) after"
} | tee "$OUT/gobench.txt"

# The supervisor against raw spawn, 10 to 1000 services (cmd/tinit).
"$GO" test -c -o "$OUT/tinit.test" ./cmd/tinit/
services_cmd="tinit.test -test.run '^\$' -test.bench Services -test.benchtime ${SERVICES_ROUNDS}x"
(cd cmd/tinit && "../../$OUT/tinit.test" -test.run '^$' -test.bench Services -test.benchtime "${SERVICES_ROUNDS}x") | tee "$OUT/services.txt"

# shellcheck disable=SC2086 # INITBENCH_FLAGS is a list of flags
"$GO" run ./bench/initbench -tinit bin/tinit -c "$OUT" -results bench/RESULTS.md \
	-tinit-version "$(git describe --tags --always --dirty 2>/dev/null || echo dev)" \
	-gobench "$OUT/gobench.txt" -gobench-cmd "(cd reaper && $spawn_cmd; $orphan_cmd)" \
	-services-bench "$OUT/services.txt" -services-cmd "(cd cmd/tinit && $services_cmd)" \
	${INITBENCH_FLAGS:-}
echo "bench/run.sh: figures written to bench/RESULTS.md"
