package services

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// RlimitResource is a resource of setrlimit(2), numbered as on Linux's
// generic ABI (amd64, arm64, riscv64 …).
type RlimitResource int

// RlimInfinity is "no limit" (RLIM_INFINITY).
const RlimInfinity = ^uint64(0)

// rlimitSpec describes one resource: the name used in the configuration
// (RLIMIT_NOFILE without its prefix, lowercase), its number, the largest
// finite value the kernel accepts, and whether sizes such as "64M" make sense.
type rlimitSpec struct {
	name  string
	num   RlimitResource
	max   uint64
	bytes bool
}

// rlimitTable lists every Linux resource.
var rlimitTable = []rlimitSpec{
	{"cpu", 0, math.MaxInt64, false},
	{"fsize", 1, math.MaxInt64, true},
	{"data", 2, math.MaxInt64, true},
	{"stack", 3, math.MaxInt64, true},
	{"core", 4, math.MaxInt64, true},
	{"rss", 5, math.MaxInt64, true},
	{"nproc", 6, math.MaxInt64, false},
	{"nofile", 7, 1 << 30, false}, // bounded by fs.nr_open, at most 2^30
	{"memlock", 8, math.MaxInt64, true},
	{"as", 9, math.MaxInt64, true},
	{"locks", 10, math.MaxInt64, false},
	{"sigpending", 11, math.MaxInt64, false},
	{"msgqueue", 12, math.MaxInt64, true},
	{"nice", 13, 40, false},
	{"rtprio", 14, 99, false},
	{"rttime", 15, math.MaxInt64, false},
}

// String returns the configuration's name of the resource, "nofile".
func (r RlimitResource) String() string {
	if int(r) >= 0 && int(r) < len(rlimitTable) {
		return rlimitTable[r].name
	}
	return "RlimitResource(" + strconv.Itoa(int(r)) + ")"
}

// Rlimit is one resource limit to set before exec.
type Rlimit struct {
	Resource RlimitResource
	Soft     uint64 // RlimInfinity for no limit
	Hard     uint64 // RlimInfinity for no limit
}

// String reads like the configuration: "nofile = 1024:4096".
func (r Rlimit) String() string {
	return r.Resource.String() + " = " + formatRlim(r.Soft) + ":" + formatRlim(r.Hard)
}

func formatRlim(v uint64) string {
	if v == RlimInfinity {
		return "infinity"
	}
	return strconv.FormatUint(v, 10)
}

// rlimitNames lists the accepted names, for messages.
func rlimitNames() []string {
	names := make([]string, len(rlimitTable))
	for i, s := range rlimitTable {
		names[i] = s.name
	}
	return names
}

// lookupRlimit finds a resource by name; "RLIMIT_NOFILE" and "NOFILE" are
// refused with a hint, since the configuration uses "nofile".
func lookupRlimit(name string) (rlimitSpec, error) {
	for _, s := range rlimitTable {
		if s.name == name {
			return s, nil
		}
	}
	plain := strings.ToLower(strings.TrimPrefix(strings.ToUpper(name), "RLIMIT_"))
	for _, s := range rlimitTable {
		if s.name == plain {
			return rlimitSpec{}, fmt.Errorf("unknown resource %q (write %q)", name, plain)
		}
	}
	return rlimitSpec{}, fmt.Errorf("unknown resource %q%s; the resources are %s", name,
		didYouMean(name, rlimitNames()), strings.Join(rlimitNames(), ", "))
}

// ParseRlimit reads one limit of resource name: an integer for both soft
// and hard, "SOFT:HARD", "infinity" (or "unlimited"), sizes like "64M" for
// the resources counted in bytes.
func ParseRlimit(name, text string) (Rlimit, error) {
	spec, err := lookupRlimit(name)
	if err != nil {
		return Rlimit{}, err
	}
	softText, hardText, pair := strings.Cut(text, ":")
	if !pair {
		hardText = softText
	}
	soft, err := parseRlimValue(spec, softText)
	if err != nil {
		return Rlimit{}, err
	}
	hard, err := parseRlimValue(spec, hardText)
	if err != nil {
		return Rlimit{}, err
	}
	if soft > hard {
		return Rlimit{}, fmt.Errorf("soft limit %s is above hard limit %s", formatRlim(soft), formatRlim(hard))
	}
	return Rlimit{Resource: spec.num, Soft: soft, Hard: hard}, nil
}

// RlimitFromInt is ParseRlimit for a TOML integer: soft and hard both n.
func RlimitFromInt(name string, n int64) (Rlimit, error) {
	spec, err := lookupRlimit(name)
	if err != nil {
		return Rlimit{}, err
	}
	if n < 0 || uint64(n) > spec.max {
		return Rlimit{}, fmt.Errorf("%d is out of range (0 to %d, or \"infinity\")", n, spec.max)
	}
	return Rlimit{Resource: spec.num, Soft: uint64(n), Hard: uint64(n)}, nil
}

func parseRlimValue(spec rlimitSpec, text string) (uint64, error) {
	if text == "infinity" || text == "unlimited" {
		return RlimInfinity, nil
	}
	var v uint64
	var err error
	if spec.bytes {
		v, err = ParseSize(text)
	} else {
		v, err = strconv.ParseUint(text, 10, 64)
	}
	if err != nil {
		return 0, fmt.Errorf("invalid value %q: want a number, \"SOFT:HARD\" or \"infinity\"", text)
	}
	if v > spec.max {
		return 0, fmt.Errorf("%s is out of range (0 to %d, or \"infinity\")", text, spec.max)
	}
	return v, nil
}
