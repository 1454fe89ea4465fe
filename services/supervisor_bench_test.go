package services

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

// chainsConfig is n simple services in chains of ten (each requires the
// one before it), of program path.
func chainsConfig(tb testing.TB, n int, path string) *Config {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "[service.s%04d]\ncommand = [%q]\n", i, path)
		if i%10 != 0 {
			fmt.Fprintf(&b, "requires = [\"s%04d\"]\n", i-1)
		}
	}
	cfg, err := Parse("bench.toml", []byte(b.String()))
	if err != nil {
		tb.Fatal(err)
	}
	return cfg
}

// BenchmarkSupervisor measures the supervisor's own cost per service with
// the fake spawner, against the same fake processes started and stopped
// directly (raw), interleaved: start is until the last service has
// started, stop from SIGTERM to the end of Run. The metrics are per
// service; start-x and stop-x are supervisor/raw.
//
//	go test -run XXX -bench Supervisor -benchtime 20x ./services/
func BenchmarkSupervisor(b *testing.B) {
	for _, n := range []int{10, 100, 1000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			cfg := chainsConfig(b, n, "/t/sleep")
			var sup, raw [2][]time.Duration
			for b.Loop() {
				rs, rt := rawFake(n)
				raw[0], raw[1] = append(raw[0], rs), append(raw[1], rt)
				ss, st := superviseFake(b, cfg, n)
				sup[0], sup[1] = append(sup[0], ss), append(sup[1], st)
			}
			report(b, n, sup, raw)
		})
	}
}

// report adds the medians per service, and their ratios, to b's metrics.
func report(b *testing.B, n int, sup, raw [2][]time.Duration) {
	for i, phase := range []string{"start", "stop"} {
		s, r := median(sup[i])/time.Duration(n), median(raw[i])/time.Duration(n)
		b.ReportMetric(float64(s.Nanoseconds())/1e3, phase+"-us/svc")
		b.ReportMetric(float64(r.Nanoseconds())/1e3, "raw-"+phase+"-us/svc")
		b.ReportMetric(float64(s)/float64(r), phase+"-x")
	}
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// rawFake starts n fake processes and stops them, without a supervisor.
func rawFake(n int) (start, stop time.Duration) {
	fs := newFakeSpawner()
	begin := time.Now()
	procs := make([]Proc, n)
	for i := range procs {
		procs[i], _ = fs.Start(ProcSpec{Path: "/t/sleep", Setsid: true})
	}
	start = time.Since(begin)
	begin = time.Now()
	for _, p := range procs {
		p.Signal(SIGTERM)
		<-p.Done()
		p.Close()
	}
	return start, time.Since(begin)
}

// superviseFake runs cfg under a supervisor with a fake spawner.
func superviseFake(b *testing.B, cfg *Config, n int) (start, stop time.Duration) {
	fs := newFakeSpawner()
	fs.starts = make(chan *fakeProc, n)
	sigs := make(chan os.Signal, 1)
	s, err := New(cfg, Options{Spawner: fs, Stdout: io.Discard, Stderr: io.Discard, Signals: sigs})
	if err != nil {
		b.Fatal(err)
	}
	done := make(chan struct{})
	begin := time.Now()
	go func() {
		defer close(done)
		if _, err := s.Run(context.Background()); err != nil {
			b.Error(err)
		}
	}()
	for range n {
		<-fs.starts
	}
	start = time.Since(begin)
	begin = time.Now()
	sigs <- SIGTERM
	<-done
	return start, time.Since(begin)
}
