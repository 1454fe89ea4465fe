package pid1

import (
	"strings"
	"testing"
)

func TestParseHostname(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr string
	}{
		{"vm1\n", "vm1", ""},
		{"vm1", "vm1", ""},
		{"  vm1 \r\n", "vm1", ""},
		{"# built by tinit-image\n\n  \nweb-1.example.org\nignored\n", "web-1.example.org", ""},
		{"  # an indented comment\nvm2\n", "vm2", ""},
		{"", "", ""},
		{"\n# only a comment\n\n", "", ""},
		{strings.Repeat("a", 64) + "\n", strings.Repeat("a", 64), ""},
		{strings.Repeat("a", 65) + "\n", "", "is 65 bytes long, more than 64"},
		{"vm 1\n", "", `"vm 1": ' ' is not a letter, digit, '-' or '.'`},
		{"vm_1\n", "", `"vm_1": '_' is not a letter, digit, '-' or '.'`},
		{"v\x00m\n", "", `"v\x00m": '\x00' is not a letter, digit, '-' or '.'`},
		{"-vm\n", "", `"-vm": starts with '-'`},
		{".vm\n", "", `".vm": starts with '.'`},
	}
	for _, tt := range tests {
		got, err := parseHostname([]byte(tt.in))
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("parseHostname(%q): got %q, %v; want an error with %q", tt.in, got, err, tt.wantErr)
			}
			continue
		}
		if got != tt.want || err != nil {
			t.Errorf("parseHostname(%q): got %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

// FuzzParseHostname: the parser never panics, and a name it returns is
// one line of the input, trimmed, that sethostname takes (1 to 64
// bytes, none of them space or a control character).
func FuzzParseHostname(f *testing.F) {
	for _, s := range []string{"vm1\n", "# c\n\nweb.example\n", "a b\n", "\r\n", strings.Repeat("x", 70)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		name, err := parseHostname([]byte(in))
		if err != nil || name == "" {
			return
		}
		if len(name) > maxHostname || strings.ContainsFunc(name, func(r rune) bool { return r <= ' ' || r >= 0x7f }) {
			t.Errorf("parseHostname(%q) = %q: not a name sethostname should get", in, name)
		}
		if !strings.Contains(in, name) {
			t.Errorf("parseHostname(%q) = %q: not in the input", in, name)
		}
	})
}
