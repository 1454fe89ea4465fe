package main

import (
	"math"
	"slices"
	"testing"
)

func TestQuantile(t *testing.T) {
	tests := []struct {
		xs   []float64
		q    float64
		want float64
	}{
		{[]float64{3, 1, 2}, 0.5, 2},
		{[]float64{4, 1, 3, 2}, 0.5, 2.5},
		{[]float64{5}, 0.9, 5},
		{[]float64{10, 0}, 0.9, 9},
		{[]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 0.9, 10},
		{[]float64{2, 1}, 0, 1},
		{[]float64{2, 1}, 1, 2},
	}
	for _, tt := range tests {
		if got := quantile(tt.xs, tt.q); got != tt.want {
			t.Errorf("quantile(%v, %v): got %v, want %v", tt.xs, tt.q, got, tt.want)
		}
	}
	if got := quantile(nil, 0.5); !math.IsNaN(got) {
		t.Errorf("quantile(nil): got %v, want NaN", got)
	}
}

func TestQuantileKeepsInput(t *testing.T) {
	xs := []float64{3, 1, 2}
	median(xs)
	if xs[0] != 3 || xs[1] != 1 || xs[2] != 2 {
		t.Errorf("input changed: got %v, want [3 1 2]", xs)
	}
}

func TestStudentT975(t *testing.T) {
	// From the t table.
	for df, want := range map[int]float64{1: 12.706, 2: 4.303, 3: 3.182, 5: 2.571, 10: 2.228, 29: 2.045, 31: 2.040, 40: 2.021, 60: 2.000, 100: 1.984} {
		if got := studentT975(df); math.Abs(got-want)/want > 0.001 {
			t.Errorf("studentT975(%d): got %.4f, want %.3f", df, got, want)
		}
	}
}

func TestPairedRatio(t *testing.T) {
	// Ratios 2 and 0.5: geometric mean 1; log ratios ±ln 2, their
	// standard error ln 2, times t(1) = 12.706.
	geo, lo, hi := pairedRatio([]float64{2, 1}, []float64{1, 2})
	half := 12.706 * math.Ln2
	if math.Abs(geo-1) > 1e-12 || math.Abs(lo-math.Exp(-half)) > 1e-9 || math.Abs(hi-math.Exp(half)) > 1e-9 {
		t.Errorf("pairedRatio: got %v (%v–%v), want 1 (%v–%v)", geo, lo, hi, math.Exp(-half), math.Exp(half))
	}
	// The same ratio in every pair: no spread.
	geo, lo, hi = pairedRatio([]float64{3, 6, 9}, []float64{2, 4, 6})
	if math.Abs(geo-1.5) > 1e-12 || math.Abs(lo-1.5) > 1e-12 || math.Abs(hi-1.5) > 1e-12 {
		t.Errorf("pairedRatio of equal ratios: got %v (%v–%v), want 1.5 (1.5–1.5)", geo, lo, hi)
	}
	// Pairs, not pooled samples: a shift that both sides of each pair
	// share does not widen the interval.
	geo, lo, hi = pairedRatio([]float64{11, 110, 1100}, []float64{10, 100, 1000})
	if math.Abs(geo-1.1) > 1e-9 || hi-lo > 1e-9 {
		t.Errorf("pairedRatio across scales: got %v (%v–%v), want 1.1 with no spread", geo, lo, hi)
	}
	if _, lo, hi := pairedRatio([]float64{1}, []float64{2}); !math.IsNaN(lo) || !math.IsNaN(hi) {
		t.Errorf("pairedRatio of one pair: bounds %v–%v, want NaN", lo, hi)
	}
}

func TestBothKnown(t *testing.T) {
	nan := math.NaN()
	x, ref := bothKnown([]float64{1, nan, 3, 4, 5}, []float64{10, 20, nan, 40})
	if !slices.Equal(x, []float64{1, 4}) || !slices.Equal(ref, []float64{10, 40}) {
		t.Errorf("bothKnown: got %v, %v; want [1 4], [10 40]", x, ref)
	}
}
