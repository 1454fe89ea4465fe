package services

import (
	"bytes"
	"fmt"
	"strings"
)

// envVar is one variable of an env_file or env table, with the line it
// came from in the env_file (0 for env).
type envVar struct {
	key, value string
	line       int
}

// envFileError is a problem at a line of an env_file.
type envFileError struct {
	line int
	msg  string
}

// parseEnvFile reads an env_file:
//
//	# comment            blank lines and comments are skipped
//	KEY=value            the value runs to the end of the line, or to " #"
//	export KEY=value     "export " is allowed and ignored
//	KEY = value          spaces around '=' are allowed
//	KEY="a\tb \"c\""     double quotes: \\ \" \n \t \r \$ escapes
//	KEY='a $b'           single quotes: taken literally
//
// There is no variable expansion and no multi-line value. It returns every
// error, each with its line.
func parseEnvFile(data []byte) ([]envVar, []envFileError) {
	var vars []envVar
	var errs []envFileError
	for i, raw := range bytes.Split(data, []byte("\n")) {
		line := strings.TrimSpace(strings.TrimSuffix(string(raw), "\r"))
		if line == "" || line[0] == '#' {
			continue
		}
		v, err := parseEnvLine(line)
		if err != nil {
			errs = append(errs, envFileError{i + 1, err.Error()})
			continue
		}
		v.line = i + 1
		vars = append(vars, v)
	}
	return vars, errs
}

func parseEnvLine(line string) (envVar, error) {
	if strings.IndexByte(line, 0) >= 0 {
		return envVar{}, fmt.Errorf("line contains a NUL byte")
	}
	line = strings.TrimPrefix(line, "export ")
	key, rest, ok := strings.Cut(line, "=")
	if !ok {
		return envVar{}, fmt.Errorf("want KEY=VALUE, got %q", truncate(line, 40))
	}
	key = strings.TrimSpace(key)
	if err := checkEnvName(key); err != nil {
		return envVar{}, err
	}
	val, err := parseEnvValue(rest)
	if err != nil {
		return envVar{}, fmt.Errorf("%s: %w", key, err)
	}
	return envVar{key: key, value: val}, nil
}

// parseEnvValue reads what follows KEY=, blanks first included: a
// comment after them leaves the value empty (A= # note).
func parseEnvValue(s string) (string, error) {
	t := strings.TrimLeft(s, " \t")
	if t == "" || len(t) < len(s) && t[0] == '#' {
		return "", nil
	}
	s = t
	var val, rest string
	var err error
	switch s[0] {
	case '\'':
		end := strings.IndexByte(s[1:], '\'')
		if end < 0 {
			return "", fmt.Errorf("missing closing single quote")
		}
		val, rest = s[1:1+end], s[2+end:]
	case '"':
		val, rest, err = unquoteEnv(s)
		if err != nil {
			return "", err
		}
	default:
		if i := strings.Index(s, " #"); i >= 0 {
			s = s[:i]
		}
		return strings.TrimRight(s, " \t"), nil
	}
	if rest = strings.TrimLeft(rest, " \t"); rest != "" && rest[0] != '#' {
		return "", fmt.Errorf("unexpected %q after the closing quote", truncate(rest, 20))
	}
	return val, nil
}

// envEscapes are the escapes of a double-quoted env_file value.
var envEscapes = map[byte]byte{'\\': '\\', '"': '"', 'n': '\n', 't': '\t', 'r': '\r', '$': '$', '`': '`'}

// unquoteEnv reads a double-quoted value at the start of s and returns it
// with what follows the closing quote.
func unquoteEnv(s string) (val, rest string, err error) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch c := s[i]; c {
		case '"':
			return b.String(), s[i+1:], nil
		case '\\':
			if i+1 == len(s) {
				return "", "", fmt.Errorf("missing closing double quote")
			}
			e, ok := envEscapes[s[i+1]]
			if !ok {
				return "", "", fmt.Errorf(`unknown escape "\%c" (the escapes are \\ \" \n \t \r \$ and \`+"`"+`)`, s[i+1])
			}
			b.WriteByte(e)
			i++
		default:
			b.WriteByte(c)
		}
	}
	return "", "", fmt.Errorf("missing closing double quote")
}

// checkEnvName accepts the names a shell can use: [A-Za-z_][A-Za-z0-9_]*.
func checkEnvName(name string) error {
	if name == "" {
		return fmt.Errorf("missing variable name before '='")
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || i > 0 && c >= '0' && c <= '9') {
			return fmt.Errorf("invalid variable name %q: use letters, digits and '_', not starting with a digit", truncate(name, 40))
		}
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
