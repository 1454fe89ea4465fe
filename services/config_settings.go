package services

import (
	"path"
	"strings"
)

func defaultSettings() Settings {
	return Settings{
		ShutdownTimeout: defaultShutdownTimeout,
		LogFormat:       LogText,
		LogLevel:        logLevels[1],
		ControlSocket:   defaultControlSocket,
	}
}

// settingsKeys are the keys of the [tinit] table.
var settingsKeys = []keySpec[*Settings]{
	{"shutdown_timeout", func(v value, s *Settings) {
		if d, ok := v.duration(0, maxStopTimeout); ok {
			s.ShutdownTimeout = d
		}
	}},
	{"exit_code", func(v value, s *Settings) {
		if i, ok := exitPolicyNames.parse(v, "policy"); ok {
			s.ExitCode = ExitPolicy(i)
		}
	}},
	{"log_format", func(v value, s *Settings) {
		if i, ok := logFormatNames.parse(v, "format"); ok {
			s.LogFormat = LogFormat(i)
		}
	}},
	{"log_level", func(v value, s *Settings) {
		if i, ok := logLevelNames.parse(v, "level"); ok {
			s.LogLevel = logLevels[i]
		}
	}},
	{"control_socket", func(v value, s *Settings) {
		p, ok := v.str()
		switch {
		case !ok:
		case p == "":
			s.ControlSocket = ""
		case !path.IsAbs(p) || strings.IndexByte(p, 0) >= 0:
			v.fail("%q must be an absolute path, or \"\" for no control socket", p)
		case len(p) > maxSocketPath:
			v.fail("path is %d bytes, longer than the limit of %d for a unix socket", len(p), maxSocketPath)
		default:
			s.ControlSocket = path.Clean(p)
		}
	}},
}

// settings decodes the [tinit] table.
func (d *decoder) settings(v value, s *Settings, set map[string]value) {
	for k, c := range decodeTable(v, settingsKeys, s) {
		set["tinit."+k] = c
	}
}
