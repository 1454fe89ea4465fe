package main

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/tinit/tinit/reaper"
)

// mode is what tinit was asked to do.
type mode int

const (
	modeSingle   mode = iota // tinit [options] -- CMD [ARGS]
	modeServices             // tinit --config FILE
	modeCheck                // tinit check FILE
	modeVersion              // tinit --version
	modeHelp                 // tinit -h
)

// options are the command line and its TINIT_* environment forms.
type options struct {
	mode       mode
	command    []string
	configPath string

	groupSignals bool                              // -g
	remap        [256]bool                         // -e CODE: exit codes reported as 0
	pdeathsig    syscall.Signal                    // -p SIG
	warnReap     bool                              // -w
	verbosity    int                               // -v (repeatable); 0 warnings and errors, -1 errors only
	rewrite      map[syscall.Signal]syscall.Signal // --rewrite S:R (R = 0 drops S)
	grace        time.Duration                     // --grace
	exitAtOnce   bool                              // --exit-at-once
	disable      reaper.Feature                    // TINIT_DISABLE_FEATURES

	// machine: tinit is the init of a machine (pid1.Machine), which
	// mounts the early filesystems, runs defaultConfigPath when told
	// nothing, takes SIGINT (Ctrl-Alt-Del) for a request to power off,
	// and powers off at the end. Not an option: the kernel decides it.
	machine bool
}

// defaultConfigPath is the services file of a machine that is told
// nothing: where tinit-image --config puts it.
const defaultConfigPath = "/etc/tinit/services.toml"

// The exit codes of tinit itself; otherwise it exits with the child's.
const (
	exitFailure   = 1 // tinit could not do its job (the reason is printed)
	exitUsage     = 2 // bad command line or configuration
	defaultGrace  = 5 * time.Second
	maxVerbosity  = 3
	maxGrace      = 24 * time.Hour
	usageHint     = "run 'tinit --help' for usage"
	envVerbosity  = "TINIT_VERBOSITY"
	tiniVerbosity = "TINI_VERBOSITY"
	envSubreaper  = "TINIT_SUBREAPER"
	envGroup      = "TINIT_KILL_PROCESS_GROUP"
	tiniGroup     = "TINI_KILL_PROCESS_GROUP"
	envRemap      = "TINIT_REMAP_EXIT"
	envPdeathsig  = "TINIT_PARENT_DEATH_SIGNAL"
	envWarnReap   = "TINIT_WARN_ON_REAP"
	envRewrite    = "TINIT_REWRITE"
	envGrace      = "TINIT_GRACE"
	envExitAtOnce = "TINIT_EXIT_AT_ONCE"
	envFeatures   = "TINIT_DISABLE_FEATURES"
)

// The exit codes of a program that does not start, as a shell has them.
const (
	exitNotExecutable = 126
	exitNotFound      = 127
)

// parseArgs reads the environment first, then the command line, which
// wins. Short options group as with getopt (-vvg); the first argument
// that is not an option, or everything after --, is the command. A
// machine's init (pid1.Machine) given no command and no --config runs
// defaultConfigPath, if exists says it is there.
func parseArgs(args []string, lookupEnv func(string) (string, bool), machine bool, exists func(string) bool) (*options, error) {
	o := &options{grace: defaultGrace, machine: machine}
	if err := o.fromEnv(lookupEnv); err != nil {
		return nil, err
	}
	if len(args) > 0 && args[0] == "check" {
		if len(args) != 2 {
			return nil, fmt.Errorf("check takes one configuration file, got %d arguments", len(args)-1)
		}
		o.mode, o.configPath = modeCheck, args[1]
		return o, nil
	}
	for len(args) > 0 {
		arg := args[0]
		args = args[1:]
		switch {
		case arg == "--":
			o.command = args
			args = nil
		case strings.HasPrefix(arg, "--"):
			var err error
			if args, err = o.long(arg, args); err != nil {
				return nil, err
			}
		case strings.HasPrefix(arg, "-") && len(arg) > 1:
			var err error
			if args, err = o.short(arg[1:], args); err != nil {
				return nil, err
			}
		default:
			o.command = append([]string{arg}, args...)
			args = nil
		}
	}
	return o, o.check(exists)
}

// check decides the mode and rejects what does not go together.
func (o *options) check(exists func(string) bool) error {
	switch {
	case o.mode == modeHelp || o.mode == modeVersion:
		return nil
	case o.configPath != "" && len(o.command) > 0:
		return errors.New("give either --config FILE or a command, not both")
	case o.configPath != "":
		o.mode = modeServices
	case len(o.command) > 0: // tinit [--] PROGRAM
	case o.machine && exists(defaultConfigPath):
		o.mode, o.configPath = modeServices, defaultConfigPath
	case o.machine:
		return fmt.Errorf("no command given, and no %s", defaultConfigPath)
	default:
		return errors.New("no command given")
	}
	return nil
}

// fileExists says whether path names something (a dangling symlink does
// not count).
func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// long handles --name and --name=value.
func (o *options) long(arg string, rest []string) ([]string, error) {
	name, value, hasValue := strings.Cut(arg[2:], "=")
	takeValue := func() (string, error) {
		if hasValue {
			return value, nil
		}
		if len(rest) == 0 {
			return "", fmt.Errorf("option --%s needs a value", name)
		}
		value, rest = rest[0], rest[1:]
		return value, nil
	}
	flag := func(set func()) error {
		if hasValue {
			return fmt.Errorf("option --%s takes no value", name)
		}
		set()
		return nil
	}
	var err error
	switch name {
	case "help":
		err = flag(func() { o.mode = modeHelp })
	case "version":
		err = flag(func() { o.mode = modeVersion })
	case "verbose":
		err = flag(func() { o.verbosity++ })
	case "exit-at-once":
		err = flag(func() { o.exitAtOnce = true })
	case "config", "grace", "rewrite":
		var v string
		if v, err = takeValue(); err == nil {
			err = o.setValue(name, v)
		}
	default:
		err = fmt.Errorf("unknown option --%s", name)
	}
	return rest, err
}

// short handles one getopt-style group of single-letter options.
func (o *options) short(group string, rest []string) ([]string, error) {
	for i := 0; i < len(group); i++ {
		c := group[i]
		switch c {
		case 'h':
			o.mode = modeHelp
		case 's': // tinit is a subreaper whenever it is not PID 1
		case 'g':
			o.groupSignals = true
		case 'w':
			o.warnReap = true
		case 'v':
			o.verbosity++
		case 'e', 'p', 'c':
			value := group[i+1:]
			if value == "" {
				if len(rest) == 0 {
					return nil, fmt.Errorf("option -%c needs a value", c)
				}
				value, rest = rest[0], rest[1:]
			}
			return rest, o.setValue(map[byte]string{'e': "remap", 'p': "pdeathsig", 'c': "config"}[c], value)
		default:
			return nil, fmt.Errorf("unknown option -%c", c)
		}
	}
	return rest, nil
}

// setValue sets an option that takes a value, from the command line or
// the environment.
func (o *options) setValue(name, v string) error {
	switch name {
	case "config":
		if v == "" {
			return errors.New("--config needs a file name")
		}
		o.configPath = v
	case "remap":
		for _, s := range strings.Split(v, ",") {
			code, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil || code < 0 || code > 255 {
				return fmt.Errorf("exit code to remap %q: want a number from 0 to 255", s)
			}
			o.remap[code] = true
		}
	case "pdeathsig":
		sig, err := parseSignal(v)
		if err != nil {
			return fmt.Errorf("parent-death signal: %w", err)
		}
		o.pdeathsig = sig
	case "grace":
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 || d > maxGrace {
			return fmt.Errorf("grace %q: want a duration from 0s to %v, such as 5s", v, maxGrace)
		}
		o.grace = d
	case "rewrite":
		return o.addRewrites(v)
	}
	return nil
}

// addRewrites parses dumb-init's S:R signal rewrites, comma-separated.
func (o *options) addRewrites(v string) error {
	for _, pair := range strings.Split(v, ",") {
		from, to, ok := strings.Cut(strings.TrimSpace(pair), ":")
		if !ok {
			return fmt.Errorf("rewrite %q: want FROM:TO, such as 15:3 or TERM:QUIT (TO 0 drops the signal)", pair)
		}
		f, err := parseSignal(from)
		if err != nil {
			return fmt.Errorf("rewrite %q: %w", pair, err)
		}
		var t syscall.Signal
		if to != "0" {
			if t, err = parseSignal(to); err != nil {
				return fmt.Errorf("rewrite %q: %w", pair, err)
			}
		}
		if o.rewrite == nil {
			o.rewrite = map[syscall.Signal]syscall.Signal{}
		}
		o.rewrite[f] = t
	}
	return nil
}

// fromEnv applies the TINIT_* variables, set and not empty, and tini's
// TINI_* ones as tini reads them (tiniFromEnv); a TINIT_* variable wins
// over its TINI_* twin.
func (o *options) fromEnv(lookupEnv func(string) (string, bool)) error {
	getenv := func(name string) string {
		v, _ := lookupEnv(name)
		return v
	}
	o.tiniFromEnv(lookupEnv)
	if getenv(envGroup) != "" {
		o.groupSignals = true
	}
	if getenv(envWarnReap) != "" {
		o.warnReap = true
	}
	if getenv(envExitAtOnce) != "" {
		o.exitAtOnce = true
	}
	if v := getenv(envVerbosity); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return fmt.Errorf("%s=%q: want a number from 0 to %d", envVerbosity, v, maxVerbosity)
		}
		o.verbosity = min(n, maxVerbosity)
	}
	if v := getenv(envFeatures); v != "" {
		for _, name := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' }) {
			f, err := reaper.ParseFeature(name)
			if err != nil {
				return fmt.Errorf("%s: %w", envFeatures, err)
			}
			o.disable |= f
		}
	}
	for env, name := range map[string]string{envRemap: "remap", envPdeathsig: "pdeathsig", envGrace: "grace", envRewrite: "rewrite"} {
		if v := getenv(env); v != "" {
			if err := o.setValue(name, v); err != nil {
				return fmt.Errorf("%s: %w", env, err)
			}
		}
	}
	return nil
}

// tiniFromEnv applies tini's variables as tini reads them:
// TINI_KILL_PROCESS_GROUP, when set at all (even empty), is -g;
// TINI_VERBOSITY is tini's level, read with C's atoi, so that nothing is
// refused (no number is 0, below 0 counts as 0): 0 errors only, 1 tini's
// default and tinit's, each more like one more -v.
func (o *options) tiniFromEnv(lookupEnv func(string) (string, bool)) {
	if _, set := lookupEnv(tiniGroup); set {
		o.groupSignals = true
	}
	if v, set := lookupEnv(tiniVerbosity); set {
		o.verbosity = min(max(atoi(v), 0)-1, maxVerbosity)
	}
}

// atoi reads s as C's atoi does: blanks, a sign, then the digits that
// follow, 0 if none; it stops counting at maxAtoi (C's would overflow).
func atoi(s string) int {
	s = strings.TrimLeft(s, " \t\n\v\f\r")
	sign := 1
	if s != "" && (s[0] == '+' || s[0] == '-') {
		if s[0] == '-' {
			sign = -1
		}
		s = s[1:]
	}
	n := 0
	for i := 0; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		n = min(n*10+int(s[i]-'0'), maxAtoi)
	}
	return sign * n
}

const maxAtoi = 1 << 30

// parseSignal accepts SIGTERM, TERM, sigterm and 15.
func parseSignal(s string) (syscall.Signal, error) {
	if n, err := strconv.Atoi(s); err == nil {
		if n < 1 || n > 64 {
			return 0, fmt.Errorf("signal number %d out of range 1-64", n)
		}
		return syscall.Signal(n), nil
	}
	name := strings.ToUpper(s)
	if !strings.HasPrefix(name, "SIG") {
		name = "SIG" + name
	}
	if sig := unix.SignalNum(name); sig != 0 {
		return sig, nil
	}
	return 0, fmt.Errorf("unknown signal %q", s)
}

// exitCode maps the child's code through -e.
func (o *options) exitCode(code int) int {
	if code >= 0 && code < len(o.remap) && o.remap[code] {
		return 0
	}
	return code
}
