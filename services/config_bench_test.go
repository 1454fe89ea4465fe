package services

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/tinit/tinit/internal/toml"
)

// generatedConfig writes a configuration of n services, each with a dozen
// keys, a health check and up to three dependencies; typo adds an unknown
// key to every service.
func generatedConfig(n int, typo bool) []byte {
	var b strings.Builder
	b.WriteString("[tinit]\nshutdown_timeout = \"30s\"\nlog_format = \"json\"\n\n")
	for i, s := range generatedServices(n) {
		fmt.Fprintf(&b, "[service.%s]\n", s.Name)
		fmt.Fprintf(&b, "command = [\"/usr/bin/worker\", \"--id\", \"%d\", \"--listen\", \"127.0.0.1:%d\"]\n", i, 10000+i)
		fmt.Fprintf(&b, "env = { WORKER_ID = \"%d\", LOG_LEVEL = \"info\" }\n", i)
		for _, dep := range []struct {
			key   string
			names []string
		}{{"after", s.After}, {"requires", s.Requires}, {"wants", s.Wants}} {
			if len(dep.names) > 0 {
				fmt.Fprintf(&b, "%s = [%q]\n", dep.key, dep.names[0])
			}
		}
		fmt.Fprintf(&b, "ready_tcp = \"127.0.0.1:%d\"\nrestart = \"always\"\nrestart_delay = \"1s\"\n", 10000+i)
		b.WriteString("stop_signal = \"SIGINT\"\nmemory_max = \"256M\"\ncpu_max = \"50%\"\nrlimits = { nofile = \"1024:4096\" }\n")
		if typo {
			b.WriteString("comand = [\"/bin/true\"]\n")
		}
		fmt.Fprintf(&b, "[service.%s.health]\nhttp = \"http://127.0.0.1:%d/health\"\ninterval = \"5s\"\n\n", s.Name, 10000+i)
	}
	return []byte(b.String())
}

func TestGeneratedConfig(t *testing.T) {
	cfg, err := parse("gen.toml", generatedConfig(1000, false), noFiles)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Services) != 1000 {
		t.Fatalf("%d services, want 1000", len(cfg.Services))
	}
	checkWaves(t, cfg)
	_, err = parse("gen.toml", generatedConfig(1000, true), noFiles)
	var ce *ConfigError
	if !errors.As(err, &ce) || len(ce.Problems) != 1000 {
		t.Fatalf("with typos: %v, want 1000 problems", err)
	}
	checkSorted(t, ce)
}

// BenchmarkParse1000 parses and validates a configuration of 1000 services.
func BenchmarkParse1000(b *testing.B) {
	data := generatedConfig(1000, false)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := parse("gen.toml", data, noFiles); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecode1000 is the reference for BenchmarkParse1000: the TOML
// decoder alone on the same file.
func BenchmarkDecode1000(b *testing.B) {
	data := generatedConfig(1000, false)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := toml.Parse(data, toml.Limits{KeyParts: maxKeyParts, Nesting: maxNesting}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParse1000Problems is the same with one problem per service, so
// that the lines of 1000 keys are looked up.
func BenchmarkParse1000Problems(b *testing.B) {
	data := generatedConfig(1000, true)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := parse("gen.toml", data, noFiles); err == nil {
			b.Fatal("no problems")
		}
	}
}
