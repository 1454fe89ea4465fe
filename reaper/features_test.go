package reaper

import (
	"strings"
	"testing"
)

func TestProbeHostKernel(t *testing.T) {
	fs := Probe()
	t.Logf("probe: %v", &fs)
	s := fs.String()
	if !strings.Contains(s, "tier "+fs.Tier().String()) {
		t.Errorf("String() %q does not name the tier", s)
	}
	for i := 0; i < numFeatures; i++ {
		f := Feature(1 << i)
		if !fs.Has(f) && fs.Why(f) == "" {
			t.Errorf("%v missing without a reason", f)
		}
		if !fs.Has(f) && !strings.Contains(s, "no "+f.String()+" (") {
			t.Errorf("String() %q does not say why %v is missing", s, f)
		}
	}
}

func TestParseFeature(t *testing.T) {
	for i := 0; i < numFeatures; i++ {
		f := Feature(1 << i)
		got, err := ParseFeature(f.String())
		if err != nil || got != f {
			t.Errorf("ParseFeature(%q) = %v, %v; want %v", f.String(), got, err, f)
		}
	}
	if _, err := ParseFeature("autoreaper"); err == nil || !strings.Contains(err.Error(), "autoreap") {
		t.Errorf("ParseFeature(autoreaper) error %v does not list the known names", err)
	}
}

// TestDisableClone3 disables what only clone3 offers with it: clone(2),
// the fallback, would drop those flags without a word.
func TestDisableClone3(t *testing.T) {
	fs := Features{have: 1<<numFeatures - 1}
	fs.disable(Clone3 | CloseRange)
	for _, f := range append(clone3Flags, Clone3, CloseRange) {
		if fs.Has(f) {
			t.Errorf("%v still there", f)
		}
	}
	if !fs.Has(PidfdGroupSignal) || !fs.Has(PidfdExitInfo) {
		t.Errorf("features that are no clone3 flags were disabled: %v", fs.String())
	}
	if why := fs.Why(NNP); why != "disabled with clone3" {
		t.Errorf("Why(NNP) = %q", why)
	}
	if why := fs.Why(Clone3); why != "disabled" {
		t.Errorf("Why(Clone3) = %q", why)
	}
}
