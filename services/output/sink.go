package output

// Sink receives the lines of services. A line carries no newline; the sink
// adds its own. The slice is only valid during the call: a sink that keeps
// the line copies it. WriteLine may be called from many goroutines at once.
type Sink interface {
	WriteLine(service string, stream Stream, line []byte) error
}

// Discard is a sink that drops every line.
var Discard Sink = discard{}

type discard struct{}

func (discard) WriteLine(string, Stream, []byte) error { return nil }
