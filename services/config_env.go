package services

import "strings"

func setEnv(v value, b *serviceBuilder) {
	tbl, ok := v.table()
	if !ok {
		return
	}
	if len(tbl) > maxEnvVars {
		v.fail("has %d variables, more than the limit of %d", len(tbl), maxEnvVars)
		return
	}
	for _, k := range sortedKeys(tbl) {
		c := v.child(k, tbl[k])
		if err := checkEnvName(k); err != nil {
			c.fail("%v", err)
			continue
		}
		switch x := c.v.(type) {
		case string:
			if strings.IndexByte(x, 0) >= 0 {
				c.fail("value contains a NUL byte")
				continue
			}
			b.env = append(b.env, envVar{key: k, value: x})
		case int64, float64, bool:
			c.fail("must be a string, not %s (quote it: %s = \"%v\")", typeName(x), k, x)
		default:
			c.wrongType("a string")
		}
	}
}

func setEnvFile(v value, b *serviceBuilder) {
	p, ok := v.str()
	if !ok {
		return
	}
	if p == "" || strings.IndexByte(p, 0) >= 0 || len(p) > maxPath {
		v.fail("invalid path %q", p)
		return
	}
	path := v.d.resolveEnvFile(p)
	data, err := v.d.readFile(path)
	if err != nil {
		v.fail("read env file: %v", err)
		return
	}
	vars, errs := parseEnvFile(data)
	for _, e := range errs {
		v.d.problemIn(path, e.line, v.path, v.svc, v.key, e.msg)
	}
	b.fileEnv = vars
}

// mergeEnv combines env_file and env (env wins; a later line of env_file
// wins over an earlier one) into "KEY=VALUE" strings, within the limits.
func (b *serviceBuilder) mergeEnv() {
	index := map[string]int{}
	var out []string
	for _, list := range [][]envVar{b.fileEnv, b.env} {
		for _, e := range list {
			kv := e.key + "=" + e.value
			if i, dup := index[e.key]; dup {
				out[i] = kv
				continue
			}
			index[e.key] = len(out)
			out = append(out, kv)
		}
	}
	size := 0
	for _, kv := range out {
		size += len(kv) + 1
	}
	where, ok := b.seen["env"]
	if !ok {
		where = b.seen["env_file"]
	}
	switch {
	case len(out) > maxEnvVars:
		where.fail("%d variables in env and env_file, more than the limit of %d", len(out), maxEnvVars)
	case size > maxEnvBytes:
		where.fail("env and env_file take %d bytes, more than the limit of %s", size, formatSize(maxEnvBytes))
	}
	b.s.Env = out
}
