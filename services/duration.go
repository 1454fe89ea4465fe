package services

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseDuration reads a non-negative duration written as Go writes them:
// "10s", "1m30s", "250ms", "1h". A bare number is refused, because it would
// be ambiguous between seconds and nanoseconds.
func ParseDuration(text string) (time.Duration, error) {
	d, err := time.ParseDuration(text)
	if err != nil {
		return 0, fmt.Errorf("invalid duration %q: %s", text, durationHint(text))
	}
	if d < 0 {
		return 0, fmt.Errorf("invalid duration %q: must not be negative", text)
	}
	return d, nil
}

// durationHint explains the most common mistakes in a duration.
func durationHint(text string) string {
	t := strings.TrimSpace(text)
	switch {
	case t == "":
		return `want a number with a unit, like "10s"`
	case strings.HasSuffix(t, "d"):
		return `days are not a unit; write hours, like "24h"`
	case strings.ContainsAny(t, " \t"):
		return `remove the spaces, like "1m30s"`
	}
	if _, err := strconv.ParseFloat(t, 64); err == nil {
		return fmt.Sprintf(`a number needs a unit, like "%ss" or "%sms"`, t, t)
	}
	return `want a number with a unit (h, m, s, ms, us, ns), like "10s", "1m30s" or "250ms"`
}

// formatDuration writes d in the largest unit that divides it exactly:
// "1h", "90s", "100ms", so that limits in messages read as the user writes
// them.
func formatDuration(d time.Duration) string {
	units := []struct {
		size time.Duration
		name string
	}{{time.Hour, "h"}, {time.Minute, "m"}, {time.Second, "s"}, {time.Millisecond, "ms"}, {time.Microsecond, "us"}}
	if d == 0 {
		return "0s"
	}
	for _, u := range units {
		if d%u.size == 0 {
			return strconv.FormatInt(int64(d/u.size), 10) + u.name
		}
	}
	return d.String()
}
