package services

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"

	"github.com/tinit/tinit/services/cgroup"
	"github.com/tinit/tinit/services/notify"
	"github.com/tinit/tinit/services/output"
)

// notifyServer is the part of *notify.Server the supervisor uses.
type notifyServer interface {
	Addr() string
	Serve(deliver func(notify.Message), reject func(error)) error
	Close() error
}

func listenNotify(addr string) (notifyServer, error) { return notify.Listen(addr) }

// senderInfo is what tinit learns of a notification's sender the moment
// it arrives, while the sender still lives (systemd-notify waits for its
// BARRIER=1 to be processed, so it is alive when its READY=1 arrives).
type senderInfo struct {
	chain  []int32 // the sender, its parent, ... up to tinit's child
	cgroup string  // the last element of its cgroup path
}

// readSender finds the sender's ancestors below tinit, and its cgroup.
func readSender(pid int32) senderInfo {
	info := senderInfo{}
	self := int32(os.Getpid())
	for p := pid; p > 1 && p != self && len(info.chain) < 64; {
		info.chain = append(info.chain, p)
		st, err := notify.ReadProcStat(p)
		if err != nil {
			break
		}
		p = st.PPID
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(int(pid)) + "/cgroup")
	if err == nil {
		info.cgroup = cgroupLeaf(b)
	}
	return info
}

// cgroupLeaf returns the last element of the unified hierarchy's path in
// a /proc/PID/cgroup file ("0::/tinit/web" gives "web"), when its parent
// is tinit's services group.
func cgroupLeaf(b []byte) string {
	for line := range bytes.Lines(b) {
		path, ok := strings.CutPrefix(strings.TrimSpace(string(line)), "0::")
		if !ok {
			continue
		}
		dir, leaf, _ := cutLast(path, "/")
		if _, parent, _ := cutLast(dir, "/"); parent == cgroup.ServicesGroup {
			return leaf
		}
	}
	return ""
}

func cutLast(s, sep string) (before, after string, found bool) {
	if i := strings.LastIndex(s, sep); i >= 0 {
		return s[:i], s[i+len(sep):], true
	}
	return "", s, false
}

// startNotify opens the notification socket, when a notify service needs
// it, and serves it from a goroutine that posts each message.
func (s *Supervisor) startNotify() error {
	need := false
	for _, svc := range s.cfg.Services {
		need = need || svc.Type == TypeNotify
	}
	if !need {
		return nil
	}
	addr := s.opt.NotifySocket
	if addr == "" {
		addr = uniqueAbstract()
	}
	srv, err := s.listen(addr)
	if err != nil {
		return err
	}
	s.notifyAddr = srv.Addr()
	s.closers = append(s.closers, srv)
	s.goSafe(nil, 0, "the notification socket", func() {
		err := srv.Serve(func(m notify.Message) {
			s.post(evNotify{msg: m, from: s.sender(m.PID)})
		}, func(err error) {
			s.logf(output.LevelDebug, nil, "%v", err)
		})
		if err != nil {
			s.logf(output.LevelError, nil, "notification socket %q: %v; notify services can no longer become ready", s.notifyAddr, err)
		}
	})
	return nil
}

// uniqueAbstract is an abstract socket address no other tinit uses: two
// in one network namespace may share a pid (each PID 1 of its own PID
// namespace), so 48 random bits follow it. They come from the runtime's
// generator, as the probes' DNS IDs do: getrandom(2) can wait seconds
// early in a VM's boot, and crypto/rand would link a DRBG and AES.
func uniqueAbstract() string {
	return fmt.Sprintf("@tinit/notify/%d-%012x", os.Getpid(), rand.Uint64()>>16)
}

// evNotify: an sd_notify message arrived.
type evNotify struct {
	msg  notify.Message
	from senderInfo
}

func (e evNotify) apply(s *Supervisor) {
	u := s.notifier(e.from)
	if u == nil {
		s.logf(output.LevelDebug, nil, "notification from pid %d, which is no service's, ignoring", e.msg.PID)
		return
	}
	s.onNotify(u, e.msg)
}

// notifier finds the service whose process, or a process below it, or a
// process in its cgroup, sent a notification.
func (s *Supervisor) notifier(from senderInfo) *unit {
	for _, pid := range from.chain {
		if u := s.byPid[int(pid)]; u != nil {
			return u
		}
	}
	if u := s.named[from.cgroup]; u != nil && u.group != nil && u.live() {
		return u
	}
	return nil
}

// onNotify acts on a message of u's: READY=1 makes a notify service
// ready; STATUS= is kept for the status request; STOPPING=1 is noted.
func (s *Supervisor) onNotify(u *unit, m notify.Message) {
	if m.HasStatus {
		u.status = m.Status
		s.logf(output.LevelDebug, u, "status: %s", m.Status)
	}
	if m.Stopping {
		s.logf(output.LevelInfo, u, "says it is stopping")
	}
	if m.Ready && u.svc.Type == TypeNotify && u.state == StateStarting {
		s.becomeReady(u, "READY=1")
	}
}
