package services

import (
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/tinit/tinit/services/probe"
)

// serviceBuilder collects one service while its keys are decoded; check
// then applies the rules that involve several keys, and the defaults.
type serviceBuilder struct {
	d       *decoder
	s       *Service
	v       value            // the service's table
	seen    map[string]value // the keys present
	fileEnv []envVar         // from env_file, in order
	env     []envVar         // from env, sorted by name
}

// serviceKeys are the keys of a [service.NAME] table.
var serviceKeys = []keySpec[*serviceBuilder]{
	{"command", func(v value, b *serviceBuilder) { b.s.Command, _ = v.argv() }},
	{"type", setType},
	{"env", setEnv},
	{"env_file", setEnvFile},
	{"inherit_env", func(v value, b *serviceBuilder) { b.s.InheritEnv, _ = v.boolean() }},
	{"working_dir", func(v value, b *serviceBuilder) { b.s.WorkingDir, _ = v.absPath() }},
	{"user", func(v value, b *serviceBuilder) { b.s.User = v.account() }},
	{"group", func(v value, b *serviceBuilder) { b.s.Group = v.account() }},
	{"groups", setGroups},
	{"umask", setUmask},
	{"rlimits", setRlimits},
	{"no_new_privs", func(v value, b *serviceBuilder) { b.s.NoNewPrivs, _ = v.boolean() }},
	{"after", func(v value, b *serviceBuilder) { b.s.After = v.serviceNames(b.s.Name) }},
	{"requires", func(v value, b *serviceBuilder) { b.s.Requires = v.serviceNames(b.s.Name) }},
	{"wants", func(v value, b *serviceBuilder) { b.s.Wants = v.serviceNames(b.s.Name) }},
	{"ready_fd", func(v value, b *serviceBuilder) {
		n, _ := v.integer(3, maxReadyFD)
		b.s.Ready.FD = int(n)
	}},
	{"ready_tcp", func(v value, b *serviceBuilder) { b.s.Ready.Address, _ = v.address() }},
	{"ready_command", func(v value, b *serviceBuilder) { b.s.Ready.Command, _ = v.argv() }},
	{"ready_interval", func(v value, b *serviceBuilder) { b.s.Ready.Interval, _ = v.duration(minInterval, maxInterval) }},
	{"ready_timeout", func(v value, b *serviceBuilder) { b.s.Ready.Timeout, _ = v.duration(minInterval, maxReadyTimeout) }},
	{"restart", func(v value, b *serviceBuilder) {
		i, _ := restartModeNames.parse(v, "restart mode")
		b.s.Restart.Mode = RestartMode(i)
	}},
	{"restart_delay", func(v value, b *serviceBuilder) { b.s.Restart.Delay, _ = v.duration(0, maxRestartDelay) }},
	{"restart_delay_max", func(v value, b *serviceBuilder) { b.s.Restart.DelayMax, _ = v.duration(0, maxRestartDelay) }},
	{"restart_backoff", func(v value, b *serviceBuilder) { b.s.Restart.Backoff, _ = v.float(1, maxRestartFactor) }},
	{"restart_reset_after", func(v value, b *serviceBuilder) { b.s.Restart.ResetAfter, _ = v.duration(0, maxLongPeriod) }},
	{"start_limit_burst", func(v value, b *serviceBuilder) {
		n, _ := v.integer(0, maxRestartBurst)
		b.s.Restart.StartLimitBurst = int(n)
	}},
	{"start_limit_interval", func(v value, b *serviceBuilder) {
		b.s.Restart.StartLimitInterval, _ = v.duration(minInterval, maxLongPeriod)
	}},
	{"success_exit_codes", setSuccessExit},
	{"stop_signal", setStopSignal},
	{"stop_timeout", func(v value, b *serviceBuilder) { b.s.StopTimeout, _ = v.duration(0, maxStopTimeout) }},
	{"health", setHealth},
	{"main", func(v value, b *serviceBuilder) { b.s.Main, _ = v.boolean() }},
	{"critical", func(v value, b *serviceBuilder) { b.s.Critical, _ = v.boolean() }},
	{"autokill", func(v value, b *serviceBuilder) { b.s.Autokill, _ = v.boolean() }},
	{"memory_max", func(v value, b *serviceBuilder) { b.s.Cgroup.MemoryMax = v.quantity(v.memory) }},
	{"cpu_max", setCPUMax},
	{"pids_max", func(v value, b *serviceBuilder) { b.s.Cgroup.PidsMax = v.quantity(v.pids) }},
	{"output", func(v value, b *serviceBuilder) {
		i, _ := outputModeNames.parse(v, "output")
		b.s.Output.Mode = OutputMode(i)
	}},
	{"output_file", func(v value, b *serviceBuilder) { b.s.Output.File, _ = v.absPath() }},
	{"output_max_size", func(v value, b *serviceBuilder) {
		n, _ := v.size(minOutputSize, maxOutputSize)
		b.s.Output.MaxSize = int64(n)
	}},
	{"output_max_files", func(v value, b *serviceBuilder) {
		n, _ := v.integer(0, maxOutputFiles)
		b.s.Output.MaxFiles = int(n)
	}},
	{"output_ring_lines", func(v value, b *serviceBuilder) {
		n, _ := v.integer(0, maxRingLines)
		b.s.Output.RingLines = int(n)
	}},
	{"output_ring_size", func(v value, b *serviceBuilder) {
		n, _ := v.size(minRingSize, maxRingSize)
		b.s.Output.RingBytes = int64(n)
	}},
	{"pre_start", func(v value, b *serviceBuilder) { b.s.PreStart = v.hook(b.s.PreStart) }},
	{"pre_start_timeout", func(v value, b *serviceBuilder) { b.s.PreStart = v.hookTimeout(b.s.PreStart) }},
	{"post_stop", func(v value, b *serviceBuilder) { b.s.PostStop = v.hook(b.s.PostStop) }},
	{"post_stop_timeout", func(v value, b *serviceBuilder) { b.s.PostStop = v.hookTimeout(b.s.PostStop) }},
}

// unsupportedTypes explains the systemd types tinit does not have.
var unsupportedTypes = map[string]string{
	"forking": "tinit supervises the process it starts, so the program must stay in the foreground " +
		"(daemons have an option for it, such as --foreground, -D or --nodaemon)",
	"exec":          `use "simple"`,
	"dbus":          `there is no D-Bus; use "notify" or a ready_* check`,
	"idle":          `use "simple" with after`,
	"notify-reload": `use "notify"`,
}

func setType(v value, b *serviceBuilder) {
	if s, ok := v.v.(string); ok && unsupportedTypes[s] != "" {
		v.fail("type %q is not supported: %s", s, unsupportedTypes[s])
		return
	}
	i, _ := serviceTypeNames.parse(v, "type")
	b.s.Type = ServiceType(i)
}

// checkServiceName accepts [a-z0-9][a-z0-9_-]*, at most maxNameLen bytes:
// names that need no quoting in TOML and are safe as file and cgroup names.
func checkServiceName(name string) error {
	if name == "" || len(name) > maxNameLen {
		return fmt.Errorf("invalid service name %q: must be 1 to %d characters", name, maxNameLen)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || i > 0 && (c == '-' || c == '_')) {
			return fmt.Errorf("invalid service name %q: use lowercase letters, digits, '-' and '_', starting with a letter or digit", name)
		}
	}
	return nil
}

// serviceNames reads a dependency list: distinct, valid names other than
// self. Whether they exist is checked once every service is known.
func (v value) serviceNames(self string) []string {
	if s, isStr := v.v.(string); isStr {
		v.fail(`must be an array of service names, like [%q]`, s)
		return nil
	}
	names, ok := v.strings("names", maxDeps)
	if !ok {
		return nil
	}
	seen := make(map[string]bool, len(names))
	var out []string
	for _, n := range names {
		switch {
		case n == self:
			v.fail("service %q cannot depend on itself", n)
		case seen[n]:
			v.fail("%q is listed twice", n)
		case checkServiceName(n) != nil:
			v.fail("%v", checkServiceName(n))
		default:
			out = append(out, n)
		}
		seen[n] = true
	}
	sort.Strings(out)
	return out
}

// account reads a user or group: a name, or an id as integer or string.
func (v value) account() *Account {
	var a Account
	var err error
	switch x := v.v.(type) {
	case int64:
		a, err = AccountID(x)
	case string:
		a, err = ParseAccount(x)
	default:
		v.wrongType("a name or a numeric id")
		return nil
	}
	if err != nil {
		v.fail("%v", err)
		return nil
	}
	return &a
}

func setGroups(v value, b *serviceBuilder) {
	a, ok := v.array("groups", maxGroups)
	if !ok {
		return
	}
	for i, x := range a {
		if g := v.elem(i, x).account(); g != nil {
			b.s.Groups = append(b.s.Groups, *g)
		}
	}
}

func setUmask(v value, b *serviceBuilder) {
	if n, isInt := v.v.(int64); isInt {
		v.fail(`must be a string of octal digits, like "%04o", not an integer`, n)
		return
	}
	text, ok := v.str()
	if !ok {
		return
	}
	u, err := ParseUmask(text)
	if err != nil {
		v.fail("%v", err)
		return
	}
	b.s.Umask = &u
}

func setRlimits(v value, b *serviceBuilder) {
	tbl, ok := v.table()
	if !ok {
		return
	}
	for _, name := range sortedKeys(tbl) {
		c := v.child(name, tbl[name])
		var r Rlimit
		var err error
		switch x := c.v.(type) {
		case int64:
			r, err = RlimitFromInt(name, x)
		case string:
			r, err = ParseRlimit(name, x)
		default:
			c.wrongType(`an integer, "SOFT:HARD" or "infinity"`)
			continue
		}
		if err != nil {
			c.fail("%v", err)
			continue
		}
		b.s.Rlimits = append(b.s.Rlimits, r)
	}
	sort.Slice(b.s.Rlimits, func(i, j int) bool { return b.s.Rlimits[i].Resource < b.s.Rlimits[j].Resource })
}

// address reads "host:port" with a numeric port.
func (v value) address() (string, bool) {
	text, ok := v.str()
	if !ok {
		return "", false
	}
	if err := checkAddress(text); err != nil {
		v.fail("%v", err)
		return "", false
	}
	return text, true
}

func checkAddress(text string) error {
	host, port, err := probe.SplitHostPort(text)
	if err != nil {
		return fmt.Errorf("invalid address %q: want \"host:port\", like \"127.0.0.1:8080\" or \"[::1]:8080\"", text)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return fmt.Errorf("invalid address %q: port must be a number from 1 to 65535", text)
	}
	return checkHost(text, host)
}

func checkHost(text, host string) error {
	if ip, ok := probe.ParseIP(host); ok && ip.Zone() == "" {
		return nil
	}
	if host == "" || len(host) > maxHostLen || strings.Trim(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") != "" {
		return fmt.Errorf("invalid address %q: host must be an IP address or a DNS name (at most %d characters)", text, maxHostLen)
	}
	return nil
}

func setSuccessExit(v value, b *serviceBuilder) {
	a, ok := v.array("exit codes or signals", maxExitCodes)
	if !ok {
		return
	}
	for _, x := range a {
		switch e := x.(type) {
		case int64:
			if e < 0 || e > 255 {
				v.fail("exit code %d is out of range (0 to 255)", e)
				continue
			}
			b.s.SuccessExit.AddCode(int(e))
		case string:
			if _, err := strconv.Atoi(e); err == nil {
				v.fail("write exit code %s as an integer; a string names a signal, like \"SIGTERM\"", e)
				continue
			}
			sig, err := ParseSignal(e)
			if err != nil {
				v.fail("%v", err)
				continue
			}
			b.s.SuccessExit.AddSignal(sig)
		default:
			v.fail("must hold exit codes (integers) and signal names, not %s", typeName(x))
		}
	}
}

// signal reads a signal name, or a number as integer or string.
func (v value) signal() (Signal, bool) {
	var sig Signal
	var err error
	switch x := v.v.(type) {
	case int64:
		sig, err = SignalNumber(x)
	case string:
		sig, err = ParseSignal(x)
	default:
		v.wrongType(`a signal name like "SIGTERM"`)
		return 0, false
	}
	if err != nil {
		v.fail("%v", err)
		return 0, false
	}
	return sig, true
}

func setStopSignal(v value, b *serviceBuilder) {
	sig, ok := v.signal()
	if ok && sig == SIGSTOP {
		v.fail("SIGSTOP freezes a process rather than stopping it; use SIGTERM, SIGINT, SIGQUIT or SIGKILL")
		return
	}
	b.s.StopSignal = sig
}

// quantity reads "max", or a number through parse.
func (v value) quantity(parse func() (uint64, bool)) *Quantity {
	if v.v == "max" {
		return &Quantity{Max: true}
	}
	n, ok := parse()
	if !ok {
		return nil
	}
	return &Quantity{Value: n}
}

func (v value) memory() (uint64, bool) {
	if n, isInt := v.v.(int64); isInt && n >= 0 && n < minMemoryMax {
		v.fail(`%d bytes is below the minimum of %s (write a unit: "%dM")`, n, formatSize(minMemoryMax), n)
		return 0, false
	}
	return v.size(minMemoryMax, maxMemoryMax)
}

func (v value) pids() (uint64, bool) {
	n, ok := v.integer(1, maxPids)
	return uint64(n), ok
}

func setCPUMax(v value, b *serviceBuilder) {
	text, ok := v.str()
	if !ok {
		return
	}
	c, err := ParseCPUMax(text)
	if err != nil {
		v.fail("%v", err)
		return
	}
	b.s.Cgroup.CPUMax = &c
}

// hook reads a hook's command, keeping a timeout read before it.
func (v value) hook(h *Hook) *Hook {
	argv, ok := v.argv()
	if !ok {
		return h
	}
	if h == nil {
		h = &Hook{}
	}
	h.Command = argv
	return h
}

// hookTimeout reads a hook's timeout; check refuses it without the hook.
func (v value) hookTimeout(h *Hook) *Hook {
	d, ok := v.duration(minInterval, maxHookTimeout)
	if !ok {
		return h
	}
	if h == nil {
		h = &Hook{}
	}
	h.Timeout = d
	return h
}

// resolveEnvFile makes a relative env_file relative to the configuration.
func (d *decoder) resolveEnvFile(p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(filepath.Dir(d.file), p)
}
