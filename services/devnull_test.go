package services

import "testing"

// TestNeedsDevNull: the supervisor opens /dev/null only when a process
// gets it, so that tinit -- CMD runs in a bare root without /dev, as
// tini does: the main service of single-command mode has its stdio
// handed on and no probe command.
func TestNeedsDevNull(t *testing.T) {
	tests := []struct {
		name   string
		config string
		handed bool // Options.Stdio for service "a"
		want   bool
	}{
		{"stdio handed on", `
[service.a]
command = ["/t/a"]`, true, false},
		{"stdio of its own", `
[service.a]
command = ["/t/a"]`, false, true},
		{"ready_command", `
[service.a]
command = ["/t/a"]
ready_command = ["/t/probe"]`, true, true},
		{"health command", `
[service.a]
command = ["/t/a"]
[service.a.health]
command = ["/t/probe"]`, true, true},
		{"health tcp", `
[service.a]
command = ["/t/a"]
[service.a.health]
tcp = "127.0.0.1:1"`, true, false},
		{"another service", `
[service.a]
command = ["/t/a"]
[service.b]
command = ["/t/b"]`, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opt := Options{Spawner: newFakeSpawner()}
			if tt.handed {
				opt.Stdio = map[string]Stdio{"a": {}}
			}
			s, err := New(parseConfig(t, tt.config), opt)
			if err != nil {
				t.Fatal(err)
			}
			if got := s.needsDevNull(); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
