package output

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"testing"
	"time"
)

// BenchmarkConsole measures lines per second from a reader through a
// Forwarder into a text Console, against the reference measured in the same
// run: a plain bufio.Scanner to bufio.Writer copy that adds the same prefix
// but batches its writes. "ratio" is console time over reference time.
// The "devnull" case pays one write(2) per line, as the console does for
// real; the "discard" case shows the CPU cost alone.
func BenchmarkConsole(b *testing.B) {
	const lines = 20000
	var data []byte
	for i := range lines {
		data = fmt.Appendf(data, "%06d GET /index.html 200 1234 0.003 Mozilla/5.0 (X11; Linux x86_64)\n", i)
	}
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer devnull.Close()
	for _, dst := range []struct {
		name string
		w    io.Writer
	}{{"devnull", devnull}, {"discard", io.Discard}} {
		b.Run(dst.name, func(b *testing.B) {
			console := NewConsole(dst.w, Text, 8)
			var ref, con time.Duration
			n := 0
			for b.Loop() {
				start := time.Now()
				referenceCopy(dst.w, data)
				mid := time.Now()
				if err := Forward(bytes.NewReader(data), "web", Stdout, 0, console).Err(); err != nil {
					b.Fatal(err)
				}
				ref, con = ref+mid.Sub(start), con+time.Since(mid)
				n++
			}
			b.ReportMetric(float64(n*lines)/con.Seconds(), "lines/s")
			b.ReportMetric(float64(n*lines)/ref.Seconds(), "ref-lines/s")
			b.ReportMetric(con.Seconds()/ref.Seconds(), "ratio")
		})
	}
}

func referenceCopy(w io.Writer, data []byte) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	bw := bufio.NewWriter(w)
	for sc.Scan() {
		bw.WriteString("web      | ")
		bw.Write(sc.Bytes())
		bw.WriteByte('\n')
	}
	bw.Flush()
}
