package notify

import (
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"
)

func TestWaitFD(t *testing.T) {
	tests := []struct {
		name   string
		writes []string
		close  bool
		want   error
	}{
		{"newline", []string{"\n"}, false, nil},
		{"text then newline", []string{"ready", " now\n"}, false, nil},
		{"newline then close", []string{"\n"}, true, nil},
		{"EOF first", []string{"almost"}, true, io.ErrUnexpectedEOF},
		{"EOF at once", nil, true, io.ErrUnexpectedEOF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkFDs(t)
			r, w, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			wrote := make(chan struct{})
			defer func() { <-wrote }() // WaitFD may return before the writer closes w
			go func() {
				defer close(wrote)
				for _, s := range tt.writes {
					w.WriteString(s)
				}
				if tt.close {
					w.Close()
				}
			}()
			if !tt.close {
				defer w.Close()
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := WaitFD(ctx, r); !errors.Is(err, tt.want) || (err == nil) != (tt.want == nil) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func TestWaitFDContext(t *testing.T) {
	checkFDs(t)
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- WaitFD(ctx, r) }()
	w.WriteString("no newline yet")
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("cancel: got %v, want context.Canceled", err)
	}
	ctx, cancel = context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := WaitFD(ctx, r); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("timeout: got %v, want context.DeadlineExceeded", err)
	}
}

func TestWaitFDNotPollable(t *testing.T) {
	checkFDs(t)
	f, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := WaitFD(context.Background(), f); err == nil || !strings.Contains(err.Error(), os.DevNull) {
		t.Errorf("got %v, want an error naming %s", err, os.DevNull)
	}
}
