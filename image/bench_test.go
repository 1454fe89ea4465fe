package image

import (
	"compress/gzip"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// benchProgram returns a real Go binary of about 9 MB: the toolchain's vet.
func benchProgram(b *testing.B) string {
	out, err := exec.Command("go", "env", "GOTOOLDIR").Output()
	if err != nil {
		b.Fatalf("go env GOTOOLDIR: %v", err)
	}
	return filepath.Join(strings.TrimSpace(string(out)), "vet")
}

// BenchmarkWriteTo writes an image holding a ~9 MB Go program at several
// gzip levels; MB/s is of the program's bytes, "ratio" the image's size
// over the program's. The reference, measured in the same iterations
// (interleaved, so a busy machine slows both alike), is compress/gzip
// alone on the program's bytes in memory at the same level: "x-gzip" is
// WriteTo's time over the reference's.
func BenchmarkWriteTo(b *testing.B) {
	prog := benchProgram(b)
	data, err := os.ReadFile(prog)
	if err != nil {
		b.Fatal(err)
	}
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
			b.SetBytes(int64(len(data)))
			var n int64
			var reference time.Duration
			for b.Loop() {
				if n, err = bl.WriteTo(io.Discard); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				reference += gzipAlone(data, lv.level)
				b.StartTimer()
			}
			b.ReportMetric(float64(n)/float64(len(data)), "ratio")
			b.ReportMetric(float64(b.Elapsed())/float64(reference), "x-gzip")
		})
	}
}

// gzipAlone times compress/gzip on data.
func gzipAlone(data []byte, level int) time.Duration {
	start := time.Now()
	zw, _ := gzip.NewWriterLevel(io.Discard, level)
	zw.Write(data)
	zw.Close()
	return time.Since(start)
}
