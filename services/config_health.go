package services

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/tinit/tinit/services/probe"
)

// healthBuilder collects a [service.NAME.health] table.
type healthBuilder struct {
	h     *HealthCheck
	kinds []string // the probe keys present
}

// healthKeys are the keys of a [service.NAME.health] table.
var healthKeys = []keySpec[*healthBuilder]{
	{"command", func(v value, b *healthBuilder) {
		b.probe(v, HealthCommand)
		b.h.Command, _ = v.argv()
	}},
	{"tcp", func(v value, b *healthBuilder) {
		b.probe(v, HealthTCP)
		b.h.Address, _ = v.address()
	}},
	{"http", func(v value, b *healthBuilder) {
		b.probe(v, HealthHTTP)
		b.h.URL, b.h.Address, _ = v.httpURL()
	}},
	{"http_status", setHTTPStatus},
	{"interval", func(v value, b *healthBuilder) { b.h.Interval, _ = v.duration(minInterval, maxInterval) }},
	{"timeout", func(v value, b *healthBuilder) { b.h.Timeout, _ = v.duration(minInterval, maxInterval) }},
	{"retries", func(v value, b *healthBuilder) {
		n, _ := v.integer(1, maxRetries)
		b.h.Retries = int(n)
	}},
	{"start_period", func(v value, b *healthBuilder) { b.h.StartPeriod, _ = v.duration(0, maxLongPeriod) }},
}

func (b *healthBuilder) probe(v value, k HealthKind) {
	b.h.Kind = k
	b.kinds = append(b.kinds, k.String())
}

func setHealth(v value, sb *serviceBuilder) {
	b := &healthBuilder{h: &HealthCheck{
		StatusLo: 200, StatusHi: 399,
		Interval: defaultHealthInterval, Timeout: defaultHealthTimeout, Retries: defaultHealthRetries,
	}}
	seen := decodeTable(v, healthKeys, b)
	if seen == nil {
		return
	}
	status, hasStatus := seen["http_status"]
	switch {
	case len(b.kinds) == 0:
		v.fail("needs one of command, tcp or http")
	case len(b.kinds) > 1:
		v.fail("has %s: a health check probes one way; keep one", strings.Join(b.kinds, " and "))
	case hasStatus && b.h.Kind != HealthHTTP:
		status.fail("only applies to an http check")
	case b.h.Timeout > b.h.Interval:
		at, ok := seen["timeout"]
		if !ok {
			at = seen["interval"]
		}
		at.fail("timeout %s is longer than interval %s", formatDuration(b.h.Timeout), formatDuration(b.h.Interval))
	}
	sb.s.Health = b.h
}

// httpURL reads an http:// URL and returns it with the "host:port" to
// connect to.
func (v value) httpURL() (string, string, bool) {
	text, ok := v.str()
	if !ok {
		return "", "", false
	}
	if len(text) > maxURLLen {
		v.fail("URL is longer than the limit of %d bytes", maxURLLen)
		return "", "", false
	}
	u, err := probe.ParseURL(text)
	switch {
	case err != nil:
		v.fail("%v", err)
	case u.Scheme == "https":
		v.fail("https is not supported (the probe speaks plain HTTP); use tcp, or a command such as curl")
	case u.Scheme != "http" || u.Host == "":
		v.fail("invalid URL %q: want http://host:port/path", text)
	case u.HasUser || u.HasFragment:
		v.fail("invalid URL %q: no user or #fragment", text)
	default:
		return urlAddress(v, u)
	}
	return "", "", false
}

func urlAddress(v value, u probe.URL) (string, string, bool) {
	port := u.Port()
	if port == "" {
		port = "80"
	}
	addr := probe.JoinHostPort(u.Hostname(), port)
	if err := checkAddress(addr); err != nil {
		v.fail("%v", err)
		return "", "", false
	}
	return u.String(), addr, true
}

// setHTTPStatus reads the healthy status range: 200, or "200-399".
func setHTTPStatus(v value, b *healthBuilder) {
	lo, hi, err := int64(0), int64(0), error(nil)
	switch x := v.v.(type) {
	case int64:
		lo, hi = x, x
	case string:
		l, h, isRange := strings.Cut(x, "-")
		if !isRange {
			h = l
		}
		lo, err = strconv.ParseInt(l, 10, 64)
		if err == nil {
			hi, err = strconv.ParseInt(h, 10, 64)
		}
	default:
		v.wrongType(`a status like 200, or a range like "200-399"`)
		return
	}
	if err != nil || lo < 100 || hi > 599 || lo > hi {
		v.fail(`invalid status %v: want a status from 100 to 599, or a range like "200-399"`, fmt.Sprint(v.v))
		return
	}
	b.h.StatusLo, b.h.StatusHi = int(lo), int(hi)
}
