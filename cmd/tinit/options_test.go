package main

import (
	"strings"
	"testing"
)

// TestParseArgsEnv: the TINIT_* variables, and tini's TINI_* ones read as
// tini reads them: TINI_VERBOSITY through C's atoi on tini's scale (1 its
// default, 0 errors only), TINI_KILL_PROCESS_GROUP by its presence alone.
func TestParseArgsEnv(t *testing.T) {
	for _, tc := range []struct {
		env       []string
		args      []string
		verbosity int
		group     bool
		err       string // in the error; "" for none
	}{
		{env: nil, verbosity: 0},
		{env: []string{"TINIT_VERBOSITY=2"}, verbosity: 2},
		{env: []string{"TINIT_VERBOSITY=9"}, verbosity: maxVerbosity},
		{env: []string{"TINIT_VERBOSITY=loud"}, err: "TINIT_VERBOSITY"},
		{env: []string{"TINIT_VERBOSITY=1"}, args: []string{"-v"}, verbosity: 2},
		{env: []string{"TINI_VERBOSITY=1"}, verbosity: 0},
		{env: []string{"TINI_VERBOSITY=0"}, verbosity: -1},
		{env: []string{"TINI_VERBOSITY=2"}, verbosity: 1},
		{env: []string{"TINI_VERBOSITY=3"}, verbosity: 2},
		{env: []string{"TINI_VERBOSITY=4"}, verbosity: 3},
		{env: []string{"TINI_VERBOSITY=99999999999999999999"}, verbosity: maxVerbosity},
		{env: []string{"TINI_VERBOSITY=loud"}, verbosity: -1},
		{env: []string{"TINI_VERBOSITY="}, verbosity: -1},
		{env: []string{"TINI_VERBOSITY= 3rd"}, verbosity: 2},
		{env: []string{"TINI_VERBOSITY=-2"}, verbosity: -1},
		{env: []string{"TINI_VERBOSITY=0"}, args: []string{"-v"}, verbosity: 0},
		{env: []string{"TINI_VERBOSITY=0", "TINIT_VERBOSITY=2"}, verbosity: 2},
		{env: []string{"TINI_VERBOSITY=3", "TINIT_VERBOSITY="}, verbosity: 2},
		{env: []string{"TINIT_KILL_PROCESS_GROUP=1"}, group: true},
		{env: []string{"TINIT_KILL_PROCESS_GROUP="}, group: false},
		{env: []string{"TINI_KILL_PROCESS_GROUP=1"}, group: true},
		{env: []string{"TINI_KILL_PROCESS_GROUP="}, group: true},
		{env: []string{"TINI_KILL_PROCESS_GROUP=0"}, group: true},
	} {
		args := append(append([]string(nil), tc.args...), "--", "true")
		o, err := parseArgs(args, lookupEnvFrom(tc.env), false, func(string) bool { return false })
		switch {
		case tc.err != "":
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("env %q args %q: got error %v, want one naming %s", tc.env, tc.args, err, tc.err)
			}
		case err != nil:
			t.Errorf("env %q args %q: %v", tc.env, tc.args, err)
		case o.verbosity != tc.verbosity || o.groupSignals != tc.group:
			t.Errorf("env %q args %q: got verbosity %d, -g %v; want %d, %v", tc.env, tc.args, o.verbosity, o.groupSignals, tc.verbosity, tc.group)
		}
	}
}
