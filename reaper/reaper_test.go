package reaper

import (
	"errors"
	"io/fs"
	"strings"
	"syscall"
	"testing"
)

func TestExitCodes(t *testing.T) {
	r := newTestReaper(t, Options{})
	step := 1
	if testing.Short() { // under emulation in the microVMs
		step = 17
	}
	for code := 0; code <= 255; code += step {
		if e := run(t, r, helperSpec(t, "exit", itoa(code))); e.Code() != code || e.Status != code || e.Signal != 0 {
			t.Errorf("exit %d: got %+v (code %d)", code, e, e.Code())
		}
	}
}

func TestKilledBySignal(t *testing.T) {
	r := newTestReaper(t, Options{})
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGKILL, syscall.SIGUSR1, syscall.SIGSEGV} {
		e := run(t, r, helperSpec(t, "kill-self", itoa(int(sig))))
		if e.Signal != sig || e.Code() != 128+int(sig) {
			t.Errorf("kill-self %v: got %+v (code %d), want signal %v", sig, e, e.Code(), sig)
		}
	}
}

func TestStartErrors(t *testing.T) {
	r := newTestReaper(t, Options{})
	dir := t.TempDir()
	notExec := dir + "/not-executable"
	writeFile(t, notExec, "#!/bin/sh\n", 0o644)
	uid := uint32(65534)
	tests := []struct {
		name  string
		spec  *Spec
		stage Stage
		errno syscall.Errno
		is    error
		code  string
	}{
		{"not found", &Spec{Path: dir + "/missing"}, StageExec, syscall.ENOENT, fs.ErrNotExist, "127"},
		{"not executable", &Spec{Path: notExec}, StageExec, syscall.EACCES, fs.ErrPermission, "126"},
		{"directory", &Spec{Path: dir}, StageExec, syscall.EACCES, fs.ErrPermission, "126"},
		{"bad dir", &Spec{Path: self(t), Dir: dir + "/nowhere"}, StageChdir, syscall.ENOENT, fs.ErrNotExist, ""},
		{"dir not allowed for user", &Spec{Path: self(t), Dir: "/root", Credential: &Credential{UID: uid, GID: uid}},
			StageChdir, syscall.EACCES, fs.ErrPermission, ""},
		{"bad rlimit", &Spec{Path: self(t), Rlimits: []Rlimit{{Resource: syscall.RLIMIT_NOFILE, Cur: 10, Max: 5}}},
			StageRlimit, syscall.EINVAL, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := r.Start(tt.spec)
			if err == nil {
				p.Close()
				t.Fatal("Start succeeded")
			}
			var se *StartError
			if !errors.As(err, &se) {
				t.Fatalf("got %T %v, want *StartError", err, err)
			}
			if se.Stage != tt.stage || se.Err != tt.errno {
				t.Errorf("got stage %v errno %v, want %v %v", se.Stage, se.Err, tt.stage, tt.errno)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.is)
			}
			if !strings.Contains(err.Error(), tt.stage.String()) || !strings.Contains(err.Error(), tt.spec.Path) {
				t.Errorf("message %q does not name the stage and the program", err)
			}
			switch tt.code {
			case "127":
				if !se.NotFound() {
					t.Error("NotFound() = false")
				}
			case "126":
				if !se.NotExecutable() || se.NotFound() {
					t.Error("NotExecutable() = false")
				}
			}
		})
	}
}
