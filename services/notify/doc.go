// Package notify receives the readiness notifications of services: the
// sd_notify protocol on a unix datagram socket (NOTIFY_SOCKET), and s6's
// notification fd (a newline written to a pipe).
//
// A [Server] owns one socket, at a filesystem path or in the abstract
// namespace ("@name"), both valid NOTIFY_SOCKET values. The kernel attaches
// the sender's credentials to every datagram (SO_PASSCRED); a [Message]
// carries them as they came, and the caller decides which service sent it
// by that pid ([PidInTree] and [ReadProcStat] help match the children of a
// service). A datagram is accepted whole or rejected whole: too long
// (over [MaxDatagram] bytes), without credentials, not UTF-8, or with a
// malformed value for a known key, it is counted ([Server.Bad]) and
// returned as a [*DatagramError]. Unknown keys are ignored. File
// descriptors passed along (FDSTORE, BARRIER) are closed at once: the fd
// store is not supported, and closing is what a BARRIER=1 sender waits for.
//
// [WaitFD] waits for the newline of an s6-style notification fd.
//
// This package never logs and starts no goroutine that outlives a call; it
// imports no other tinit package. Outside Linux, Listen fails.
package notify
