package probe

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// TCP succeeds when a connection to addr ("host:port") is established
// before ctx ends; the connection is closed at once.
func TCP(ctx context.Context, addr string) error {
	c, err := dialTCP(ctx, addr)
	if err != nil {
		return fmt.Errorf("probe tcp %q: %w", addr, err)
	}
	c.Close()
	return nil
}

// maxHead bounds the status line an HTTP probe reads.
const maxHead = 4 << 10

// OKStatus reports whether an HTTP status means healthy when the caller
// did not say: 200 to 399, as redirects are not followed.
func OKStatus(code int) bool { return code >= 200 && code < 400 }

// HTTP sends a GET to rawURL (http://, plain HTTP/1.1) and succeeds when
// ok (nil: OKStatus) accepts the response's status, all before ctx ends.
// It speaks just enough HTTP for a health check, on a connection of its
// own that it closes after the status line: no proxy, no redirect
// followed, no body read. (net/http would triple tinit's size, TLS and
// all, for this one request.)
func HTTP(ctx context.Context, rawURL string, ok func(status int) bool) error {
	if ok == nil {
		ok = OKStatus
	}
	status, err := get(ctx, rawURL)
	if err != nil {
		if ctx.Err() != nil {
			err = fmt.Errorf("%w (%v)", context.Cause(ctx), err)
		}
		return fmt.Errorf("probe http %q: %w", rawURL, err)
	}
	if !ok(status) {
		return fmt.Errorf("probe http %q: status %d", rawURL, status)
	}
	return nil
}

// get sends the request and returns the response's status code.
func get(ctx context.Context, rawURL string) (int, error) {
	u, err := ParseURL(rawURL)
	if err != nil {
		return 0, err
	}
	if u.Scheme != "http" || u.Host == "" {
		return 0, errors.New("want an http:// URL with a host")
	}
	addr := u.Host
	if u.Port() == "" {
		addr = JoinHostPort(u.Hostname(), "80")
	}
	c, err := dialTCP(ctx, addr) // its reads and writes end with ctx
	if err != nil {
		return 0, err
	}
	defer c.Close()
	if _, err := fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: tinit-probe\r\nAccept: */*\r\nConnection: close\r\n\r\n", u.requestTarget(), u.Host); err != nil {
		return 0, err
	}
	line, err := bufio.NewReaderSize(io.LimitReader(c, maxHead), maxHead).ReadString('\n')
	if err != nil {
		return 0, fmt.Errorf("read the status line: %w", err)
	}
	return parseStatusLine(line)
}

// parseStatusLine reads the code of "HTTP/1.1 200 OK\r\n".
func parseStatusLine(line string) (int, error) {
	proto, rest, _ := strings.Cut(strings.TrimRight(line, "\r\n"), " ")
	code, _, _ := strings.Cut(rest, " ")
	n, err := strconv.Atoi(code)
	if !strings.HasPrefix(proto, "HTTP/1.") || err != nil || len(code) != 3 || n < 100 {
		return 0, fmt.Errorf("not an HTTP/1 status line: %q", line)
	}
	return n, nil
}

// Poll calls fn until it succeeds or ctx ends, the first time at once and
// then interval after each failed call returned. It returns nil on
// success, or ctx's error together with fn's last error.
func Poll(ctx context.Context, interval time.Duration, fn func(context.Context) error) error {
	if interval <= 0 {
		return fmt.Errorf("poll: interval %v is not positive", interval)
	}
	for {
		err := fn(ctx)
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("poll: %w (last attempt: %w)", context.Cause(ctx), err)
		case <-time.After(interval):
		}
	}
}
