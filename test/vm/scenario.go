package vm

import (
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// scenario is one boot of a small image, built with tinit-image as a user
// builds one (docs/image.md), that checks how tinit begins and ends a
// machine. No runner and no guest test: the console says what happened.
type scenario struct {
	Name string
	// Config is the services file, put in the image with tinit-image
	// --config (/etc/tinit/services.toml); "" for none.
	Config string
	// Files are more files of the image, its path to its content, each
	// added with tinit-image --file.
	Files map[string]string
	// Command is what the kernel command line has after "--": nil for
	// no "--" at all, as docs/image.md boots. One word may be a
	// double-quoted string with spaces, which the kernel passes on as one
	// argument, without the quotes.
	Command []string
	// Want are patterns that lines of the console must match, in order.
	Want []string
}

// scenarioPrograms are the host programs every scenario image holds.
var scenarioPrograms = []string{"/bin/sh", "/usr/bin/sleep"}

// powerDown is what the kernel prints as it powers off (kernel_power_off):
// a panic or a restart ends QEMU too, but never with this line.
const powerDown = `reboot: Power down`

// kernelPanic starts the line of a kernel panic, such as "Kernel panic -
// not syncing: Attempted to kill init!" when /init exits.
const kernelPanic = "Kernel panic"

var scenarios = []scenario{
	{
		// docs/image.md: an image built with tinit-image --config, and
		// a kernel command line without "--", nothing for /init.
		Name: "config",
		Config: `[service.setup]
type = "oneshot"
command = ["/bin/sh", "-c", "echo done > /run/setup"]

[service.main]
type = "oneshot"
requires = ["setup"]
main = true
command = ["/bin/sh", "-c", "read s < /run/setup; echo \"setup $s\""]
`,
		Want: []string{`^main +\| setup done$`, `^tinit: services ended with code 0; powering off$`, powerDown},
	},
	{
		// The same boot without a services file: tinit says what is
		// missing and powers off, rather than exit and panic the kernel.
		Name: "no-config",
		Want: []string{
			`^tinit: no command given, and no /etc/tinit/services.toml \(run 'tinit --help' for usage\)$`,
			`^tinit: exit code 2; powering off$`, powerDown,
		},
	},
	{
		// Ctrl-Alt-Del sends SIGINT to a machine's init (after
		// reboot(CAD_OFF)), as this child does: tinit stops it with
		// SIGTERM, although it ignores SIGINT, and powers off.
		Name:    "ctrl-alt-del",
		Command: []string{"/bin/sh", "-c", `"trap '' INT; kill -INT 1; exec /usr/bin/sleep 600"`},
		Want:    []string{`^tinit: /bin/sh ended with code 143; powering off$`, powerDown},
	},
	{
		// What a machine's init sets up beside the mounts, seen by its
		// child: lo is up (its flags IFF_UP|IFF_LOOPBACK; the kernel
		// starts it down, 0x8), the hostname is the one /etc/hostname
		// names (the kernel's own is "(none)"), and /dev/stdout, which
		// devtmpfs lacks, leads to the console (a missing one would
		// become a regular file and print nothing).
		Name:  "machine-setup",
		Files: map[string]string{"/etc/hostname": "# the scenario's\ntinit-scenario\n"},
		Command: []string{"/bin/sh", "-c", `"read f < /sys/class/net/lo/flags; echo lo flags $f; ` +
			`read h < /proc/sys/kernel/hostname; echo hostname $h; ` +
			`echo written to /dev/stdout > /dev/stdout; [ -d /dev/fd/ ] && echo /dev/fd is a directory"`},
		Want: []string{`^lo flags 0x9$`, `^hostname tinit-scenario$`, `^written to /dev/stdout$`,
			`^/dev/fd is a directory$`, `^tinit: /bin/sh ended with code 0; powering off$`, powerDown},
	},
}

// buildScenarioImage writes the initramfs of sc to out with tinit-image
// (the binary at tool): tinit as /init, sc's services file and files,
// and scenarioPrograms with their libraries.
func buildScenarioImage(tool, tinit string, sc scenario, out string) error {
	args := []string{"-o", out, "--init", tinit}
	if sc.Config != "" {
		cfg := filepath.Join(filepath.Dir(out), sc.Name+".toml")
		if err := os.WriteFile(cfg, []byte(sc.Config), 0o644); err != nil {
			return err
		}
		args = append(args, "--config", cfg)
	}
	for i, dst := range slices.Sorted(maps.Keys(sc.Files)) {
		src := filepath.Join(filepath.Dir(out), fmt.Sprintf("%s.file%d", sc.Name, i))
		if err := os.WriteFile(src, []byte(sc.Files[dst]), 0o644); err != nil {
			return err
		}
		args = append(args, "--file", dst+"="+src)
	}
	for _, p := range scenarioPrograms {
		args = append(args, "--program", p+"="+p)
	}
	if b, err := exec.Command(tool, args...).CombinedOutput(); err != nil {
		return fmt.Errorf("tinit-image %s: %v\n%s", strings.Join(args, " "), err, b)
	}
	return nil
}

// missingLines returns the patterns of want that lines do not match in
// order: each pattern is looked for after the line the one before
// matched.
func missingLines(lines, want []string) ([]string, error) {
	i := 0
	for k, w := range want {
		re, err := regexp.Compile(w)
		if err != nil {
			return nil, err
		}
		for i < len(lines) && !re.MatchString(lines[i]) {
			i++
		}
		if i == len(lines) {
			return want[k:], nil
		}
		i++
	}
	return nil, nil
}
