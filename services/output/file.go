package output

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// FileOptions say how a FileSink writes and rotates.
type FileOptions struct {
	// MaxSize is the size in bytes a file may reach: before a line would
	// make it larger, the file is rotated. 0 never rotates. A line longer
	// than MaxSize is written alone into a fresh file.
	MaxSize int64
	// MaxFiles is how many rotated files are kept, name.1 (newest) to
	// name.N (oldest). 0 keeps none: rotation starts the file afresh.
	MaxFiles int
	// Format is Text (each line as the service wrote it) or JSON.
	Format Format
	// OnError, if set, is called when writing starts failing, with the
	// error; it is not called again until a line has been written. It is
	// called without the sink's lock held, from the writing goroutine.
	OnError func(error)
}

// FileSink is a sink that appends lines to a file, rotating it by size.
// When the file cannot be written, the line is dropped and counted, and the
// next line tries again (reopening the file).
type FileSink struct {
	path    string
	opt     FileOptions
	dropped atomic.Uint64

	mu      sync.Mutex
	f       *os.File // nil after a failure, until reopened
	size    int64
	failing bool
	closed  bool
	buf     []byte
	now     func() time.Time
}

// NewFile opens (creating if needed) the log file at path for appending.
// It fails only if the file cannot be opened now.
func NewFile(path string, opt FileOptions) (*FileSink, error) {
	if opt.MaxSize < 0 || opt.MaxFiles < 0 {
		return nil, fmt.Errorf("open log %q: negative size or file count", path)
	}
	s := &FileSink{path: path, opt: opt, now: time.Now}
	if err := s.open(); err != nil {
		return nil, err
	}
	return s, nil
}

// Dropped returns how many lines could not be written.
func (s *FileSink) Dropped() uint64 { return s.dropped.Load() }

// WriteLine appends one line with a single write, rotating first if the
// line would make the file larger than MaxSize.
func (s *FileSink) WriteLine(service string, stream Stream, line []byte) error {
	s.mu.Lock()
	report, err := s.writeLocked(service, stream, line)
	s.mu.Unlock()
	if report && s.opt.OnError != nil {
		s.opt.OnError(err)
	}
	return err
}

// writeLocked writes and says whether a failure must be reported.
func (s *FileSink) writeLocked(service string, stream Stream, line []byte) (report bool, err error) {
	if s.closed {
		s.dropped.Add(1)
		return false, fmt.Errorf("write log %q: %w", s.path, os.ErrClosed)
	}
	if s.opt.Format == JSON {
		s.buf = appendJSONRecord(s.buf[:0], s.now(), service, stream, line)
	} else {
		s.buf = append(append(s.buf[:0], line...), '\n')
	}
	err = s.write(s.buf)
	if cap(s.buf) > maxKeptBuf {
		s.buf = nil
	}
	if err != nil {
		s.dropped.Add(1)
		report, s.failing = !s.failing, true
		return report, err
	}
	s.failing = false
	return false, nil
}

func (s *FileSink) write(rec []byte) error {
	if s.f == nil {
		if err := s.open(); err != nil {
			return err
		}
	}
	if s.opt.MaxSize > 0 && s.size > 0 && s.size+int64(len(rec)) > s.opt.MaxSize {
		if err := s.rotate(); err != nil {
			return err
		}
	}
	n, err := s.f.Write(rec)
	s.size += int64(n)
	if err != nil {
		s.closeFile()
		return err // *fs.PathError names the file
	}
	return nil
}

// open opens the file for appending; os.OpenFile adds O_CLOEXEC.
func (s *FileSink) open() error {
	f, err := os.OpenFile(s.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o640)
	if err != nil {
		return err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return err
	}
	s.f, s.size = f, st.Size()
	return nil
}

// rotate shifts name.i to name.i+1, the oldest falling off, moves the
// current file to name.1 and opens a new one.
func (s *FileSink) rotate() error {
	s.closeFile()
	for i := s.opt.MaxFiles - 1; i >= 1; i-- {
		if err := os.Rename(s.rotated(i), s.rotated(i+1)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("rotate log %q: %w", s.path, err)
		}
	}
	var err error
	if s.opt.MaxFiles > 0 {
		err = os.Rename(s.path, s.rotated(1))
	} else {
		err = os.Remove(s.path)
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("rotate log %q: %w", s.path, err)
	}
	return s.open()
}

func (s *FileSink) rotated(i int) string { return s.path + "." + strconv.Itoa(i) }

func (s *FileSink) closeFile() {
	if s.f != nil {
		s.f.Close()
		s.f = nil
	}
}

// Close closes the file; later lines are dropped. Close is idempotent.
func (s *FileSink) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	if s.f == nil {
		return nil
	}
	err := s.f.Close()
	s.f = nil
	return err
}
