package probe

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"testing/synctest"
	"time"
)

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestTCP(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	if err := TCP(ctxT(t), addr); err != nil {
		t.Errorf("listening: got %v, want nil", err)
	}
	expired, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	if err := TCP(expired, addr); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("expired context: got %v, want context.DeadlineExceeded", err)
	}
	ln.Close()
	err = TCP(ctxT(t), addr)
	if !errors.Is(err, syscall.ECONNREFUSED) || !strings.Contains(err.Error(), addr) {
		t.Errorf("closed port: got %v, want ECONNREFUSED naming %s", err, addr)
	}
}

func TestHTTPStatus(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var code int
		fmt.Sscanf(r.URL.Path, "/%d", &code)
		w.WriteHeader(code)
	}))
	defer srv.Close()
	only503 := func(c int) bool { return c == 503 }
	for _, tt := range []struct {
		path string
		ok   func(int) bool
		want string // "" for success
	}{
		{"/200", nil, ""},
		{"/204", nil, ""},
		{"/399", nil, ""},
		{"/404", nil, "status 404"},
		{"/503", nil, "status 503"},
		{"/503", only503, ""},
		{"/200", only503, "status 200"},
	} {
		err := HTTP(ctxT(t), srv.URL+tt.path, tt.ok)
		if (tt.want == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want %q", tt.path, err, tt.want)
		}
	}
}

func TestHTTPNoRedirectNoKeepAlive(t *testing.T) {
	var followed, conns atomic.Int32
	var closeAsked atomic.Bool
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		closeAsked.Store(r.Close)
		if r.URL.Path == "/target" {
			followed.Add(1)
			return
		}
		http.Redirect(w, r, "/target", http.StatusFound)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	if err := HTTP(ctxT(t), srv.URL+"/", nil); err != nil {
		t.Errorf("302 with the default status check: got %v, want nil", err)
	}
	err := HTTP(ctxT(t), srv.URL+"/", func(c int) bool { return c == 200 })
	if err == nil || !strings.Contains(err.Error(), "status 302") {
		t.Errorf("302 when only 200 is ok: got %v", err)
	}
	if followed.Load() != 0 || conns.Load() != 2 || !closeAsked.Load() {
		t.Errorf("got %d followed redirects, %d connections, Connection: close %v; want 0, 2, true",
			followed.Load(), conns.Load(), closeAsked.Load())
	}
}

// TestHTTPEndlessBody: a body that never ends does not hold the probe.
func TestHTTPEndlessBody(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		chunk := make([]byte, 32<<10)
		for {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	if err := HTTP(ctxT(t), srv.URL, nil); err != nil {
		t.Errorf("got %v, want nil", err)
	}
}

func TestHTTPDeadline(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := HTTP(ctx, srv.URL, nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("got %v, want context.DeadlineExceeded", err)
	}
}

// TestHTTPRequestTarget: the request asks for the path and query as the
// URL writes them, "/" for none, and names the host as the URL does.
func TestHTTPRequestTarget(t *testing.T) {
	var target, host atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		target.Store(r.RequestURI)
		host.Store(r.Host)
	}))
	defer srv.Close()
	wantHost := strings.TrimPrefix(srv.URL, "http://")
	for _, tt := range []struct{ suffix, target string }{
		{"", "/"},
		{"?q=1", "/?q=1"},
		{"/a%2Fb;c/d%41?x=[1]&y=%20#top", "/a%2Fb;c/d%41?x=[1]&y=%20"},
	} {
		if err := HTTP(ctxT(t), srv.URL+tt.suffix, nil); err != nil {
			t.Fatalf("%s: %v", srv.URL+tt.suffix, err)
		}
		if target.Load() != tt.target || host.Load() != wantHost {
			t.Errorf("%s: asked for %v on host %v, want %s on %s", srv.URL+tt.suffix, target.Load(), host.Load(), tt.target, wantHost)
		}
	}
}

func TestHTTPBadURL(t *testing.T) {
	for _, u := range []string{"ftp://example.org/", "http://[::1", "no-scheme", "http://db/a b"} {
		if err := HTTP(ctxT(t), u, nil); err == nil || !strings.Contains(err.Error(), "probe http") {
			t.Errorf("HTTP(%q): got %v, want an error", u, err)
		}
	}
}

// TestHTTPIgnoresProxyEnv sets HTTP_PROXY to a recording proxy. Go never
// proxies loopback addresses, so the target listens on another address.
func TestHTTPIgnoresProxyEnv(t *testing.T) {
	ip := nonLoopback(t)
	var proxied, served atomic.Int32
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { proxied.Add(1) }))
	defer proxy.Close()
	ln, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
	if err != nil {
		t.Fatal(err)
	}
	target := &httptest.Server{Listener: ln, Config: &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { served.Add(1) })}}
	target.Start()
	defer target.Close()
	t.Setenv("HTTP_PROXY", proxy.URL)
	t.Setenv("http_proxy", proxy.URL)
	t.Setenv("NO_PROXY", "")
	t.Setenv("no_proxy", "")
	if err := HTTP(ctxT(t), target.URL, nil); err != nil {
		t.Fatal(err)
	}
	// The control: the environment does ask to proxy this URL. (Go reads
	// it once per process, so with -count=2 this is the first run's proxy.)
	req, _ := http.NewRequest(http.MethodGet, target.URL, nil)
	if u, err := http.ProxyFromEnvironment(req); u == nil || err != nil {
		t.Fatalf("control: the environment proxies %s through %v, %v; want a proxy", target.URL, u, err)
	}
	if served.Load() != 1 || proxied.Load() != 0 {
		t.Errorf("target served %d, proxy %d; want 1 and 0", served.Load(), proxied.Load())
	}
}

func nonLoopback(t *testing.T) string {
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil && !n.IP.IsLoopback() {
			return n.IP.String()
		}
	}
	t.Skip("no non-loopback IPv4 address: Go never proxies loopback, so this cannot be tested here")
	return ""
}

func TestPoll(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		var calls []time.Duration
		err := Poll(t.Context(), time.Second, func(context.Context) error {
			calls = append(calls, time.Since(start))
			time.Sleep(300 * time.Millisecond) // the call itself takes time
			if len(calls) < 3 {
				return errors.New("not yet")
			}
			return nil
		})
		want := []time.Duration{0, 1300 * time.Millisecond, 2600 * time.Millisecond}
		if err != nil || fmt.Sprint(calls) != fmt.Sprint(want) {
			t.Errorf("got calls at %v, %v, want %v, nil", calls, err, want)
		}
	})
}

func TestPollTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 2500*time.Millisecond)
		defer cancel()
		start := time.Now()
		calls := 0
		err := Poll(ctx, time.Second, func(context.Context) error {
			calls++
			return fmt.Errorf("refused %d", calls)
		})
		if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "refused 3") {
			t.Errorf("got %v, want the deadline and the last error", err)
		}
		if elapsed := time.Since(start); calls != 3 || elapsed != 2500*time.Millisecond {
			t.Errorf("got %d calls in %v, want 3 in 2.5s", calls, elapsed)
		}
	})
}

func TestPollBadInterval(t *testing.T) {
	if err := Poll(context.Background(), 0, func(context.Context) error { return nil }); err == nil {
		t.Error("interval 0: got nil, want an error")
	}
}

func TestParseStatusLine(t *testing.T) {
	for _, tt := range []struct {
		line string
		code int
	}{
		{"HTTP/1.1 200 OK\r\n", 200},
		{"HTTP/1.0 404 Not Found\r\n", 404},
		{"HTTP/1.1 204\r\n", 204},
		{"HTTP/1.1 302 Found\n", 302},
		{"HTTP/2 200\r\n", 0},
		{"SSH-2.0-OpenSSH_9.2\r\n", 0},
		{"HTTP/1.1 20 OK\r\n", 0},
		{"HTTP/1.1 abc OK\r\n", 0},
		{"HTTP/1.1 099 Low\r\n", 0},
		{"", 0},
	} {
		got, err := parseStatusLine(tt.line)
		if got != tt.code || (err == nil) != (tt.code != 0) {
			t.Errorf("parseStatusLine(%q) = %d, %v; want %d", tt.line, got, err, tt.code)
		}
	}
}

// TestHTTPNotHTTP: a server that answers something else than HTTP fails
// the probe, saying so.
func TestHTTPNotHTTP(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err == nil {
			c.Write([]byte("SSH-2.0-OpenSSH_9.2\r\n"))
			c.Close()
		}
	}()
	if err := HTTP(ctxT(t), "http://"+ln.Addr().String()+"/", nil); err == nil || !strings.Contains(err.Error(), "not an HTTP/1 status line") {
		t.Errorf("got %v, want an error about the status line", err)
	}
}
