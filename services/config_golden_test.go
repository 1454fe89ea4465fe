package services

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the .golden files of testdata/errors")

// TestErrorGolden parses each testdata/errors/*.toml, which must fail, and
// compares the message with the .golden file next to it.
func TestErrorGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/errors/*.toml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata/errors/*.toml: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".toml"), func(t *testing.T) {
			_, err := LoadFile(file)
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("LoadFile(%q) = %v, want a *ConfigError", file, err)
			}
			got := ce.Error() + "\n"
			golden := strings.TrimSuffix(file, ".toml") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("read golden file (run with -update to create it): %v", err)
			}
			if got != string(want) {
				t.Errorf("LoadFile(%q) error:\n%s\nwant:\n%s", file, got, want)
			}
			checkSorted(t, ce)
		})
	}
}

// checkSorted checks that every problem has a line and that the problems
// of the configuration file come in line order.
func checkSorted(t *testing.T, ce *ConfigError) {
	t.Helper()
	last := 0
	for _, p := range ce.Problems {
		if p.Line < 1 {
			t.Errorf("problem without a line: %v", p)
		}
		if strings.HasSuffix(p.File, ".toml") {
			if p.Line < last {
				t.Errorf("problem %v comes after line %d", p, last)
			}
			last = p.Line
		}
	}
}
