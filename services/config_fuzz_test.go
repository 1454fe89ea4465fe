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

// trickyTOML holds documents whose keys are hard to place: '['
// and '=' inside strings and comments, multi-line strings and values,
// quoted keys, dotted keys, arrays of tables.
var trickyTOML = []string{
	"a = 1\nb = 2\n",
	"[t]\nx = \"=[\"\n[[arr]]\ny = 1\n[[arr]]\ny = 2\n",
	"s = \"\"\"\n[not.a.table]\nk = v\n\"\"\"\nafter = 1\n",
	"s = '''\n[x]\n= '''\nt = 2\n",
	"m = \"\"\"a\\\n  b\"\"\"\"\"\nn = 1\n",
	"q = \"say \\\"hi\\\" = [\"\n[\"we]ird\".'k=v']\nz = 1\n",
	"arr = [\n  [1, 2],\n  # comment = [\n  { a = 1, b = { c = 2 } },\n]\n[next]\nk = 1\n",
	"inline = { a = 1,\n  b = 2, # comment\n  c = [3,\n 4] }\nx = 5\n",
	"a.b.c = 1\na.d = 2\n[e.f.g]\nh = 3\n",
	"# [commented]\n  [  spaced . table  ]  # c\n  key   =   \"v\"\n",
	"\"quoted key\" = 1\n'lit=key' = 2\n\"\" = 3\n",
	"date = 1979-05-27T07:32:00Z\nlocal = 07:32:00\nf = 1e10\nhex = 0xdead_beef\n",
	"[a]\n[a.b]\n[[a.c]]\nd = \"\"\"\"\"\"\n[[a.c]]\ne = ''''''\n",
	"s = \"\"\"one\ntwo\nthree\"\"\"\nt = '''x\ny'''\n[u]\nv = 1\n",
	"crlf = 1\r\n[t]\r\nx = \"a\"\r\n",
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
