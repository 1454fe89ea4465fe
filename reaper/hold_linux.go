package reaper

import (
	"errors"
	"fmt"
	"os"
	"sync/atomic"
	"syscall"
)

// held has bit s-1 set for each signal that HoldSignals took: the
// reaper's handler has it for the rest of the process's life.
var held atomic.Uint64

// HoldSignals takes sigs from the Go runtime for the rest of the
// process's life, before any Reaper runs, as tini blocks its signals
// before it does anything else. A signal that comes while no Reaper runs
// is marked and waits: the next Reaper reports it (OnSignal) first thing.
// While a Reaper runs, they are its own Options.Signals, which must
// include them all. After the last Reaper has closed, they are marked
// and dropped, never given back to the Go runtime, whose default for
// most of them is to end the process. With ServeSignals, the main thread
// takes them from now on, blocked or not.
//
// It is what signal.Notify on a channel nobody reads yet would do, at a
// fraction of the cost: for each signal, the runtime makes a round trip
// to its signal-mask thread, two thread hand-offs, about 30 µs here and
// 1.8 ms for tinit's 55 signals (bench/RESULTS.md). Call it once, while
// no Reaper runs.
func HoldSignals(sigs []syscall.Signal) error {
	set, err := catchSetOf("hold signals", sigs)
	if err != nil {
		return err
	}
	if !running.CompareAndSwap(false, true) {
		return errors.New("hold signals: a reaper runs")
	}
	defer running.Store(false)
	if held.Load() != 0 {
		return errors.New("hold signals: already held")
	}
	atomic.StoreInt32(&catchSelf, int32(os.Getpid()))
	handler, restorer := catchAddrs()
	act := sigaction{handler: handler, flags: catchFlagsSA, restorer: restorer, mask: ^uint64(0)}
	old := make([]sigaction, len(sigs))
	for i, s := range sigs {
		if err := rtSigaction(s, &act, &old[i]); err != nil {
			for j := range i {
				rtSigaction(sigs[j], &old[j], nil)
			}
			return fmt.Errorf("hold signals: %w", err)
		}
	}
	held.Store(set)
	publishCatchSet(set)
	return nil
}
