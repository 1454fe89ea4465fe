package image

import (
	"compress/gzip"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// benchProgram returns a real Go binary of about 9 MB: the toolchain's vet.
func benchProgram(b *testing.B) (string, int64) {
	out, err := exec.Command("go", "env", "GOTOOLDIR").Output()
	if err != nil {
		b.Fatalf("go env GOTOOLDIR: %v", err)
	}
	p := filepath.Join(strings.TrimSpace(string(out)), "vet")
	fi, err := os.Stat(p)
	if err != nil {
		b.Fatal(err)
	}
	return p, fi.Size()
}

// BenchmarkWriteTo writes an image holding a ~9 MB Go program at several
// gzip levels; MB/s is of the program's bytes. The reference, measured in
// the same run, is compress/gzip alone on the same bytes at the default
// level: WriteTo at that level should be within a few percent of it.
func BenchmarkWriteTo(b *testing.B) {
	prog, size := benchProgram(b)
	for _, lv := range []struct {
		name  string
		level int
	}{
		{"store", gzip.NoCompression},
		{"speed", gzip.BestSpeed},
		{"default", gzip.DefaultCompression},
		{"best", gzip.BestCompression},
	} {
		b.Run(lv.name, func(b *testing.B) {
			bl := New()
			bl.SetGzipLevel(lv.level)
			if err := bl.AddProgram("/usr/bin/vet", prog); err != nil {
				b.Fatal(err)
			}
			bl.AddDevice("/dev/console", charDev|0o600, 5, 1)
			b.SetBytes(size)
			var n int64
			for b.Loop() {
				var err error
				if n, err = bl.WriteTo(io.Discard); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)/float64(size), "ratio")
		})
	}
	b.Run("reference-gzip-default", func(b *testing.B) {
		data, err := os.ReadFile(prog)
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(size)
		for b.Loop() {
			zw := gzip.NewWriter(io.Discard)
			zw.Write(data)
			zw.Close()
		}
	})
}
