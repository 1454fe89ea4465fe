package notify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// WaitFD waits for an s6-style readiness notification: a newline written
// to r, the read end of the pipe whose write end the service holds as its
// notification fd. It returns nil at the first newline (bytes before it
// are ignored); an error wrapping io.ErrUnexpectedEOF when every writer
// closed the pipe first (the service died or gave up); ctx's error when
// ctx ends first. r must support read deadlines, as the ends of os.Pipe
// do. WaitFD does not close r; after ctx ended, r's read deadline has passed.
func WaitFD(ctx context.Context, r *os.File) error {
	if err := r.SetReadDeadline(time.Time{}); err != nil {
		return fmt.Errorf("wait for readiness on %q: %w", r.Name(), err)
	}
	stop := context.AfterFunc(ctx, func() { r.SetReadDeadline(time.Unix(1, 0)) })
	defer stop()
	var buf [128]byte
	for {
		n, err := r.Read(buf[:])
		switch {
		case bytes.IndexByte(buf[:n], '\n') >= 0:
			return nil
		case err == io.EOF:
			return fmt.Errorf("wait for readiness on %q: closed before a newline: %w", r.Name(), io.ErrUnexpectedEOF)
		case errors.Is(err, os.ErrDeadlineExceeded) && ctx.Err() != nil:
			return fmt.Errorf("wait for readiness on %q: %w", r.Name(), context.Cause(ctx))
		case err != nil:
			return fmt.Errorf("wait for readiness on %q: %w", r.Name(), err)
		}
	}
}
