package services

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/tinit/tinit/services/output"
)

// maxPrefixWidth caps the padding of service names on the console.
const maxPrefixWidth = 16

// serviceOutput is where the lines of one service go, for all its runs.
type serviceOutput struct {
	sinks []output.Sink // the destination, then the ring
	ring  *output.Ring  // nil when output_ring_lines is 0
	file  *output.FileSink
}

func (o *serviceOutput) close() {
	if o.file != nil {
		o.file.Close()
	}
}

// streamSink sends stdout lines to one sink and stderr lines to another.
type streamSink struct{ stdout, stderr output.Sink }

func (c streamSink) WriteLine(service string, stream output.Stream, line []byte) error {
	if stream == output.Stderr {
		return c.stderr.WriteLine(service, stream, line)
	}
	return c.stdout.WriteLine(service, stream, line)
}

// newConsole is the console sink every "console" service shares.
func newConsole(cfg *Config, opt Options) output.Sink {
	format := output.Text
	if cfg.Tinit.LogFormat == LogJSON {
		format = output.JSON
	}
	width := 0
	for _, svc := range cfg.Services {
		width = max(width, min(len(svc.Name), maxPrefixWidth))
	}
	stdout, stderr := opt.Stdout, opt.Stderr
	if stdout == nil {
		stdout = os.Stdout
	}
	if stderr == nil {
		stderr = os.Stderr
	}
	return streamSink{output.NewConsole(stdout, format, width), output.NewConsole(stderr, format, width)}
}

// outputOf returns u's output, opening its file at the first start.
func (s *Supervisor) outputOf(u *unit) (*serviceOutput, error) {
	if u.out != nil {
		return u.out, nil
	}
	o := &serviceOutput{}
	cfg := u.svc.Output
	switch cfg.Mode {
	case OutputConsole:
		o.sinks = append(o.sinks, s.console)
	case OutputFile:
		f, err := output.NewFile(cfg.File, output.FileOptions{
			MaxSize: cfg.MaxSize, MaxFiles: cfg.MaxFiles, OnError: s.fileError(u),
		})
		if err != nil {
			return nil, fmt.Errorf("open output file: %w", err)
		}
		o.file = f
		o.sinks = append(o.sinks, f)
	}
	if cfg.RingLines > 0 {
		o.ring = output.NewRing(cfg.RingLines, int(cfg.RingBytes))
		o.sinks = append(o.sinks, o.ring)
	}
	u.out = o
	return o, nil
}

// fileError reports a failing output file; FileSink calls it from a
// forwarder's goroutine, so it only logs (the logger is safe for that).
func (s *Supervisor) fileError(u *unit) func(error) {
	return func(err error) {
		s.logf(output.LevelWarn, u, "output file: %v; dropping lines until it works again", err)
	}
}

// runFiles are the files of one process: its pipes' read ends (held by
// forwarders), the ends the child gets, and the readiness pipe.
type runFiles struct {
	fws       []*output.Forwarder
	childEnds []*os.File // closed in tinit once the child has them
	readyR    *os.File   // ready_fd: the read end; nil otherwise
}

// parentDone closes tinit's copies of the child's ends.
func (f *runFiles) parentDone() {
	for _, c := range f.childEnds {
		c.Close()
	}
	f.childEnds = nil
}

// abort releases the files of a process that did not start.
func (f *runFiles) abort(s *Supervisor) {
	f.parentDone()
	if f.readyR != nil {
		f.readyR.Close()
	}
	s.drainLater(f.fws)
}

// procFiles gives spec the files of a process of u's: stdin and output
// pipes; the service's own process also its readiness fd and cgroup.
func (s *Supervisor) procFiles(u *unit, spec *ProcSpec) (*runFiles, error) {
	f := &runFiles{}
	err := s.stdio(u, spec, f)
	if spec.Role == RoleService {
		if err == nil && u.svc.Ready.Kind == ReadyFD {
			err = s.readyPipe(u.svc.Ready.FD, spec, f)
		}
		if err == nil {
			spec.Cgroup, err = s.cgroupDir(u)
		}
	}
	if err != nil {
		f.abort(s)
		return nil, err
	}
	return f, nil
}

func (s *Supervisor) stdio(u *unit, spec *ProcSpec, f *runFiles) error {
	if io, ok := s.opt.Stdio[u.svc.Name]; ok {
		spec.Stdin, spec.Stdout, spec.Stderr = io.Stdin, io.Stdout, io.Stderr
		spec.ExtraFiles = append([]*os.File(nil), io.ExtraFiles...)
		return nil
	}
	out, err := s.outputOf(u)
	if err != nil {
		return err
	}
	spec.Stdin = s.devNull
	spec.Stdout, spec.Stderr, err = s.pipes(u.svc.Name, out.sinks, f)
	return err
}

// pipes makes the stdout and stderr pipes of a process and starts their
// forwarders to sinks.
func (s *Supervisor) pipes(name string, sinks []output.Sink, f *runFiles) (stdout, stderr *os.File, err error) {
	var ends [2]*os.File
	for i, stream := range []output.Stream{output.Stdout, output.Stderr} {
		r, w, err := childPipe()
		if err != nil {
			return nil, nil, fmt.Errorf("make %s pipe: %w", stream, err)
		}
		ends[i] = w
		f.childEnds = append(f.childEnds, w)
		f.fws = append(f.fws, output.Forward(r, name, stream, 0, sinks...))
	}
	return ends[0], ends[1], nil
}

// readyPipe gives the child the write end of a pipe as fd n.
func (s *Supervisor) readyPipe(n int, spec *ProcSpec, f *runFiles) error {
	r, w, err := childPipe()
	if err != nil {
		return fmt.Errorf("make ready_fd pipe: %w", err)
	}
	f.readyR = r
	f.childEnds = append(f.childEnds, w)
	for len(spec.ExtraFiles) < n-2 {
		spec.ExtraFiles = append(spec.ExtraFiles, nil)
	}
	spec.ExtraFiles[n-3] = w
	return nil
}

// drainLater lets forwarders finish in the background, bounded by
// drainTimeout; Run waits for them before it returns.
func (s *Supervisor) drainLater(fws []*output.Forwarder) {
	if len(fws) == 0 {
		return
	}
	deadline := time.Now().Add(drainTimeout)
	s.drains.Add(1)
	s.goSafe(nil, 0, "an output drain", func() {
		defer s.drains.Done()
		s.drain(fws, deadline)
	})
}

// drain waits until the forwarders have delivered every line their
// process wrote (and the partial last one), or the deadline passes.
func (s *Supervisor) drain(fws []*output.Forwarder, deadline time.Time) {
	for _, fw := range fws {
		err := fw.Drain(deadline)
		switch {
		case errors.Is(err, os.ErrDeadlineExceeded):
			s.logf(output.LevelDebug, nil, "%v", err)
		case err != nil:
			s.logf(output.LevelWarn, nil, "%v", err)
		}
	}
}
