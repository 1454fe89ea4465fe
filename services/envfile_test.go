package services

import (
	"reflect"
	"testing"
)

func TestParseEnvFile(t *testing.T) {
	data := "# comment\n" +
		"\n" +
		"PLAIN=value\n" +
		"export EXPORTED=yes\n" +
		"  SPACED  =  padded value  \n" +
		"COMMENTED=abc # a comment\n" +
		"HASH=a#b\n" +
		"DQ=\"a\\tb \\\"c\\\" \\$HOME\\n\"\n" +
		"SQ='it is $HOME \\n'\n" +
		"EMPTY=\n" +
		"QUOTED_EMPTY=\"\"\n" +
		"URL=http://x/?a=b&c=d\n" +
		"CRLF=dos\r\n" +
		"TRAIL=\"x\" # ok\n" +
		"BLANK_COMMENT= # nothing\n" +
		"HASH_FIRST=#tag\n"
	vars, errs := parseEnvFile([]byte(data))
	if len(errs) != 0 {
		t.Fatalf("parseEnvFile: errors %v", errs)
	}
	got := map[string]string{}
	for _, v := range vars {
		got[v.key] = v.value
	}
	want := map[string]string{
		"PLAIN": "value", "EXPORTED": "yes", "SPACED": "padded value", "COMMENTED": "abc", "HASH": "a#b",
		"DQ": "a\tb \"c\" $HOME\n", "SQ": "it is $HOME \\n", "EMPTY": "", "QUOTED_EMPTY": "", "URL": "http://x/?a=b&c=d",
		"CRLF": "dos", "TRAIL": "x", "BLANK_COMMENT": "", "HASH_FIRST": "#tag",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("parseEnvFile:\n got %q\nwant %q", got, want)
	}
}

func TestParseEnvFileErrors(t *testing.T) {
	tests := []struct {
		line string
		ok   bool
	}{
		{"A=1", true},
		{"1A=1", false},
		{"A-B=1", false},
		{"NOEQUALS", false},
		{"=1", false},
		{"A=\"open", false},
		{"A='open", false},
		{"A=\"x\" y", false},
		{"A='x' y", false},
		{"A=\"\\q\"", false},
		{"A=\"ends with backslash\\", false},
		{"A=x\x00y", false},
		{"export =1", false},
	}
	for _, tt := range tests {
		_, errs := parseEnvFile([]byte(tt.line + "\n"))
		if (len(errs) == 0) != tt.ok {
			t.Errorf("parseEnvFile(%q): errors %v, want ok %v", tt.line, errs, tt.ok)
		}
		for _, e := range errs {
			if e.line != 1 {
				t.Errorf("parseEnvFile(%q): error at line %d, want 1", tt.line, e.line)
			}
		}
	}
}

func FuzzParseEnvFile(f *testing.F) {
	f.Add([]byte("A=1\nexport B=\"x\\ty\"\nC='z'\n# c\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		vars, errs := parseEnvFile(data)
		for _, v := range vars {
			if checkEnvName(v.key) != nil || v.line < 1 {
				t.Fatalf("variable %q at line %d accepted", v.key, v.line)
			}
		}
		for _, e := range errs {
			if e.line < 1 || e.msg == "" {
				t.Fatalf("error %+v without line or message", e)
			}
		}
	})
}
