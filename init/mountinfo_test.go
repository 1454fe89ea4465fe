package pid1

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseMountInfo(t *testing.T) {
	in := `22 1 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:5 - proc proc rw
25 1 0:5 / /dev rw,nosuid shared:2 master:1 - devtmpfs udev rw,size=10240k
40 25 0:34 / /dev/pts rw - devpts devpts rw,gid=5,mode=620
99 1 8:1 /home /mnt/my\040disk rw,relatime - ext4 /dev/sd\134a1 rw
`
	want := []mountEntry{
		{"/proc", "proc", "proc"},
		{"/dev", "devtmpfs", "udev"},
		{"/dev/pts", "devpts", "devpts"},
		{"/mnt/my disk", "ext4", `/dev/sd\a1`},
	}
	got, err := parseMountInfo([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestParseMountInfoErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"22 1 0:21 / /proc rw shared:5 proc proc rw", `line 1: "22 1 0:21 / /proc rw shared:5 proc proc rw": want 6 fields`},
		{"22 1 0:21 / /proc rw -", "line 1:"},
		{"1 1 0:1 / / rw - rootfs rootfs rw\n22 1 0:21 / /p\\04 rw - proc proc rw", `line 2: unescape "/p\\04": short escape`},
		{"22 1 0:21 / /p\\999 rw - proc proc rw", `unescape "/p\\999": bad escape`},
	}
	for _, tt := range tests {
		_, err := parseMountInfo([]byte(tt.in))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("parseMountInfo(%q): got error %v, want one containing %q", tt.in, err, tt.want)
		}
	}
}

// FuzzParseMountInfo checks that the parser never panics and that an entry
// it returns, written back as the kernel writes it, reads the same again.
func FuzzParseMountInfo(f *testing.F) {
	f.Add("22 1 0:21 / /proc rw,nosuid shared:5 - proc proc rw\n")
	f.Add(`99 1 8:1 /home /mnt/my\040disk rw - ext4 /dev/sd\134a1 rw`)
	f.Fuzz(func(t *testing.T, in string) {
		entries, err := parseMountInfo([]byte(in))
		if err != nil {
			return
		}
		for _, e := range entries {
			line := "1 1 0:1 / " + escapeOctal(e.Target) + " rw - " + e.FSType + " " + escapeOctal(e.Source) + " rw"
			again, err := parseMountInfoLine(line)
			if err != nil || again != e {
				t.Errorf("%q: got %v, %v; want %v", line, again, err, e)
			}
		}
	})
}

// FuzzUnescapeOctal checks that unescaping undoes the kernel's escaping and
// never panics on what the kernel would not write.
func FuzzUnescapeOctal(f *testing.F) {
	for _, s := range []string{"/a b", "/tab\there", `/back\slash`, "/new\nline", "/plain", `\04`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, err := unescapeOctal(escapeOctal(s)); err != nil || got != s {
			t.Errorf("unescapeOctal(escapeOctal(%q)) = %q, %v; want %q", s, got, err, s)
		}
		_, _ = unescapeOctal(s)
	})
}

// escapeOctal escapes as the kernel does (fs/proc_namespace.c).
func escapeOctal(s string) string {
	r := strings.NewReplacer(`\`, `\134`, " ", `\040`, "\t", `\011`, "\n", `\012`)
	return r.Replace(s)
}
