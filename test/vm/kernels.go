package vm

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Kernel is one kernel to boot.
type Kernel struct {
	Label   string // name of its subtest: a series of kernels.txt or a label of TINIT_KERNELS
	Path    string // its vmlinuz (bzImage; arm64: Image)
	Release string // what uname -r will say, read from the bzImage
}

// Tier returns the tier tinit must find on k (TINIT_EXPECT_TIER): autoreap
// from 7.1 on, pidfd before.
func (k Kernel) Tier() (string, error) {
	major, minor, err := majorMinor(k.Release)
	if err != nil {
		return "", fmt.Errorf("kernel %s: %w", k.Label, err)
	}
	if major > 7 || major == 7 && minor >= 1 {
		return "autoreap", nil
	}
	return "pidfd", nil
}

// majorMinor reads "7.2" from a release such as "7.2.13+deb14-cloud-amd64".
func majorMinor(release string) (int, int, error) {
	parts := strings.SplitN(release, ".", 3)
	if len(parts) < 2 {
		return 0, 0, fmt.Errorf("release %q: want major.minor", release)
	}
	major, err1 := strconv.Atoi(parts[0])
	digits := strings.IndexFunc(parts[1]+"-", func(r rune) bool { return r < '0' || r > '9' })
	minor, err2 := strconv.Atoi(parts[1][:digits])
	if err1 != nil || err2 != nil {
		return 0, 0, fmt.Errorf("release %q: want major.minor", release)
	}
	return major, minor, nil
}

// matrixLabels reads the labels of kernels.txt: the first word of each line
// that is not blank or a comment.
func matrixLabels(data []byte) ([]string, error) {
	var labels []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		if len(f) < 2 {
			return nil, fmt.Errorf("kernels.txt: %q: want a label and suites", sc.Text())
		}
		if _, err := archOf(f[0]); err != nil {
			return nil, fmt.Errorf("kernels.txt: %w", err)
		}
		labels = append(labels, f[0])
	}
	return labels, sc.Err()
}

// parseKernelsSpec reads TINIT_KERNELS in its list form,
// "label=/path/vmlinuz,label=/path/vmlinuz".
func parseKernelsSpec(spec string) ([]Kernel, error) {
	var ks []Kernel
	for _, item := range strings.Split(spec, ",") {
		label, path, ok := strings.Cut(item, "=")
		if !ok || label == "" || path == "" || strings.ContainsAny(label, "/ ") {
			return nil, fmt.Errorf("TINIT_KERNELS: %q: want label=/path/vmlinuz (a label has no / or space)", item)
		}
		if slices.ContainsFunc(ks, func(k Kernel) bool { return k.Label == label }) {
			return nil, fmt.Errorf("TINIT_KERNELS: label %q given twice", label)
		}
		ks = append(ks, Kernel{Label: label, Path: path})
	}
	return ks, nil
}

// cacheDir is where deps.sh keeps what it fetched: TINIT_CACHE, or
// /var/cache/tinit.
func cacheDir() string {
	if cache := os.Getenv("TINIT_CACHE"); cache != "" {
		return cache
	}
	return "/var/cache/tinit"
}

// kernelsSource says where the kernels come from, for messages.
type kernelsSource struct {
	Kernels []Kernel
	Missing []string // labels of the matrix with no kernel in the cache
	From    string
}

// findKernels returns the kernels to boot: those of TINIT_KERNELS, or else
// the matrix of kernels.txt as deps.sh cached it, with the labels it lacks.
func findKernels(matrix []byte) (kernelsSource, error) {
	if spec := os.Getenv("TINIT_KERNELS"); spec != "" {
		return kernelsFromSpec(spec)
	}
	dir := filepath.Join(cacheDir(), "kernels")
	labels, err := matrixLabels(matrix)
	if err != nil {
		return kernelsSource{}, err
	}
	src := kernelsSource{From: dir}
	for _, l := range labels {
		p := filepath.Join(dir, l, "vmlinuz")
		if _, err := os.Stat(p); err != nil {
			src.Missing = append(src.Missing, l)
			continue
		}
		src.Kernels = append(src.Kernels, Kernel{Label: l, Path: p})
	}
	return src, readReleases(src.Kernels)
}

// kernelsFromSpec reads TINIT_KERNELS: a directory of <label>/vmlinuz, or
// a list of label=/path.
func kernelsFromSpec(spec string) (kernelsSource, error) {
	src := kernelsSource{From: "TINIT_KERNELS=" + spec}
	if fi, err := os.Stat(spec); err == nil && fi.IsDir() {
		paths, _ := filepath.Glob(filepath.Join(spec, "*", "vmlinuz"))
		if len(paths) == 0 {
			return src, fmt.Errorf("TINIT_KERNELS=%s: no <label>/vmlinuz in the directory", spec)
		}
		for _, p := range paths {
			src.Kernels = append(src.Kernels, Kernel{Label: filepath.Base(filepath.Dir(p)), Path: p})
		}
	} else {
		ks, err := parseKernelsSpec(spec)
		if err != nil {
			return src, err
		}
		src.Kernels = ks
	}
	return src, readReleases(src.Kernels)
}

// readReleases fills in each kernel's release from its image.
func readReleases(ks []Kernel) error {
	var errs []error
	for i := range ks {
		rel, err := readKernelRelease(ks[i].Path)
		if err != nil {
			errs = append(errs, fmt.Errorf("kernel %s: %w", ks[i].Label, err))
		}
		ks[i].Release = rel
	}
	return errors.Join(errs...)
}
