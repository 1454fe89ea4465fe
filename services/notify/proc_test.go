package notify

import (
	"bytes"
	"fmt"
	"testing"
)

func TestParseProcStat(t *testing.T) {
	tests := []struct {
		in      string
		want    ProcStat
		wantErr bool
	}{
		{in: "42 (sleep) S 7 42 1 0 -1 4194304 ...", want: ProcStat{42, 7, 42, 1}},
		{in: "5 (a) b) (c) R 1 5 5 34816", want: ProcStat{5, 1, 5, 5}},
		{in: "9 (with space) Z 2 0 0", want: ProcStat{9, 2, 0, 0}},
		{in: "9 () S 1 1 1", want: ProcStat{9, 1, 1, 1}},
		{in: "", wantErr: true},
		{in: "x (a) S 1 1 1", wantErr: true},
		{in: "9 (a) S 1 1", wantErr: true},
		{in: "9 (a) S 1 z 1", wantErr: true},
		{in: "9 a) S 1 1 1", wantErr: true},
	}
	for _, tt := range tests {
		got, err := parseProcStat([]byte(tt.in))
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("parseProcStat(%q): got %+v, %v, want %+v (error %v)", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func FuzzParseProcStat(f *testing.F) {
	f.Add([]byte("42 (sleep) S 7 42 1 0"))
	f.Add([]byte("1 ()) R 0 1 1"))
	f.Fuzz(func(t *testing.T, b []byte) {
		st, err := parseProcStat(b)
		if err != nil {
			return
		}
		comm := b[bytes.IndexByte(b, '(')+1 : bytes.LastIndexByte(b, ')')]
		again, err := parseProcStat(fmt.Appendf(nil, "%d (%s) S %d %d %d", st.PID, comm, st.PPID, st.PGID, st.Session))
		if err != nil || again != st {
			t.Fatalf("%q -> %+v -> %+v, %v", b, st, again, err)
		}
	})
}
