package main

import (
	"math"
	"slices"
)

// quantile returns the q-quantile (0 ≤ q ≤ 1) of xs, interpolating
// between the two nearest ranks; NaN for no samples.
func quantile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	pos := q * float64(len(s)-1)
	lo := int(math.Floor(pos))
	hi := int(math.Ceil(pos))
	return s[lo] + (s[hi]-s[lo])*(pos-float64(lo))
}

func median(xs []float64) float64 { return quantile(xs, 0.5) }

// mean is the arithmetic mean of xs; NaN for none.
func mean(xs []float64) float64 {
	var sum float64
	for _, x := range xs {
		sum += x
	}
	return sum / float64(len(xs))
}

// medianOf is the median of f over xs.
func medianOf[T any](xs []T, f func(T) float64) float64 { return median(valuesOf(xs, f)) }

// pairedRatio compares measurements taken in pairs (xs[i] and refs[i] in
// the same round, so both saw the same load): the geometric mean of the
// ratios xs[i]/refs[i], and its 95% confidence interval from Student's t
// on the log ratios. The bounds are NaN for fewer than two pairs.
func pairedRatio(xs, refs []float64) (geo, lo, hi float64) {
	n := min(len(xs), len(refs))
	logs := make([]float64, n)
	var sum float64
	for i := range n {
		logs[i] = math.Log(xs[i] / refs[i])
		sum += logs[i]
	}
	mean := sum / float64(n)
	if n < 2 {
		return math.Exp(mean), math.NaN(), math.NaN()
	}
	var ss float64
	for _, l := range logs {
		ss += (l - mean) * (l - mean)
	}
	half := studentT975(n-1) * math.Sqrt(ss/float64(n-1)/float64(n))
	return math.Exp(mean), math.Exp(mean - half), math.Exp(mean + half)
}

// bothKnown keeps the pairs (xs[i], refs[i]) in which neither is NaN.
func bothKnown(xs, refs []float64) (x, ref []float64) {
	for i := range min(len(xs), len(refs)) {
		if !math.IsNaN(xs[i]) && !math.IsNaN(refs[i]) {
			x, ref = append(x, xs[i]), append(ref, refs[i])
		}
	}
	return x, ref
}

// knownOnly is xs without its NaNs (the launches with no sample in a mode).
func knownOnly(xs []float64) []float64 {
	var known []float64
	for _, x := range xs {
		if !math.IsNaN(x) {
			known = append(known, x)
		}
	}
	return known
}

// studentT975 is the 0.975 quantile of Student's t with df degrees of
// freedom: from the table up to 30, the Cornish–Fisher expansion about
// the normal quantile above (within 0.1% there).
func studentT975(df int) float64 {
	table := [...]float64{12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
		2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
		2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042}
	if df >= 1 && df <= len(table) {
		return table[df-1]
	}
	const z = 1.959964
	d := float64(df)
	return z + (z*z*z+z)/(4*d) + (5*z*z*z*z*z+16*z*z*z+3*z)/(96*d*d)
}
