#!/bin/bash
# bench/vm-siglat.sh KERNEL ROUNDS NAME=COMMAND...: the A/B of
# bench/siglat-ab.sh run inside a QEMU microVM with two vCPUs, on a kernel
# of the VM test matrix (test/vm/kernels.txt, as `make deps` caches it in
# /var/cache/tinit/kernels/KERNEL/vmlinuz, or TINIT_CACHE). The guest's
# scheduler is then the Debian kernel's, not the host's: where it wakes the
# child decides which mode of the latency a SIGTERM falls in (see
# bench/RESULTS.md). Under TCG every figure is several times the host's;
# compare the ratios. COMMAND is what precedes the child in the guest,
# whose programs are /init (tinit), /bench/tini (tini-static),
# /bench/catatonit and /bench/handlerinit (c-handler), e.g.
#
#   bench/vm-siglat.sh 6.12 30 tini='/bench/tini -s --' tinit='/init --'
#
# SIGLAT_SAMPLES, SIGLAT_GAP and SIGLAT_NEW_SENDER as in bench/siglat-ab.sh.
# VM_SIGLAT_PROGRAMS adds programs to the guest: "DST=SRC ..." (static, or
# with the libraries tinit-image finds). Run bench/run.sh (or make bench)
# first: it builds bin/bench and installs tini and catatonit. Prints the table of bench/siglat-ab.awk, after a line
# with the guest's kernel and vCPUs; the console of the last boot is kept
# in bin/bench/vm-siglat.log.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 3 ]; then
	echo "usage: bench/vm-siglat.sh KERNEL ROUNDS NAME=COMMAND..." >&2
	exit 2
fi
kernel=${TINIT_CACHE:-/var/cache/tinit}/kernels/$1/vmlinuz
rounds=$2
shift 2
samples=${SIGLAT_SAMPLES:-200} gap=${SIGLAT_GAP:-2000} new=
[ -n "${SIGLAT_NEW_SENDER:-}" ] && new="-n "
if [ ! -f "$kernel" ]; then
	echo "bench/vm-siglat.sh: no $kernel (run make deps)" >&2
	exit 1
fi
out=bin/bench/vm-siglat
mkdir -p "$out"
make --no-print-directory build >/dev/null

# The guest's script: every init in turn, ROUNDS times, each SIGTERM's
# line tagged with its round and init as bench/siglat-ab.awk reads them.
{
	echo "read -r release < /proc/sys/kernel/osrelease"
	echo "read -r cpus < /sys/devices/system/cpu/online"
	echo 'echo "VMSIGLAT kernel $release cpus $cpus"'
	echo "r=1"
	echo "while [ \$r -le $rounds ]; do"
	for spec in "$@"; do
		echo "	/bench/siglat $new$samples $gap ${spec#*=} /bench/sigchild | while read -r ns s c; do"
		echo "		case \$ns in [0-9]*) echo \"VMSIGLAT \$r ${spec%%=*} \$ns \$s \$c\" ;; esac"
		echo "	done"
	done
	echo "	r=\$((r + 1))"
	echo "done"
	echo "echo VMSIGLAT-DONE"
} >"$out/run.sh"

bin/tinit-image -o "$out/initrd" --init bin/tinit \
	--program /bin/sh=/bin/sh --file /bench/run.sh="$out/run.sh" \
	--program /bench/siglat=bin/bench/siglat --program /bench/sigchild=bin/bench/sigchild \
	--program /bench/handlerinit=bin/bench/handlerinit \
	--program /bench/tini=/usr/bin/tini-static --program /bench/catatonit=/usr/bin/catatonit \
	$(for p in ${VM_SIGLAT_PROGRAMS:-}; do echo --program "$p"; done)

# As test/vm boots its guests (qemu.go), with two vCPUs: the TSC is the
# host's and keeps true time (tsc=reliable), and its rate is given
# (tsc_early_khz), without which a TCG guest sometimes hangs calibrating it.
# With two vCPUs a TCG guest now and then panics or hangs at boot: up to
# three boots, until one runs the script to its end.
khz=$(awk -F: '/^cpu MHz/ { printf "%d", $2 * 1000; exit }' /proc/cpuinfo)
log=bin/bench/vm-siglat.log
for boot in 1 2 3; do
	timeout 1800 qemu-system-x86_64 -M microvm -accel tcg -m 512M -smp 2 \
		-nodefaults -no-user-config -display none -serial stdio -no-reboot \
		-kernel "$kernel" -initrd "$out/initrd" \
		-append "console=ttyS0 panic=-1 quiet tsc=reliable tsc_early_khz=$khz -- /bin/sh /bench/run.sh" |
		tr -d '\r' >"$log" || true
	grep -q '^VMSIGLAT-DONE' "$log" && break
	echo "bench/vm-siglat.sh: boot $boot did not finish (console: $log)" >&2
	[ "$boot" = 3 ] && exit 1
done
sed -n 's/^VMSIGLAT //p' "$log" | {
	read -r head
	echo "$head"
	awk -f bench/ab.awk -f bench/siglat-ab.awk
}
