package services

import "strings"

// keySpec is one key a table accepts, and how its value is decoded into T.
type keySpec[T any] struct {
	name string
	set  func(v value, t T)
}

// keyNames lists the names of a table's keys.
func keyNames[T any](specs []keySpec[T]) []string {
	names := make([]string, len(specs))
	for i, s := range specs {
		names[i] = s.name
	}
	return names
}

// decodeTable decodes every key of the table v into t, and reports the
// keys that the table does not have. It returns the keys present, for the
// rules that involve several of them.
func decodeTable[T any](v value, specs []keySpec[T], t T) map[string]value {
	tbl, ok := v.table()
	if !ok {
		return nil
	}
	seen := make(map[string]value, len(tbl))
	for _, k := range sortedKeys(tbl) {
		c := v.child(k, tbl[k])
		spec, found := findKey(specs, k)
		if !found {
			c.fail("unknown key%s", unknownKeyHint(k, keyNames(specs)))
			continue
		}
		seen[k] = c
		spec.set(c, t)
	}
	return seen
}

func findKey[T any](specs []keySpec[T], name string) (keySpec[T], bool) {
	for _, s := range specs {
		if s.name == name {
			return s, true
		}
	}
	return keySpec[T]{}, false
}

// foreignKeys maps the names other inits (systemd, supervisord, s6,
// Horust, Docker Compose) give to a setting, to tinit's key.
var foreignKeys = map[string]string{
	"execstart": "command", "exec": "command", "cmd": "command", "program": "command", "args": "command",
	"environment": "env", "environmentfile": "env_file", "envfile": "env_file",
	"directory": "working_dir", "workingdirectory": "working_dir", "workdir": "working_dir", "cwd": "working_dir",
	"depends_on": "requires", "depends": "requires", "dependencies": "requires", "start_after": "after",
	"autorestart": "restart", "restart_policy": "restart", "restartsec": "restart_delay",
	"stopsignal": "stop_signal", "killsignal": "stop_signal", "stopwaitsecs": "stop_timeout",
	"timeoutstopsec": "stop_timeout", "timeoutstartsec": "ready_timeout", "healthcheck": "health",
	"successexitstatus": "success_exit_codes", "exitcodes": "success_exit_codes",
	"memorymax": "memory_max", "cpuquota": "cpu_max", "tasksmax": "pids_max",
	"limitnofile": "rlimits", "execstartpre": "pre_start", "execstoppost": "post_stop",
	"nonewprivileges": "no_new_privs", "supplementarygroups": "groups",
}

// unknownKeyHint suggests the key the user probably meant; in a small
// table, without a close key, it lists the keys.
func unknownKeyHint(key string, known []string) string {
	if hint := didYouMean(key, known); hint != "" {
		return hint
	}
	norm := strings.ReplaceAll(strings.ToLower(key), "-", "_")
	for _, alias := range []string{norm, strings.ReplaceAll(norm, "_", "")} {
		if mine, ok := foreignKeys[alias]; ok && contains(known, mine) {
			return ` (tinit calls it "` + mine + `")`
		}
	}
	if len(known) <= maxListedKeys {
		return "; the keys are " + strings.Join(known, ", ")
	}
	return ""
}

// maxListedKeys is the size of a table whose keys an unknown key lists.
const maxListedKeys = 10

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
