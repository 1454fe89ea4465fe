package services

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"time"

	"github.com/tinit/tinit/internal/toml"
	"github.com/tinit/tinit/services/output"
)

// Config is a validated configuration: every value typed and within its
// limits, defaults filled in, dependencies resolved.
type Config struct {
	File     string     // the name the configuration was read under
	Tinit    Settings   // the [tinit] table
	Services []*Service // sorted by name
	Graph    *Graph     // the dependency graph of Services
}

// Service returns the service called name, or nil.
func (c *Config) Service(name string) *Service {
	i := sort.Search(len(c.Services), func(i int) bool { return c.Services[i].Name >= name })
	if i < len(c.Services) && c.Services[i].Name == name {
		return c.Services[i]
	}
	return nil
}

// Main returns the main service, or nil if there is none.
func (c *Config) Main() *Service {
	for _, s := range c.Services {
		if s.Main {
			return s
		}
	}
	return nil
}

// Settings are tinit's own settings, the [tinit] table.
type Settings struct {
	// ShutdownTimeout bounds the whole ordered stop, after which whatever
	// remains is killed.
	ShutdownTimeout time.Duration
	// ExitCode chooses tinit's exit code; see ExitPolicy.ExitCode.
	ExitCode ExitPolicy
	// LogFormat is the format of tinit's own log lines.
	LogFormat LogFormat
	// LogLevel is the least severe level of tinit's own lines it prints.
	LogLevel output.Level
	// ControlSocket is the path of the control socket; "" disables it.
	ControlSocket string
}

// LogFormat is the format of tinit's own log lines.
type LogFormat int

// The log formats.
const (
	LogText LogFormat = iota // "tinit: [warning: ][service: ]message"
	LogJSON                  // one JSON object per line
)

var logFormatNames = enum{LogText: "text", LogJSON: "json"}

// String returns the format's name in the configuration.
func (f LogFormat) String() string { return logFormatNames.name(int(f)) }

var logLevelNames = enum{"debug", "info", "warn", "error"}
var logLevels = []output.Level{output.LevelDebug, output.LevelInfo, output.LevelWarn, output.LevelError}

// LoadFile reads and checks the configuration file at path. A file that
// cannot be read is a plain error; a file with problems gives a
// *ConfigError listing all of them.
func LoadFile(path string) (*Config, error) {
	data, err := readLimited(path, maxConfigSize)
	if err != nil {
		return nil, fmt.Errorf("load config: %w", err)
	}
	return Parse(path, data)
}

// Parse checks a configuration. name is the file name used in messages,
// and the directory that relative env_file paths are relative to. The
// error, if any, is a *ConfigError listing every problem.
func Parse(name string, data []byte) (*Config, error) {
	return parse(name, data, func(path string) ([]byte, error) {
		return readLimited(path, maxEnvFileSize)
	})
}

// readLimited reads a regular file of at most limit bytes. It refuses
// FIFOs and devices, whose opening or reading could block or never end:
// it checks before opening, and again on what it opened.
func readLimited(path string, limit int64) ([]byte, error) {
	if fi, err := os.Stat(path); err != nil {
		return nil, err
	} else if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("read %q: not a regular file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("read %q: not a regular file", path)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("read %q: larger than the limit of %s", path, formatSize(uint64(limit)))
	}
	return data, nil
}

// Limits of a document's shape, which the TOML decoder checks as it goes.
// A configuration needs four dotted parts (service.NAME.health.KEY) and two
// levels of nesting; deeper documents are refused before they cost time
// or stack.
const (
	maxKeyParts = 8 // dotted parts of one key, or of one table header
	maxNesting  = 8 // arrays and inline tables inside each other
)

// decoder turns one decoded TOML document into a Config, collecting every
// problem on the way.
type decoder struct {
	file     string
	doc      *toml.Document
	readFile func(string) ([]byte, error)
	issues   []issue
}

// issue is a Problem waiting for its line.
type issue struct {
	Problem
	path []string // key path in the configuration; its line orders the issue
}

func parse(name string, data []byte, readFile func(string) ([]byte, error)) (*Config, error) {
	if len(data) > maxConfigSize {
		return nil, &ConfigError{[]Problem{{File: name, Line: 1,
			Msg: fmt.Sprintf("file is larger than the limit of %s", formatSize(maxConfigSize))}}}
	}
	doc, err := toml.Parse(data, toml.Limits{KeyParts: maxKeyParts, Nesting: maxNesting})
	if err != nil {
		return nil, &ConfigError{[]Problem{syntaxProblem(name, err)}}
	}
	d := &decoder{file: name, doc: doc, readFile: readFile}
	cfg := d.config(doc.Root)
	if len(d.issues) > 0 {
		return nil, d.err()
	}
	return cfg, nil
}

// syntaxProblem turns the decoder's error into a Problem: the decoder stops
// at the first error, so it is the only problem reported. A document
// beyond a limit of its shape is valid TOML, so it is not called invalid.
func syntaxProblem(name string, err error) Problem {
	var te *toml.Error
	if !errors.As(err, &te) {
		return Problem{File: name, Line: 1, Msg: "invalid TOML: " + err.Error()}
	}
	if te.Limit {
		return Problem{File: name, Line: te.Line, Msg: te.Msg}
	}
	return Problem{File: name, Line: te.Line, Msg: "invalid TOML: " + te.Msg}
}

// problem records a problem about the key at path.
func (d *decoder) problem(path []string, svc, key, msg string) {
	d.issues = append(d.issues, issue{Problem: Problem{Service: svc, Key: key, Msg: msg}, path: path})
}

// problemIn records a problem at a line of another file (an env_file),
// ordered with the key at path.
func (d *decoder) problemIn(file string, line int, path []string, svc, key, msg string) {
	d.issues = append(d.issues, issue{Problem{File: file, Line: line, Service: svc, Key: key, Msg: msg}, path})
}

// lineOf finds the line of the key at path; every key of the document has
// one, and line 1 is only the last resort of a path that is not in it.
func (d *decoder) lineOf(path []string) int {
	if l := d.doc.Line(path...); l > 0 {
		return l
	}
	return 1
}

// err sorts the issues by line and returns them as a *ConfigError.
func (d *decoder) err() *ConfigError {
	type sorted struct {
		Problem
		anchor, sub int
	}
	all := make([]sorted, len(d.issues))
	for i, is := range d.issues {
		s := sorted{Problem: is.Problem, anchor: d.lineOf(is.path)}
		if s.File == "" {
			s.File, s.Line = d.file, s.anchor
		} else {
			s.sub = s.Line
		}
		all[i] = s
	}
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].anchor != all[j].anchor {
			return all[i].anchor < all[j].anchor
		}
		return all[i].sub < all[j].sub
	})
	e := &ConfigError{Problems: make([]Problem, len(all))}
	for i, s := range all {
		e.Problems[i] = s.Problem
	}
	return e
}

// topTables are the tables a configuration may have.
var topTables = []string{"tinit", "service"}

// config decodes the whole document.
func (d *decoder) config(doc map[string]any) *Config {
	cfg := &Config{File: d.file, Tinit: defaultSettings()}
	root := value{d: d}
	set := map[string]value{}
	for _, k := range sortedKeys(doc) {
		v := root.child(k, doc[k])
		switch k {
		case "tinit":
			set[k] = v
			d.settings(v, &cfg.Tinit, set)
		case "service":
			cfg.Services = d.services(v)
		default:
			v.fail("unknown table%s; a configuration has [tinit] and [service.NAME] tables", didYouMean(k, topTables))
		}
	}
	if len(cfg.Services) == 0 {
		d.problem(nil, "", "", "no services: add at least one [service.NAME] table with a command")
		return cfg
	}
	d.checkServices(cfg, set)
	return cfg
}
