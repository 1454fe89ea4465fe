package services

import (
	"fmt"
	"path/filepath"
	"testing"
)

// TestExamples parses every examples/*.toml: each must be valid.
func TestExamples(t *testing.T) {
	files, err := filepath.Glob("../examples/*.toml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no examples: %v", err)
	}
	for _, f := range files {
		cfg, err := LoadFile(f)
		if err != nil {
			t.Errorf("LoadFile(%q):\n%v", f, err)
			continue
		}
		checkWaves(t, cfg)
	}
}

// TestExampleOrder checks the start order the examples' comments promise.
func TestExampleOrder(t *testing.T) {
	for _, tt := range []struct {
		file string
		want string
	}{
		{"../examples/services.toml", "[[postgres rsyslog] [migrate] [web]]"},
		{"../examples/demo.toml", "[[setup] [web] [client]]"},
	} {
		cfg, err := LoadFile(tt.file)
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(cfg.Graph.Waves()); got != tt.want {
			t.Errorf("%s: waves %s, want %s", tt.file, got, tt.want)
		}
	}
}
