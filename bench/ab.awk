# bench/ab.awk: what the A/B scripts of bench/ share (awk -f bench/ab.awk
# -f ...). Each takes samples keyed by init and round.

# median sorts a[1..m] and returns its median.
function median(a, m,   i, j, t) {
	for (i = 2; i <= m; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
	return m % 2 ? a[(m+1)/2] : (a[m/2] + a[m/2+1]) / 2
}

# paired compares v[name, round] with v[ref, round] over the rounds both
# have (a value "" is missing): the geometric mean of the ratios with its
# 95% confidence interval, as "R (LO-HI)"; it leaves the rounds compared
# in pairedN and name's values in pairedV[1..pairedN].
function paired(v, name, ref,   key, p, x, s, s2, mean, sd, h) {
	pairedN = 0; s = 0; s2 = 0
	delete pairedV
	for (key in v) {
		split(key, p, SUBSEP)
		if (p[1] != name || v[key] == "" || !((ref, p[2]) in v) || v[ref, p[2]] == "") continue
		x = log(v[key] / v[ref, p[2]])
		pairedN++; s += x; s2 += x * x; pairedV[pairedN] = v[key]
	}
	if (pairedN == 0) return "-"
	mean = s / pairedN; sd = pairedN > 1 ? sqrt((s2 - pairedN * mean * mean) / (pairedN - 1)) : 0; h = 1.96 * sd / sqrt(pairedN)
	return sprintf("%.3f (%.3f-%.3f)", exp(mean), exp(mean - h), exp(mean + h))
}
