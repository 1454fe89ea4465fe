package probe

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"
)

// TCP succeeds when a connection to addr ("host:port") is established
// before ctx ends; the connection is closed at once.
func TCP(ctx context.Context, addr string) error {
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("probe tcp %q: %w", addr, err)
	}
	c.Close()
	return nil
}

// maxBody is how much of a response body an HTTP probe reads.
const maxBody = 64 << 10

// client makes one connection per request, ignores the proxy environment
// and returns redirects as they are.
var client = &http.Client{
	Transport: &http.Transport{
		Proxy:                  nil,
		DialContext:            (&net.Dialer{}).DialContext,
		DisableKeepAlives:      true,
		DisableCompression:     true,
		MaxResponseHeaderBytes: 64 << 10,
	},
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// OKStatus reports whether an HTTP status means healthy when the caller
// did not say: 200 to 399, as redirects are not followed.
func OKStatus(code int) bool { return code >= 200 && code < 400 }

// HTTP sends a GET to rawURL and succeeds when ok (nil: OKStatus) accepts
// the response's status, all before ctx ends.
func HTTP(ctx context.Context, rawURL string, ok func(status int) bool) error {
	if ok == nil {
		ok = OKStatus
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return fmt.Errorf("probe http %q: %w", rawURL, err)
	}
	req.Header.Set("User-Agent", "tinit-probe")
	resp, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // it repeats the method and URL
		}
		return fmt.Errorf("probe http %q: %w", rawURL, err)
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, maxBody))
	resp.Body.Close()
	if !ok(resp.StatusCode) {
		return fmt.Errorf("probe http %q: status %d", rawURL, resp.StatusCode)
	}
	return nil
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
