package toml

import (
	"fmt"
	"strings"
	"testing"

	bstoml "github.com/BurntSushi/toml"
)

// serviceConfig writes a tinit configuration of n services, each with the
// keys, comments, arrays, inline tables, multi-line strings and health
// sub-table that real configurations have.
func serviceConfig(n int) []byte {
	var b strings.Builder
	b.WriteString("# Generated for BenchmarkParse.\n[tinit]\nshutdown_timeout = \"45s\"\nexit_code = \"main\"\nlog_format = \"json\"\n\n")
	for i := range n {
		fmt.Fprintf(&b, "# Worker %d: serves its shard and reports health.\n[service.worker-%d]\n", i, i)
		fmt.Fprintf(&b, "command = [\"/usr/bin/worker\",\n           \"--id\", \"%d\",\n           \"--listen\", \"127.0.0.1:%d\"]\n", i, 10000+i)
		fmt.Fprintf(&b, "env = { WORKER_ID = \"%d\", LOG_LEVEL = \"info\" }\n", i)
		if i > 0 {
			fmt.Fprintf(&b, "requires = [\"worker-%d\"]\nafter = [\"worker-%d\", \"setup\"]\n", i-1, i/2)
		}
		fmt.Fprintf(&b, "ready_tcp = \"127.0.0.1:%d\"   # accepts connections when ready\n", 10000+i)
		b.WriteString("restart = \"on-failure\"\nrestart_delay = \"1s\"\nstop_signal = \"SIGINT\"\nstop_timeout = \"10s\"\n")
		b.WriteString("memory_max = \"256M\"\ncpu_max = \"50%\"\nrlimits = { nofile = \"1024:4096\" }\nuser = 'worker'\n")
		if i%5 == 0 {
			b.WriteString("pre_start = [\"sh\", \"-c\", \"\"\"\nset -e\nmkdir -p /var/lib/worker\nchown worker /var/lib/worker\n\"\"\"]\n")
		}
		fmt.Fprintf(&b, "\n[service.worker-%d.health]\nhttp = \"http://127.0.0.1:%d/health\"\ninterval = \"5s\"\nretries = 3\n\n", i, 10000+i)
	}
	return []byte(b.String())
}

// BenchmarkParse decodes a 50-service configuration with Parse and, as
// the reference in the same run, with BurntSushi/toml into a map.
func BenchmarkParse(b *testing.B) {
	data := serviceConfig(50)
	b.Run("toml", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Parse(data, Limits{KeyParts: 16, Nesting: 16}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("BurntSushi", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			var m map[string]any
			if _, err := bstoml.Decode(string(data), &m); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestServiceConfig checks that the benchmark's input decodes the same
// with both decoders.
func TestServiceConfig(t *testing.T) {
	data := serviceConfig(50)
	doc, err := Parse(data, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	want, err := decodeBurntSushi(data)
	if err != nil {
		t.Fatal(err)
	}
	if msg := sameValue("", want, doc.Root); msg != "" {
		t.Fatal(msg)
	}
	if got := doc.Line("service", "worker-49", "health", "retries"); got == 0 {
		t.Errorf("no line for service.worker-49.health.retries")
	}
}
