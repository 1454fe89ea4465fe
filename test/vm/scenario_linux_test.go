package vm

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// scenarioTimeout bounds one scenario boot: a microVM under TCG boots to
// its first service in about 3 s and these images hold next to nothing.
const scenarioTimeout = time.Minute

// TestVMScenarios boots, on every amd64 kernel of the matrix, one small
// image per scenario built with tinit-image, and checks the console and a
// clean power-off: TestVMScenarios/<kernel>/<scenario>.
func TestVMScenarios(t *testing.T) {
	src := findKernelsOrSkip(t)
	var kernels []Kernel
	for _, k := range src.Kernels {
		if a, err := archOf(k.Label); err == nil && a.GOARCH == "amd64" {
			kernels = append(kernels, k)
		}
	}
	if len(kernels) == 0 {
		t.Skip("no amd64 kernel: the scenarios run on amd64 only")
	}
	qemu := findQemu(t, archAMD64)
	images := buildScenarioImages(t)
	cpuinfo, _ := os.ReadFile("/proc/cpuinfo")
	khz := hostKHz(cpuinfo)
	for _, k := range kernels {
		t.Run(k.Label, func(t *testing.T) {
			t.Parallel()
			for _, sc := range scenarios {
				t.Run(sc.Name, func(t *testing.T) { bootScenario(t, qemu, k, khz, sc, images[sc.Name]) })
			}
		})
	}
}

// buildScenarioImages builds tinit (or takes TINIT_VM_INIT) and
// tinit-image, and with them the image of each scenario.
func buildScenarioImages(t *testing.T) map[string]string {
	dir := t.TempDir()
	tinit := os.Getenv("TINIT_VM_INIT")
	if tinit == "" {
		tinit = filepath.Join(dir, "tinit")
		if err := buildInit("../..", tinit, "GOARCH=amd64"); err != nil {
			t.Fatal(err)
		}
	}
	tool := filepath.Join(dir, "tinit-image")
	if err := goRun("../..", "GOARCH="+runtime.GOARCH, "build", "-trimpath", "-o", tool, "./cmd/tinit-image"); err != nil {
		t.Fatal(err)
	}
	images := map[string]string{}
	for _, sc := range scenarios {
		images[sc.Name] = filepath.Join(dir, sc.Name+".cpio.gz")
		if err := buildScenarioImage(tool, tinit, sc, images[sc.Name]); err != nil {
			t.Fatal(err)
		}
	}
	return images
}

// bootScenario boots k with the image of sc and checks the console.
func bootScenario(t *testing.T, qemu string, k Kernel, khz int, sc scenario, initrd string) {
	debug := os.Getenv("TINIT_VM_DEBUG") == "1"
	cmdline := kernelCmdline(archAMD64, khz, debug, os.Getenv("TINIT_VM_APPEND"), sc.Command)
	args := qemuArgs(archAMD64, k.Path, initrd, cmdline)
	res := runVM(t.Context(), vmRun{Qemu: qemu, Args: args, Timeout: min(scenarioTimeout, timeoutFor(t))})
	defer func() {
		if t.Failed() || debug {
			t.Logf("%s %s\nconsole transcript of kernel %s (%s):\n%s\nqemu stderr:\n%s",
				qemu, strings.Join(args, " "), k.Label, k.Release, transcript(res.report), res.Stderr)
		}
	}()
	missing, err := missingLines(res.Lines, sc.Want)
	if err != nil {
		t.Fatal(err)
	}
	if len(missing) > 0 {
		t.Errorf("the console has no line matching %q (in order)", missing)
	}
	for _, l := range res.Lines {
		if strings.Contains(l, kernelPanic) {
			t.Errorf("the kernel panicked: %s", l)
			break
		}
	}
	if res.Killed != "" || res.Err != nil {
		t.Errorf("the VM did not power off: %s", howEnded(res))
	}
	t.Logf("VM wall time %.1f s", res.Wall.Seconds())
}
