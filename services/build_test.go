package services

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

// TestNewServiceIsAFilesDefault: NewService gives what a file with only
// a command gives.
func TestNewServiceIsAFilesDefault(t *testing.T) {
	cfg := parseConfig(t, "[service.app]\ncommand = [\"/bin/app\", \"-x\"]\n")
	if got, want := NewService("app", []string{"/bin/app", "-x"}), cfg.Services[0]; !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%+v\nwant\n%+v", got, want)
	}
	if got, want := DefaultSettings(), cfg.Tinit; !reflect.DeepEqual(got, want) {
		t.Errorf("settings %+v, want %+v", got, want)
	}
}

func TestNewConfig(t *testing.T) {
	a, b := NewService("a", []string{"/a"}), NewService("b", []string{"/b"})
	b.Requires = []string{"a"}
	b.Main = true
	cfg, err := NewConfig(DefaultSettings(), b, a)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Services[0] != a || cfg.Tinit.ExitCode != ExitFirstFailure {
		t.Errorf("services %v, policy %v", cfg.Services, cfg.Tinit.ExitCode)
	}
	s := DefaultSettings()
	s.ExitCode = 0
	if cfg, _ := NewConfig(s, a, b); cfg.Tinit.ExitCode != ExitMain {
		t.Errorf("policy %v, want main", cfg.Tinit.ExitCode)
	}
	c := NewService("c", nil)
	c.Requires = []string{"nope"}
	_, err = NewConfig(s, a, c, NewService("a", []string{"/a2"}))
	for _, want := range []string{`service "c": no command`, `service "a": defined twice`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v: want %q", err, want)
		}
	}
}

// TestSingleCommandShape runs the supervisor as single-command mode will:
// one main service built in code, every signal forwarded, the rest left
// to the stragglers, exit code the main service's.
func TestSingleCommandShape(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		app := NewService("app", []string{"/t/app"})
		app.Main, app.Restart.Mode = true, RestartNo
		settings := DefaultSettings()
		settings.ShutdownTimeout = 2 * time.Second // the grace of the rest
		cfg, err := NewConfig(settings, app)
		if err != nil {
			t.Fatal(err)
		}
		fs := newFakeSpawner()
		fs.behave["/t/app"] = func(p *fakeProc) {
			p.ignore = []Signal{SIGHUP}
			p.exitAfter(time.Second, ExitStatus{Code: 7})
		}
		h := newHarness(t, cfg, fs)
		h.s.opt.SignalAction = func(Signal) SignalAction { return SignalAction{Do: SignalForward, Group: true} }
		h.s.opt.LeftoversToStragglers = true
		st := &fakeStragglers{}
		h.s.opt.Stragglers = st
		h.start()
		h.sigs <- SIGHUP
		res := h.wait()
		if res.Code != 7 {
			t.Errorf("exit code %d, want 7", res.Code)
		}
		if got := fs.last(t, "app").gotSignals(); strings.Join(got, " ") != "group HUP" {
			t.Errorf("app got %v: want SIGHUP to its group and nothing when it ended", got)
		}
		if got := strings.Join(st.sent, " "); got != "SIGTERM" || st.waited != 2*time.Second {
			t.Errorf("stragglers got %q and %v to go, want SIGTERM and the 2s grace", got, st.waited)
		}
	})
}

// fakeStragglers is one process left that ends at its SIGTERM.
// With stubborn set, it outlives its SIGTERM and ends at SIGKILL.
type fakeStragglers struct {
	sent     []string
	waited   time.Duration
	stubborn bool
}

func (f *fakeStragglers) StopDescendants(ctx context.Context, sig Signal) (int, error) {
	f.sent = append(f.sent, sig.String())
	d, _ := ctx.Deadline()
	f.waited = time.Until(d)
	if f.stubborn && sig != SIGKILL {
		<-ctx.Done()
		return 1, ctx.Err()
	}
	return 1, nil
}
