package vm

import (
	"slices"
	"testing"
)

func TestMissingLines(t *testing.T) {
	lines := []string{"[ 0.1] Linux version", "main  | setup done", "reboot: Power down"}
	tests := []struct {
		want    []string
		missing []string
	}{
		{[]string{`^main +\| setup done$`, powerDown}, nil},
		{[]string{powerDown, `^main +\| setup done$`}, []string{`^main +\| setup done$`}},
		{[]string{"Kernel panic"}, []string{"Kernel panic"}},
		{nil, nil},
	}
	for _, tt := range tests {
		got, err := missingLines(lines, tt.want)
		if err != nil || !slices.Equal(got, tt.missing) {
			t.Errorf("missingLines(%q): got %q, %v; want %q", tt.want, got, err, tt.missing)
		}
	}
}

// TestScenarioPatterns: every pattern of every scenario compiles.
func TestScenarioPatterns(t *testing.T) {
	for _, sc := range scenarios {
		if _, err := missingLines(nil, sc.Want); err != nil {
			t.Errorf("scenario %s: %v", sc.Name, err)
		}
	}
}
