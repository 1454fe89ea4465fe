// Package output carries what services write on stdout and stderr to where
// it belongs: tinit's console (prefixed text or JSON lines), a size-rotated
// file per service, and an in-memory ring of the last lines for
// `tinit ctl logs`.
//
// A [Forwarder] owns the read end of one service pipe. Its goroutine splits
// the byte stream into lines and hands each line to every [Sink]:
//
//	fw := output.Forward(r, "web", output.Stdout, 0, console, file, ring)
//	...
//	err := fw.Drain(time.Now().Add(2 * time.Second)) // at stop or restart
//
// Lines. A line ends at '\n'; a "\r\n" ending is stripped as a whole, so a
// CRLF line and an LF line look the same (a lone '\r' is kept). A line longer
// than the limit (4 KiB by default) is cut into several, never inside a UTF-8
// sequence. A last line without newline is delivered at EOF as a full line.
// Sinks add the newline back; the line they receive carries none.
//
// Nothing read is lost: Drain returns only after every byte read from the
// pipe has been handed to the sinks; at the deadline it also sweeps what the
// pipe still buffers (Linux) before giving up on writers that keep it open.
//
// Sinks. [Console] writes each line with one Write under its own mutex, so
// many forwarders can share it without lines interleaving. It never drops:
// a slow console (a serial line) slows the services that write to it, as
// their pipes fill. [FileSink]
// rotates name.log to name.log.1 … name.log.N; when the file cannot be
// written it drops the line, counts it ([FileSink.Dropped]) and reports the
// failure once through its OnError callback. [Ring] keeps the last lines,
// bounded in count and bytes. [Discard] drops everything; the pipe is still
// drained so a service never blocks on a full pipe.
//
// JSON. The JSON format writes one object per line:
// {"time":"2006-01-02T15:04:05.000000Z","service":"web","stream":"stdout","line":"..."}.
// The output is valid JSON for any input: each byte that is not part of
// valid UTF-8 becomes U+FFFD (as encoding/json does) and control characters
// are escaped.
//
// tinit's own messages. [Log] writes them to the console in the same two
// formats: "tinit: [warning: ][service: ]message", or
// {"time":…,"level":"INFO","msg":…,"service":"web"}.
//
// This package writes only what it is handed, never exits and starts no
// process; it imports no other tinit package. Failures are returned,
// counted or handed to the caller's callback.
package output
