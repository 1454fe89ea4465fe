// Command initbench measures tinit against tini, dumb-init and catatonit,
// each as PID 1 of a new PID namespace, interleaved in one run: orphans
// reaped per second, the latency from a SIGTERM sent to the init to its
// child seeing it (from a new process, as `docker stop` sends it: 200 in a
// row, and one to an init idle for 200 ms; from the benchmark's own
// process: the same two, and 50 in a row beside CPU hogs), start-up
// (`INIT -- true`), idle memory and wake-ups, and binary size. It writes
// its section of bench/RESULTS.md (and, from `go test -bench` output, the
// section of the reaper benchmarks), leaving every other section as it is.
//
// bench/run.sh (`make bench`) builds what it needs and runs it. The timing
// itself is done by the small C programs in bench/c, so that the Go
// runtime of this command is never inside a measured interval; only the
// start-up is timed around os/exec's fork and wait, the same for every
// init, and a row without an init shows that share.
//
// It is a benchmark tool, not part of tinit: it uses os/exec, and it never
// changes what it measures.
package main
