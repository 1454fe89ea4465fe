# bench/siglat-ab.awk: the table of bench/siglat-ab.sh and bench/vm-siglat.sh
# (awk -f bench/ab.awk -f bench/siglat-ab.awk). Input: one line per SIGTERM,
# "ROUND NAME NS SENDER_CPU CHILD_CPU", the launches of one init in one round
# together. The first NAME is the reference: for each init it prints the
# paired ratios of its launch medians to the reference's over all samples
# and within each mode of the latency (the child woken on the CPU that sent
# the signal, or on another), each with its median in µs, and the mean share
# of the first mode.

# launch ends the launch of init name in round r: its medians and share.
function launch(   k) {
	if (!n) return
	all[name, r] = median(lat, n)
	same[name, r] = s ? median(sm, s) : ""
	other[name, r] = o ? median(ot, o) : ""
	share[name, r] = s / n
	if (!(name in seen)) { seen[name] = 1; order[++inits] = name }
	n = 0; s = 0; o = 0
	delete lat; delete sm; delete ot
}

($1 != r || $2 != name) { launch(); r = $1; name = $2 }
{ lat[++n] = $3; if ($4 == $5) sm[++s] = $3; else ot[++o] = $3 }

# cell is the paired ratio of v to the reference, then the median µs.
function cell(v, who,   ratio) {
	ratio = paired(v, who, order[1])
	return sprintf("%6.1f %s", median(pairedV, pairedN) / 1e3, ratio)
}

END {
	launch()
	printf "%-12s %6s %28s %28s %28s %6s\n", "init", "rounds", "all: µs, x " order[1], "same CPU", "other CPU", "share"
	for (i = 1; i <= inits; i++) {
		who = order[i]; m = 0; sh = 0
		for (key in share) { split(key, p, SUBSEP); if (p[1] == who) { m++; sh += share[key] } }
		printf "%-12s %6d %28s %28s %28s %6.3f\n", who, m, cell(all, who), cell(same, who), cell(other, who), sh / m
	}
}
