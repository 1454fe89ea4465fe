#!/usr/bin/env bash
# deps.sh installs what the VM tests need and fetches the kernel matrix.
# Idempotent: a second run installs and downloads nothing.
#
#   apt packages   qemu-system-x86 (qemu-system-x86_64), qemu-system-arm
#                  (qemu-system-aarch64), systemd (systemd-notify)
#   kernels        one Debian cloud kernel per line of test/vm/kernels.txt, into
#                  ${TINIT_CACHE:-/var/cache/tinit}/kernels/<label>/{vmlinuz,VERSION};
#                  a label "arm64/<series>" is an arm64 kernel
#   arm64 guest    Debian's busybox-static for arm64 (the guest's sh, cat ...),
#                  into ${TINIT_CACHE:-/var/cache/tinit}/arm64/busybox
#
# Kernels come from deb.debian.org through a private apt configuration per
# suite (under $TINIT_CACHE/apt/<suite>); the machine's own sources are not
# touched. apt checks the suite's Release signature against the Debian archive
# keyring and each file's hash: no option here weakens that.
#
# Overrides: TINIT_QEMU=/path/to/qemu-system-x86_64 (then qemu is not
# installed); TINIT_KERNELS=label=/path/vmlinuz,... or TINIT_KERNELS=/dir
# (holding <label>/vmlinuz) replaces the matrix: nothing is fetched, the files
# are only checked. To fetch the newest kernels again, delete
# $TINIT_CACHE/kernels/<label>.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${TINIT_CACHE:-/var/cache/tinit}
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

say() { echo "deps: $*" >&2; }
die() { echo "deps: error: $*" >&2; exit 1; }

install_packages() {
	local want=()
	[[ -n ${TINIT_QEMU:-} ]] || command -v qemu-system-x86_64 >/dev/null || want+=(qemu-system-x86)
	command -v qemu-system-aarch64 >/dev/null || want+=(qemu-system-arm)
	command -v systemd-notify >/dev/null || want+=(systemd)
	[[ -f $keyring ]] || want+=(debian-archive-keyring)
	command -v dpkg-deb >/dev/null || want+=(dpkg)
	if ((${#want[@]} == 0)); then
		say "apt packages: all present"
		return
	fi
	say "apt-get install ${want[*]}"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
}

check_qemu() {
	local q=${TINIT_QEMU:-qemu-system-x86_64}
	command -v "$q" >/dev/null || die "qemu binary $q not found"
	say "qemu: $("$q" --version | head -1)"
}

# aptp SUITE ARGS... runs apt-get or apt-cache (first ARG) with the private
# configuration of SUITE, for the architecture $arch (amd64 unless set).
aptp() {
	local suite=$1 tool=$2
	shift 2
	local d=$cache/apt/$suite-${arch:-amd64}
	"$tool" -o Dir::Etc::SourceList="$d/sources.list" -o Dir::Etc::SourceParts=/dev/null \
		-o Dir::State::Lists="$d/lists" -o Dir::Cache="$d/cache" \
		-o APT::Architecture="${arch:-amd64}" -o APT::Architectures="${arch:-amd64}" \
		-o Acquire::Languages=none -o Acquire::IndexTargets::deb::DEP-11::DefaultEnabled=false \
		"$@"
}

update_suite() {
	local suite=$1 d=$cache/apt/$1-${arch:-amd64}
	mkdir -p "$d/lists/partial" "$d/cache/archives/partial"
	echo "deb [signed-by=$keyring] http://deb.debian.org/debian $suite main" >"$d/sources.list"
	say "apt-get update ($suite)"
	aptp "$suite" apt-get update -qq >/dev/null
}

# depends SUITE PACKAGE PREFIX prints the first dependency of PACKAGE whose
# name starts with PREFIX.
depends() {
	aptp "$1" apt-cache depends "$2" 2>/dev/null |
		awk -v p="$3" '!found && $1 == "Depends:" && index($2, p) == 1 { print $2; found = 1 }'
}

# resolve SUITE prints the package that holds the vmlinuz of the suite's
# newest cloud kernel, following linux-image-cloud-$arch -> linux-image-<rel>
# -> linux-binary-<rel> (7.x splits the image out; older kernels do not).
resolve() {
	local img bin
	img=$(depends "$1" "linux-image-cloud-${arch:-amd64}" linux-image-)
	[[ -n $img ]] || return 1
	bin=$(depends "$1" "$img" linux-binary-)
	echo "${bin:-$img}"
}

# series_ok LABEL RELEASE says whether RELEASE belongs to the series LABEL
# (its architecture prefix aside).
series_ok() {
	local label=${1#*/} rel=$2
	if [[ $label == 7.x ]]; then
		local major=${rel%%.*} rest=${rel#*.}
		local minor=${rest%%[!0-9]*}
		((major > 7 || (major == 7 && minor >= 1)))
	else
		[[ $rel == "$label".* ]]
	fi
}

fetch_kernel() {
	local label=$1
	shift
	local dir=$cache/kernels/$label
	if [[ -s $dir/vmlinuz && -s $dir/VERSION ]]; then
		say "kernel $label: cached, $(head -1 "$dir/VERSION")"
		return
	fi
	local suite pkg rel ok=""
	for suite in "$@"; do
		update_suite "$suite"
		pkg=$(resolve "$suite") || pkg=""
		rel=${pkg#linux-binary-}
		rel=${rel#linux-image-}
		if [[ -z $pkg ]]; then
			say "kernel $label: no linux-image-cloud-${arch:-amd64} in $suite"
		elif series_ok "$label" "$rel"; then
			install_kernel "$label" "$suite" "$pkg" "$rel"
			ok=1
		else
			say "kernel $label: $suite has $rel, not of series $label"
		fi
		rm -rf "${cache:?}/apt/$suite-${arch:-amd64}" # the lists are not needed again
		[[ -z $ok ]] || return 0
	done
	die "kernel $label: no kernel of series $label in suites $* (7.x must be >= 7.1)"
}

install_kernel() {
	local label=$1 suite=$2 pkg=$3 rel=$4 dir=$cache/kernels/$1
	local tmp
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"; trap - RETURN' RETURN
	chown _apt "$tmp" 2>/dev/null || true # apt downloads as _apt when it may
	say "kernel $label: apt-get download $pkg ($suite)"
	(cd "$tmp" && aptp "$suite" apt-get download -qq "$pkg" >/dev/null)
	dpkg-deb -x "$tmp"/*.deb "$tmp/root"
	local found
	found=$(find "$tmp/root" -type f \( -name vmlinuz -o -name "vmlinuz-*" \))
	[[ $(wc -l <<<"$found") == 1 && -n $found ]] || die "kernel $label: want one vmlinuz in $pkg, found: ${found:-none}"
	mkdir -p "$dir"
	cp "$found" "$dir/vmlinuz.new"
	local ver
	ver=$(aptp "$suite" apt-cache show "$pkg" | awk '!found && $1 == "Version:" { print $2; found = 1 }')
	printf '%s\n%s %s %s\n' "$rel" "$pkg" "$ver" "$suite" >"$dir/VERSION"
	mv "$dir/vmlinuz.new" "$dir/vmlinuz"
	say "kernel $label: $rel in $dir"
}

check_overrides() {
	local spec=$TINIT_KERNELS
	if [[ -d $spec ]]; then
		compgen -G "$spec/*/vmlinuz" >/dev/null || die "TINIT_KERNELS=$spec: no <label>/vmlinuz in it"
		say "kernels: from $spec"
		return
	fi
	local item
	IFS=, read -ra items <<<"$spec"
	for item in "${items[@]}"; do
		[[ $item == ?*=?* ]] || die "TINIT_KERNELS: $item: want label=/path/vmlinuz"
		[[ -f ${item#*=} ]] || die "TINIT_KERNELS: ${item#*=}: no such file"
	done
	say "kernels: ${items[*]}"
}

main() {
	install_packages
	check_qemu
	if [[ -n ${TINIT_KERNELS:-} ]]; then
		check_overrides
		return
	fi
	local label suites arch
	while read -r label suites <&3; do
		[[ -z $label || $label == \#* ]] && continue
		arch=amd64
		[[ $label != */* ]] || arch=${label%%/*}
		# shellcheck disable=SC2086 # suites is a list
		fetch_kernel "$label" $suites
		[[ $arch == amd64 ]] || fetch_busybox "${suites%% *}"
	done 3<"$here/kernels.txt"
}

# fetch_busybox SUITE puts Debian's static busybox for $arch at
# $cache/$arch/busybox: the programs of a guest that cannot run the host's.
fetch_busybox() {
	local suite=$1 dir=$cache/$arch
	if [[ -s $dir/busybox ]]; then
		say "busybox $arch: cached"
		return
	fi
	local tmp
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"; trap - RETURN' RETURN
	chown _apt "$tmp" 2>/dev/null || true
	update_suite "$suite"
	say "busybox $arch: apt-get download busybox-static ($suite)"
	(cd "$tmp" && aptp "$suite" apt-get download -qq busybox-static >/dev/null)
	dpkg-deb -x "$tmp"/*.deb "$tmp/root"
	mkdir -p "$dir"
	cp "$tmp/root/usr/bin/busybox" "$dir/busybox.new"
	mv "$dir/busybox.new" "$dir/busybox"
	rm -rf "${cache:?}/apt/$suite-$arch"
	say "busybox $arch: in $dir"
}

main
