package output

import "fmt"

// Stream says which output of a service a line came from.
type Stream uint8

// The streams of a service.
const (
	Stdout Stream = iota + 1
	Stderr
)

// String returns "stdout" or "stderr".
func (s Stream) String() string {
	switch s {
	case Stdout:
		return "stdout"
	case Stderr:
		return "stderr"
	}
	return fmt.Sprintf("stream(%d)", uint8(s))
}

// Format is how a sink renders a line.
type Format uint8

// The formats of tinit's log_format setting.
const (
	Text Format = iota // console: "name | line"; file: the line as written
	JSON               // one JSON object per line
)

// String returns the configuration name of the format.
func (f Format) String() string {
	switch f {
	case Text:
		return "text"
	case JSON:
		return "json"
	}
	return fmt.Sprintf("format(%d)", uint8(f))
}

// ParseFormat returns the format named s ("text" or "json").
func ParseFormat(s string) (Format, error) {
	switch s {
	case "text":
		return Text, nil
	case "json":
		return JSON, nil
	}
	return 0, fmt.Errorf("parse log format %q: want \"text\" or \"json\"", s)
}
