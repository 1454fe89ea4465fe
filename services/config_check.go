package services

import (
	"fmt"
	"strings"
)

// services decodes the [service] table: one Service per [service.NAME].
func (d *decoder) services(v value) []*Service {
	tbl, ok := v.table()
	if !ok {
		return nil
	}
	if len(tbl) > maxServices {
		v.fail("has %d services, more than the limit of %d", len(tbl), maxServices)
		return nil
	}
	out := make([]*Service, 0, len(tbl))
	for _, name := range sortedKeys(tbl) {
		sv := value{d: d, path: []string{"service", name}, svc: name, v: tbl[name]}
		if err := checkServiceName(name); err != nil {
			sv.fail("%v", err)
		}
		if s := d.service(sv); s != nil {
			out = append(out, s)
		}
	}
	return out
}

// newService is a service with the defaults that do not depend on other
// keys.
func newService(name string) *Service {
	s := &Service{Name: name, InheritEnv: true, StopSignal: SIGTERM, StopTimeout: defaultStopTimeout}
	s.SuccessExit.AddCode(0)
	return s
}

func (d *decoder) service(v value) *Service {
	b := &serviceBuilder{d: d, s: newService(v.svc), v: v}
	b.seen = decodeTable(v, serviceKeys, b)
	if b.seen == nil {
		return nil
	}
	if !b.has("command") {
		b.at("command").fail(`missing: every service needs one, like command = ["/usr/bin/app", "--flag"]`)
	}
	b.checkReady()
	b.checkRestart()
	b.checkOutput()
	b.checkHooks()
	b.checkRoles()
	b.mergeEnv()
	return b.s
}

func (b *serviceBuilder) has(key string) bool {
	_, ok := b.seen[key]
	return ok
}

// at is the value of key, or, when the key is absent, a stand-in at the
// service's table for problems about the missing key.
func (b *serviceBuilder) at(key string) value {
	if v, ok := b.seen[key]; ok {
		return v
	}
	return value{d: b.d, path: b.v.path, svc: b.s.Name, key: key}
}

// readyKeys are the readiness checks a simple service may have, and what
// each makes the service's Ready.Kind.
var readyKeys = []struct {
	key  string
	kind ReadyKind
}{{"ready_fd", ReadyFD}, {"ready_tcp", ReadyTCP}, {"ready_command", ReadyCommand}}

func (b *serviceBuilder) checkReady() {
	r := &b.s.Ready
	var methods []string
	for _, k := range readyKeys {
		if b.has(k.key) {
			methods = append(methods, k.key)
			r.Kind = k.kind
		}
	}
	switch {
	case b.s.Type == TypeNotify && len(methods) > 0:
		b.at(methods[0]).fail(`a "notify" service is ready when it sends READY=1; remove %s, or use type "simple"`, methods[0])
	case b.s.Type == TypeOneshot && len(methods) > 0:
		b.at(methods[0]).fail("a oneshot is ready when it exits with success; remove %s", methods[0])
	case len(methods) > 1:
		b.at(methods[1]).fail("a service has one readiness check; %s is set too", methods[0])
	}
	switch b.s.Type {
	case TypeNotify:
		r.Kind = ReadyNotify
	case TypeOneshot:
		r.Kind = ReadyExit
	}
	b.readyDefaults(r)
}

func (b *serviceBuilder) readyDefaults(r *Readiness) {
	polled := r.Kind == ReadyTCP || r.Kind == ReadyCommand
	if b.has("ready_interval") && !polled {
		b.at("ready_interval").fail("only applies to ready_tcp and ready_command")
	} else if polled && !b.has("ready_interval") {
		r.Interval = defaultReadyInterval
	}
	switch {
	case b.has("ready_timeout") && r.Kind == ReadyStarted:
		b.at("ready_timeout").fail(`has no effect: the service is ready as soon as it starts; add type = "notify", ready_fd, ready_tcp or ready_command`)
	case !b.has("ready_timeout") && r.Kind != ReadyStarted && r.Kind != ReadyExit:
		r.Timeout = defaultReadyTimeout
	}
}

// restartKeys are the keys that only matter when a service restarts.
var restartKeys = []string{"restart_delay", "restart_delay_max", "restart_backoff", "restart_reset_after",
	"start_limit_burst", "start_limit_interval"}

func (b *serviceBuilder) checkRestart() {
	s, r := b.s, &b.s.Restart
	why := ""
	if !b.has("restart") {
		r.Mode = RestartOnFailure
		if s.Type == TypeOneshot || s.Main {
			r.Mode, why = RestartNo, " (the default for a oneshot or main service)"
		}
	}
	switch {
	case r.Mode == RestartAlways && s.Type == TypeOneshot:
		b.at("restart").fail(`a oneshot runs once to completion; "always" would run it in a loop (use "on-failure" to retry it)`)
	case r.Mode == RestartAlways && s.Main:
		b.at("restart").fail(`the main service's exit ends tinit; with "always" it would never end (use "on-failure")`)
	case r.Mode == RestartNo:
		for _, k := range restartKeys {
			if b.has(k) {
				b.at(k).fail(`has no effect: restart is "no"%s`, why)
			}
		}
	}
	b.restartDefaults(r)
}

func (b *serviceBuilder) restartDefaults(r *RestartPolicy) {
	if !b.has("restart_delay") {
		r.Delay = defaultRestartDelay
		if b.has("restart_delay_max") {
			r.Delay = min(r.Delay, r.DelayMax)
		}
	}
	if !b.has("restart_delay_max") {
		r.DelayMax = max(defaultRestartDelayMax, r.Delay)
	} else if b.has("restart_delay") && r.Delay > r.DelayMax {
		b.at("restart_delay_max").fail("%s is shorter than restart_delay %s", formatDuration(r.DelayMax), formatDuration(r.Delay))
	}
	if !b.has("restart_backoff") {
		r.Backoff = defaultRestartBackoff
	}
	if !b.has("restart_reset_after") {
		r.ResetAfter = defaultRestartResetAfter
	}
	if !b.has("start_limit_burst") {
		r.StartLimitBurst = defaultStartLimitBurst
	}
	if !b.has("start_limit_interval") {
		r.StartLimitInterval = defaultStartLimitInterval
	}
}

// outputFileKeys only matter when the output goes to a file.
var outputFileKeys = []string{"output_file", "output_max_size", "output_max_files"}

func (b *serviceBuilder) checkOutput() {
	o := &b.s.Output
	if !b.has("output_ring_lines") {
		o.RingLines = defaultRingLines
	}
	if !b.has("output_ring_size") {
		o.RingBytes = defaultRingSize
	}
	if b.has("output_file") && !b.has("output") {
		o.Mode = OutputFile
	}
	if o.Mode != OutputFile {
		for _, k := range outputFileKeys {
			if b.has(k) {
				b.at(k).fail(`only applies to output = "file" (output is %q)`, o.Mode)
			}
		}
		return
	}
	if !b.has("output_file") {
		b.at("output").fail(`"file" needs output_file, the path to write to`)
	}
	if !b.has("output_max_size") {
		o.MaxSize = defaultOutputMaxSize
	}
	if !b.has("output_max_files") {
		o.MaxFiles = defaultOutputMaxFiles
	}
}

func (b *serviceBuilder) checkHooks() {
	for _, h := range []struct {
		key  string
		hook *Hook
	}{{"pre_start", b.s.PreStart}, {"post_stop", b.s.PostStop}} {
		switch {
		case b.has(h.key+"_timeout") && !b.has(h.key):
			b.at(h.key+"_timeout").fail("has no effect without %s", h.key)
		case h.hook != nil && !b.has(h.key+"_timeout"):
			h.hook.Timeout = defaultHookTimeout
		}
	}
}

func (b *serviceBuilder) checkRoles() {
	s := b.s
	if s.Main && s.Critical {
		b.at("critical").fail("the main service already ends tinit when it exits; remove critical")
	}
	if s.Type == TypeOneshot && b.has("health") {
		b.at("health").fail("a oneshot runs to completion; health checks are for services that keep running")
	}
	for _, w := range s.Wants {
		if contains(s.Requires, w) {
			b.at("wants").fail("%q is in requires too; a dependency is either hard (requires) or soft (wants)", w)
		}
	}
}

// checkServices applies the rules that involve several services, and
// builds the graph.
func (d *decoder) checkServices(cfg *Config, set map[string]value) {
	var mains []string
	for _, s := range cfg.Services {
		if s.Main {
			mains = append(mains, s.Name)
		}
	}
	if len(mains) > 1 {
		for _, m := range mains {
			keyOf(d, m, "main").fail("only one service can be main; %s are", quoteList(mains))
		}
	}
	policy, explicit := set["tinit.exit_code"]
	switch {
	case explicit && cfg.Tinit.ExitCode == ExitMain && len(mains) == 0:
		policy.fail(`"main" needs a service with main = true`)
	case !explicit:
		cfg.Tinit.ExitCode = defaultExitPolicy(len(mains))
	}
	d.checkDependencies(cfg)
}

// keyOf is the value of a key of a service, for problems found after the
// service was decoded.
func keyOf(d *decoder, svc, key string) value {
	return value{d: d, path: []string{"service", svc, key}, svc: svc, key: key}
}

// dependencyKeys are the keys that name other services.
var dependencyKeys = []string{"after", "requires", "wants"}

func dependencyLists(s *Service) [][]string { return [][]string{s.After, s.Requires, s.Wants} }

// checkDependencies reports unknown names and cycles, and builds the graph.
func (d *decoder) checkDependencies(cfg *Config) {
	names := make([]string, len(cfg.Services))
	for i, s := range cfg.Services {
		names[i] = s.Name
	}
	for _, s := range cfg.Services {
		for i, list := range dependencyLists(s) {
			for _, n := range list {
				if cfg.Service(n) == nil {
					keyOf(d, s.Name, dependencyKeys[i]).fail("unknown service %q%s", n, didYouMean(n, names))
				}
			}
		}
	}
	g, cycles := buildGraph(cfg.Services)
	for _, c := range cycles {
		d.reportCycle(g, c)
	}
	cfg.Graph = g
}

// reportCycle reports a cycle at the key of its first service that names
// the second.
func (d *decoder) reportCycle(g *Graph, c cycle) {
	first, second := g.names[c.path[0]], g.names[c.path[1]]
	key := "after"
	for i, list := range dependencyLists(g.services[c.path[0]]) {
		if contains(list, second) {
			key = dependencyKeys[i]
			break
		}
	}
	names := make([]string, len(c.path))
	for i, n := range c.path {
		names[i] = g.names[n]
	}
	msg := "dependency cycle: " + strings.Join(names, " -> ")
	if len(c.others) > 0 {
		msg += fmt.Sprintf(" (the loop also involves %s)", quoteList(c.others))
	}
	keyOf(d, first, key).fail("%s", msg)
}

// quoteList writes names as "a", "b" and "c", at most ten of them.
func quoteList(names []string) string {
	const most = 10
	var q []string
	for i, n := range names {
		if i == most {
			q = append(q, fmt.Sprintf("%d more", len(names)-most))
			break
		}
		q = append(q, `"`+n+`"`)
	}
	if len(q) < 2 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}
