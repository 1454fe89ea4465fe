package probe

import (
	"net/url"
	"strings"
	"testing"
)

// urlCases are URLs ParseURL must split as net/url does, or refuse.
var urlCases = []string{
	"http://127.0.0.1:8080/healthz?full=1", "http://localhost/health", "http://db", "HTTP://Db:80/", "http://db?x",
	"http://db/?", "http://db/a??b", "http://[::1]:8080/", "http://[::ffff:1.2.3.4]/", "http://[fe80::1%25eth0]:80/",
	"http://[fe80::1%eth0]/", "http://[fe80::1%25]/", "http://[1.2.3.4]/", "http://[::1]x/", "http://[::1", "http://[[::1]]/",
	"http://a[b]/", "http://:80/", "http://db:/", "http://db:8o/", "http://db:1:2/", "http://", "http:///x", "http:x",
	"http:/x", "https://db/", "ftp://db/", "mailto:a@b", "//db/x", "/x", "x", "", ":80", "127.0.0.1:8080/x",
	"[::1]:80/x", "db:8080/x", "1http://x", "h+t.t-p://x/", "http://user@db/", "http://u:p@ss@db/", "http://@db/",
	"http://u[@db/", "http://db/#", "http://db/#top", "http://db/#%zz", "http://db/a%2Fb%41", "http://db/a%zz",
	"http://db/a%4", "http://db/?q=100%", "http://db/a b", "http://db/?a b", "http://db/é", "http://db/?é",
	"http://db/a\tb", "http://db/\x7f", "http://db/{x}", "http://db/a|b", "http://db/a\\b", "http://db/a\"b",
	"http://db/[1]?a[]=1", "http://db/a;b,c=d:e@f!$&'()*+~", "http://host name/", "http://my_host/",
	"http://bücher.example/", "http://b%C3%BCcher/", "http://a<b/", "http://db/%", "*",
}

func TestParseURL(t *testing.T) {
	for _, raw := range urlCases {
		checkURL(t, raw)
	}
}

// checkURL checks that what ParseURL accepts net/url accepts too, and
// splits the same way; and that the String of a URL with a scheme and a
// host, the URL a probe asks for, reads back the same.
func checkURL(t *testing.T, raw string) {
	t.Helper()
	u, err := ParseURL(raw)
	if err != nil {
		if !strings.HasPrefix(err.Error(), "invalid URL ") {
			t.Errorf("ParseURL(%q): error %q, want one starting with invalid URL", raw, err)
		}
		return
	}
	want, err := url.Parse(raw)
	if err != nil {
		t.Errorf("ParseURL(%q) = %+v; net/url refuses it: %v", raw, u, err)
		return
	}
	if u.Scheme != want.Scheme || u.Host != want.Host || u.Hostname() != want.Hostname() || u.Port() != want.Port() ||
		u.HasUser != (want.User != nil) || u.HasFragment != (want.Fragment != "") {
		t.Errorf("ParseURL(%q) = %+v; net/url: %+v", raw, u, want)
	}
	if u.Scheme == "" || u.Host == "" {
		return
	}
	if want.Path == "" {
		want.Path = "/"
	}
	want.User, want.Fragment = nil, ""
	if u.String() != want.String() || u.requestTarget() != want.RequestURI() {
		t.Errorf("ParseURL(%q): String %q, request target %q; net/url: %q, %q",
			raw, u, u.requestTarget(), want, want.RequestURI())
	}
	// What config stores, and what the probe sends for it, today and
	// before: net/url took the request target and Host from String.
	if back, err := ParseURL(u.String()); err != nil || back.Scheme != u.Scheme || back.Host != u.Host ||
		back.requestTarget() != u.requestTarget() || back.HasUser || back.HasFragment {
		t.Errorf("ParseURL(%q) = %+v, %v; want %+v without user or fragment", u, back, err, u)
	}
	if again, err := url.Parse(u.String()); err != nil || again.RequestURI() != u.requestTarget() || again.Host != u.Host {
		t.Errorf("net/url reads %q as %v, %v", u, again, err)
	}
}

func TestParseURLParts(t *testing.T) {
	for _, tt := range []struct {
		raw                          string
		scheme, host, hostname, port string
		target, str                  string
	}{
		{"http://127.0.0.1:8080/healthz?full=1", "http", "127.0.0.1:8080", "127.0.0.1", "8080", "/healthz?full=1", "http://127.0.0.1:8080/healthz?full=1"},
		{"HTTP://Db", "http", "Db", "Db", "", "/", "http://Db/"},
		{"http://db:?", "http", "db:", "db", "", "/?", "http://db:/?"},
		{"http://u:p@[::1]:80/a%2F#x", "http", "[::1]:80", "::1", "80", "/a%2F", "http://[::1]:80/a%2F"},
		{"http://[fe80::1%25eth0]/", "http", "[fe80::1%eth0]", "fe80::1%eth0", "", "/", "http://[fe80::1%25eth0]/"},
	} {
		u, err := ParseURL(tt.raw)
		if err != nil || u.Scheme != tt.scheme || u.Host != tt.host || u.Hostname() != tt.hostname || u.Port() != tt.port ||
			u.requestTarget() != tt.target || u.String() != tt.str {
			t.Errorf("ParseURL(%q) = %q, %q, %q, %q, %q, %q, %v; want %q, %q, %q, %q, %q, %q", tt.raw,
				u.Scheme, u.Host, u.Hostname(), u.Port(), u.requestTarget(), u, err,
				tt.scheme, tt.host, tt.hostname, tt.port, tt.target, tt.str)
		}
	}
}

// TestParseURLEscapes: a URL whose path or query needs escaping is
// refused, with the character to encode and how.
func TestParseURLEscapes(t *testing.T) {
	for _, tt := range []struct{ raw, want string }{
		{"http://db/a b", `invalid URL "http://db/a b": percent-encode " " as %20`},
		{"http://db/?q=a b", `invalid URL "http://db/?q=a b": percent-encode " " as %20`},
		{"http://db/é", `invalid URL "http://db/é": percent-encode "é" as %C3%A9`},
		{"http://db/\xff", `invalid URL "http://db/\xff": percent-encode "\xff" as %FF`},
		{"http://db/a\tb", `invalid URL "http://db/a\tb": percent-encode "\t" as %09`},
		{"http://db/{x}", `invalid URL "http://db/{x}": percent-encode "{" as %7B`},
		{"http://db/?q=100%", `invalid URL "http://db/?q=100%": "%" is not a percent-escape (write "%" as %25)`},
		{"http://db/a%zz", `invalid URL "http://db/a%zz": "%zz" is not a percent-escape (write "%" as %25)`},
		{"http://host name/", `invalid URL "http://host name/"`},
	} {
		if _, err := ParseURL(tt.raw); err == nil || err.Error() != tt.want {
			t.Errorf("ParseURL(%q): got %v, want %s", tt.raw, err, tt.want)
		}
	}
}

// FuzzParseURL checks ParseURL against net/url on any text.
func FuzzParseURL(f *testing.F) {
	for _, s := range urlCases {
		f.Add(s)
	}
	f.Fuzz(checkURL)
}
