package output

import (
	"bytes"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestLogText(t *testing.T) {
	tests := []struct {
		level   Level
		service string
		hide    bool
		want    string
	}{
		{LevelInfo, "", false, "tinit: hello\n"},
		{LevelInfo, "web", false, "tinit: web: hello\n"},
		{LevelWarn, "web", false, "tinit: warning: web: hello\n"},
		{LevelWarn + 1, "", false, "tinit: warning: hello\n"},
		{LevelError, "web", false, "tinit: web: hello\n"},
		{LevelDebug, "web", true, "tinit: hello\n"},
		{LevelWarn, "web", true, "tinit: warning: hello\n"},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		NewLog(&buf, Text, LogOptions{Level: LevelDebug, HideService: tt.hide}).Log(tt.level, tt.service, "hello")
		if got := buf.String(); got != tt.want {
			t.Errorf("%v %q hide=%v: got %q, want %q", tt.level, tt.service, tt.hide, got, tt.want)
		}
	}
}

func TestLogJSON(t *testing.T) {
	tests := []struct {
		level   Level
		service string
		msg     string
		want    map[string]string
	}{
		{LevelInfo, "", "starting 2 services", map[string]string{"level": "INFO", "msg": "starting 2 services"}},
		{LevelWarn, "we\"b", "bad \xff \x01", map[string]string{"level": "WARN", "msg": "bad \ufffd \x01", "service": "we\"b"}},
		{LevelDebug - 4, "x", "deep", map[string]string{"level": "DEBUG-4", "msg": "deep", "service": "x"}},
		{LevelError + 2, "", "e", map[string]string{"level": "ERROR+2", "msg": "e"}},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		l := NewLog(&buf, JSON, LogOptions{Level: LevelDebug - 4, HideService: true})
		l.now = func() time.Time { return testTime }
		l.Log(tt.level, tt.service, tt.msg)
		out := buf.Bytes()
		var rec map[string]string
		if err := json.Unmarshal(out, &rec); err != nil || !bytes.HasSuffix(out, []byte("}\n")) || bytes.Count(out, []byte("\n")) != 1 {
			t.Fatalf("output %q: not one JSON line: %v", out, err)
		}
		tt.want["time"] = "2025-03-04T04:06:07.891234Z"
		if len(rec) != len(tt.want) {
			t.Errorf("%q: got %v, want %v", out, rec, tt.want)
		}
		for k, v := range tt.want {
			if rec[k] != v {
				t.Errorf("%q: %s is %q, want %q", out, k, rec[k], v)
			}
		}
		if !strings.HasPrefix(string(out), `{"time":`) {
			t.Errorf("%q: time is not the first key", out)
		}
	}
}

func TestLogLevel(t *testing.T) {
	var buf bytes.Buffer
	l := NewLog(&buf, Text, LogOptions{Level: LevelWarn})
	for _, lv := range []Level{LevelDebug, LevelInfo, LevelWarn, LevelError} {
		if got, want := l.Enabled(lv), lv >= LevelWarn; got != want {
			t.Errorf("Enabled(%v) = %v, want %v", lv, got, want)
		}
		l.Log(lv, "", lv.String())
	}
	if got, want := buf.String(), "tinit: warning: WARN\ntinit: ERROR\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	var none *Log
	if none.Enabled(LevelError) {
		t.Error("a nil Log is enabled")
	}
	none.Log(LevelError, "", "dropped") // must not panic
}

// TestLogConcurrent: goroutines writing through one Log (the supervisor,
// cmd/tinit, output forwarders) never interleave their lines.
func TestLogConcurrent(t *testing.T) {
	var out strings.Builder
	w := writerFunc(func(p []byte) (int, error) {
		for _, b := range p { // byte by byte: an unlocked pair would interleave
			out.WriteByte(b)
		}
		return len(p), nil
	})
	l := NewLog(w, Text, LogOptions{})
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			for range 200 {
				l.Log(LevelInfo, "", "0123456789")
			}
		})
	}
	wg.Wait()
	for _, line := range strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n") {
		if line != "tinit: 0123456789" {
			t.Fatalf("interleaved line %q", line)
		}
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

func TestCount(t *testing.T) {
	for _, tt := range []struct {
		n          int
		noun, want string
	}{{0, "service", "0 services"}, {1, "service", "1 service"}, {2, "process", "2 processes"}, {1, "process", "1 process"}} {
		if got := Count(tt.n, tt.noun); got != tt.want {
			t.Errorf("Count(%d, %q) = %q, want %q", tt.n, tt.noun, got, tt.want)
		}
	}
}
