package services

import (
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

func readDocs(t *testing.T) string {
	t.Helper()
	doc, err := os.ReadFile("../docs/config.md")
	if err != nil {
		t.Fatal(err)
	}
	return string(doc)
}

// TestDocsMentionEveryKey checks that docs/config.md names every key the
// parser accepts, every resource of rlimits and every value of the enums.
func TestDocsMentionEveryKey(t *testing.T) {
	doc := readDocs(t)
	var keys []string
	keys = append(keys, keyNames(settingsKeys)...)
	keys = append(keys, keyNames(serviceKeys)...)
	keys = append(keys, keyNames(healthKeys)...)
	keys = append(keys, rlimitNames()...)
	for _, k := range keys {
		if !strings.Contains(doc, "`"+k+"`") {
			t.Errorf("docs/config.md does not mention key `%s`", k)
		}
	}
	for _, e := range []enum{serviceTypeNames, restartModeNames, outputModeNames, logFormatNames, logLevelNames, exitPolicyNames} {
		for _, v := range e {
			if v != "" && !strings.Contains(doc, "`\""+v+"\"`") {
				t.Errorf("docs/config.md does not mention value `%q`", v)
			}
		}
	}
	for v := range unsupportedTypes {
		if !strings.Contains(doc, "`\""+v+"\"`") {
			t.Errorf("docs/config.md does not mention the unsupported type `%q`", v)
		}
	}
}

// keyContext makes a key valid on a plain service: what it needs besides.
var keyContext = map[string]string{
	"ready_interval": `ready_tcp = "127.0.0.1:1"`, "ready_timeout": `ready_tcp = "127.0.0.1:1"`,
	"output_max_size": `output_file = "/x"`, "output_max_files": `output_file = "/x"`,
	"pre_start_timeout": `pre_start = ["/bin/true"]`, "post_stop_timeout": `post_stop = ["/bin/true"]`,
}

var docRow = regexp.MustCompile("^\\| `([a-z_]+)` \\| [^|]+ \\| `([^`]+)` \\|")

// TestDocsDefaults checks every default the reference tables give as a
// single value: setting the key to it must change nothing.
func TestDocsDefaults(t *testing.T) {
	section, checked := "", 0
	for _, line := range strings.Split(readDocs(t), "\n") {
		if strings.HasPrefix(line, "#") {
			section = line
			continue
		}
		m := docRow.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		key, literal := m[1], m[2]
		var base, set string
		switch {
		case strings.Contains(section, "[tinit]"):
			base = "[tinit]\n"
			set = base + key + " = " + literal + "\n"
		case strings.Contains(section, "Health"):
			base = "[service.a.health]\ntcp = \"127.0.0.1:1\"\n"
			if key == "http_status" {
				base = "[service.a.health]\nhttp = \"http://127.0.0.1:1/\"\n"
			}
			set = base + key + " = " + literal + "\n"
		default:
			base = keyContext[key] + "\n"
			set = base + key + " = " + literal + "\n"
		}
		service := "[service.a]\ncommand = [\"/bin/app\"]\n"
		want := mustParse(t, service+base)
		got := mustParse(t, service+set)
		if !reflect.DeepEqual(got.Tinit, want.Tinit) || !reflect.DeepEqual(got.Services, want.Services) {
			t.Errorf("docs say %s defaults to %s, but setting it changes the configuration", key, literal)
		}
		checked++
	}
	if checked < 30 {
		t.Errorf("checked only %d documented defaults; did the tables change shape?", checked)
	}
}

// TestDocsLimits checks that the limits table gives the limits in the code.
func TestDocsLimits(t *testing.T) {
	doc := readDocs(t)
	for _, row := range []string{
		"| configuration file | 4 MiB |", "| services | 4096 |", "| service name | 64 characters |",
		"| dotted parts of one key or table header | 8 |", "| arrays and inline tables inside each other | 8 |",
		"| arguments of a command | 1024, 256 KiB in all |", "| paths | 4095 bytes; the control socket 107 |",
		"| environment variables (`env` and `env_file`) | 4096, 1 MiB in all |", "| `env_file` | 1 MiB |",
		"| supplementary `groups` | 64 |", "| `success_exit_codes` entries | 320 |", "| `start_limit_burst` | 10000 |",
		"| health `retries` | 100 |", "| rotated output files | 100 |", "| output file size | 1G |",
		"| lines kept in memory | 100000 lines, 64M |",
	} {
		if !strings.Contains(doc, row) {
			t.Errorf("docs/config.md lacks the limits row %q", row)
		}
	}
	consts := []struct {
		got, want int
	}{
		{maxConfigSize, 4 << 20}, {maxServices, 4096}, {maxNameLen, 64}, {maxKeyParts, 8}, {maxNesting, 8},
		{maxArgs, 1024}, {maxArgBytes, 256 << 10}, {maxPath, 4095}, {maxSocketPath, 107}, {maxEnvVars, 4096},
		{maxEnvBytes, 1 << 20}, {maxEnvFileSize, 1 << 20}, {maxGroups, 64}, {maxExitCodes, 320},
		{maxRestartBurst, 10000}, {maxRetries, 100}, {maxOutputFiles, 100}, {maxOutputSize, 1 << 30},
		{maxRingLines, 100000}, {maxRingSize, 64 << 20},
	}
	for i, c := range consts {
		if c.got != c.want {
			t.Errorf("limit %d is %d in the code, %d in the docs", i, c.got, c.want)
		}
	}
}
