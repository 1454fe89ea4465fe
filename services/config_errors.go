package services

import (
	"strconv"
	"strings"
)

// Problem is one thing wrong with a configuration.
type Problem struct {
	File    string // the configuration file, or the env_file the problem is in
	Line    int    // 1-based line in File
	Service string // the service whose table holds the key, or ""
	// Key is the key within the service's table ("health.interval"), or,
	// when Service is "", the key from the top of the file
	// ("tinit.exit_code"). It is "" when the problem is not about one key.
	Key string
	Msg string // what is wrong
}

// String writes the problem as tinit prints it:
//
//	file:line: service "x": key: what is wrong
//	file:line: tinit: key: what is wrong
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	b.WriteByte(':')
	b.WriteString(strconv.Itoa(p.Line))
	b.WriteString(": ")
	if p.Service != "" {
		b.WriteString("service " + strconv.Quote(p.Service) + ": ")
	}
	if key, ok := strings.CutPrefix(p.Key, "tinit."); ok && p.Service == "" {
		b.WriteString("tinit: " + key + ": ") // "tinit.exit_code" reads "tinit: exit_code: "
	} else if p.Key != "" {
		b.WriteString(p.Key + ": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// ConfigError lists every problem found in a configuration, sorted by line
// (a problem in an env_file sorts at the line of the env_file key that
// names it).
type ConfigError struct {
	Problems []Problem
}

// Error is what the user should see: one problem per line, in order.
func (e *ConfigError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}
