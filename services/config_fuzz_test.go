package services

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fuzzEnvFiles stands in for the file system: "a.env" exists, nothing else.
func fuzzEnvFiles(path string) ([]byte, error) {
	if filepath.Base(path) == "a.env" {
		return []byte("A=1\nexport B='two'\n# c\nC=\"x\\ty\"\n"), nil
	}
	return nil, os.ErrNotExist
}

// FuzzParse checks that Parse never panics, that a failure lists problems
// with lines within the file, in order, and that a success gives a graph
// whose waves hold each service once and respect every dependency.
func FuzzParse(f *testing.F) {
	for _, pattern := range []string{"testdata/errors/*.toml", "testdata/valid/*.toml", "../examples/*.toml"} {
		files, _ := filepath.Glob(pattern)
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	for _, s := range trickyTOML {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := parse("fuzz.toml", data, fuzzEnvFiles)
		if err != nil {
			checkProblems(t, data, err)
			return
		}
		checkWaves(t, cfg)
	})
}

func checkProblems(t *testing.T, data []byte, err error) {
	t.Helper()
	var ce *ConfigError
	if !errors.As(err, &ce) || len(ce.Problems) == 0 {
		t.Fatalf("parse error %v is not a *ConfigError with problems", err)
	}
	lines := bytes.Count(data, []byte("\n")) + 1
	last := 0
	for _, p := range ce.Problems {
		if p.File == "fuzz.toml" {
			if p.Line < 1 || p.Line > lines || p.Line < last {
				t.Errorf("problem %q: line %d out of order or outside 1..%d (previous %d)", p, p.Line, lines, last)
			}
			last = p.Line
		}
		if p.Msg == "" || strings.Contains(p.String(), "\n") {
			t.Errorf("problem %q: empty or multi-line message", p)
		}
	}
}

// checkWaves checks that the waves hold every service once, and that each
// service starts in a later wave than everything it starts after.
func checkWaves(t *testing.T, cfg *Config) {
	t.Helper()
	g := cfg.Graph
	wave := map[string]int{}
	for i, w := range g.Waves() {
		for _, name := range w {
			if _, dup := wave[name]; dup {
				t.Fatalf("service %q is in two waves", name)
			}
			wave[name] = i
		}
	}
	if len(wave) != len(cfg.Services) {
		t.Fatalf("waves hold %d services, want %d", len(wave), len(cfg.Services))
	}
	for _, s := range cfg.Services {
		deps := append(append(append([]string(nil), s.After...), s.Requires...), s.Wants...)
		for _, d := range deps {
			if wave[d] >= wave[s.Name] {
				t.Errorf("service %q (wave %d) starts after %q (wave %d)", s.Name, wave[s.Name], d, wave[d])
			}
		}
		if got := g.Wave(s.Name); got != wave[s.Name] {
			t.Errorf("Wave(%q) = %d, want %d", s.Name, got, wave[s.Name])
		}
	}
}
