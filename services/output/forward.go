package output

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync/atomic"
	"time"
)

// maxSweep bounds what a forwarder still reads from the pipe after the drain
// deadline, so that a writer that never stops cannot hold it forever.
const maxSweep = 1 << 20

// Forwarder copies the lines of one service pipe to its sinks from its own
// goroutine, until EOF or until Drain's deadline.
type Forwarder struct {
	r       io.Reader
	service string
	stream  Stream
	sinks   []Sink
	split   *splitter
	done    chan struct{}
	err     error // why reading stopped, nil at EOF; written before done closes

	lines, bytes, failed atomic.Uint64
}

// Stats counts what a forwarder did so far.
type Stats struct {
	Lines  uint64 // lines delivered (each to every sink)
	Bytes  uint64 // bytes in those lines
	Failed uint64 // calls to a sink that returned an error or panicked
}

// deadliner is the part of *os.File that lets Drain stop a blocked read.
type deadliner interface {
	SetReadDeadline(time.Time) error
}

// Forward starts a forwarder reading r, the read end of the pipe that holds
// a service's stream, and writing each line to every sink. Lines longer than
// maxLine bytes (<= 0: DefaultMaxLine) are cut. The forwarder owns r: it
// closes it when done if r is an io.Closer. For Drain to stop a blocked
// read, r must support read deadlines, as the ends of os.Pipe do.
func Forward(r io.Reader, service string, stream Stream, maxLine int, sinks ...Sink) *Forwarder {
	f := &Forwarder{
		r: r, service: service, stream: stream, sinks: sinks,
		split: newSplitter(maxLine),
		done:  make(chan struct{}),
	}
	go f.run()
	return f
}

// Done is closed when the forwarder has stopped reading and every line it
// read was handed to the sinks.
func (f *Forwarder) Done() <-chan struct{} { return f.done }

// Err returns why the forwarder stopped: nil at EOF. Valid after Done.
func (f *Forwarder) Err() error {
	<-f.done
	return f.err
}

// Stats returns the forwarder's counters; it may be called at any time.
func (f *Forwarder) Stats() Stats {
	return Stats{Lines: f.lines.Load(), Bytes: f.bytes.Load(), Failed: f.failed.Load()}
}

// Drain waits until the pipe reaches EOF (every writer has closed it) and
// every line read was handed to the sinks, and returns Err. A zero deadline
// waits for EOF however long it takes. When the deadline passes first, the
// forwarder stops reading: it still delivers what the pipe holds at that
// moment and the partial last line, closes the pipe, and Drain returns an
// error wrapping os.ErrDeadlineExceeded. A reader without read deadlines
// cannot be stopped: then Drain returns at the deadline while the forwarder
// goes on until EOF.
func (f *Forwarder) Drain(deadline time.Time) error {
	if deadline.IsZero() {
		return f.Err()
	}
	select {
	case <-f.done:
		return f.err
	default:
	}
	if d, ok := f.r.(deadliner); ok && d.SetReadDeadline(deadline) == nil {
		return f.Err()
	}
	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	select {
	case <-f.done:
		return f.err
	case <-timer.C:
		return fmt.Errorf("drain %s of %q: reader cannot be interrupted: %w", f.stream, f.service, os.ErrDeadlineExceeded)
	}
}

func (f *Forwarder) run() {
	defer close(f.done)
	defer f.closeReader()
	defer func() {
		if p := recover(); p != nil {
			f.err = fmt.Errorf("forward %s of %q: panic: %v", f.stream, f.service, p)
		}
	}()
	f.err = f.copy()
}

func (f *Forwarder) closeReader() {
	if c, ok := f.r.(io.Closer); ok {
		c.Close()
	}
}

// copy reads until EOF or error, delivering every complete line as it comes
// and the rest at the end.
func (f *Forwarder) copy() error {
	for {
		_, err := f.split.fill(f.r)
		f.emitLines()
		if err == nil {
			continue
		}
		if errors.Is(err, os.ErrDeadlineExceeded) {
			f.sweep()
		}
		for line, ok := f.split.rest(); ok; line, ok = f.split.rest() {
			f.emit(line)
		}
		switch {
		case err == io.EOF:
			return nil
		case errors.Is(err, os.ErrDeadlineExceeded):
			return fmt.Errorf("drain %s of %q: pipe still open at the deadline: %w", f.stream, f.service, err)
		}
		return fmt.Errorf("read %s of %q: %w", f.stream, f.service, err)
	}
}

// sweep reads, without blocking, what the pipe still buffers after the
// deadline: lines a service wrote before it was stopped are not lost
// because a child of it keeps the pipe open.
func (f *Forwarder) sweep() {
	r := sweepReader(f.r)
	if r == nil {
		return
	}
	for total := 0; total < maxSweep; {
		n, err := f.split.fill(r)
		total += n
		f.emitLines()
		if err != nil {
			return
		}
	}
}

func (f *Forwarder) emitLines() {
	for line, ok := f.split.next(); ok; line, ok = f.split.next() {
		f.emit(line)
	}
}

func (f *Forwarder) emit(line []byte) {
	f.lines.Add(1)
	f.bytes.Add(uint64(len(line)))
	for _, s := range f.sinks {
		if f.write(s, line) != nil {
			f.failed.Add(1)
		}
	}
}

// write calls one sink; a sink that panics loses this line, not the pipe.
func (f *Forwarder) write(s Sink, line []byte) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("sink panicked: %v", p)
		}
	}()
	return s.WriteLine(f.service, f.stream, line)
}
