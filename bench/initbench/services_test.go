package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestServicesSection(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.txt")
	os.WriteFile(good, []byte(`goos: linux
BenchmarkServices/n=10-2    3  29434114 ns/op  437.5 raw-start-us/svc  73.58 raw-stop-us/svc  1071 start-us/svc  2.449 start-x  636.7 stop-us/svc  8.654 stop-x
BenchmarkServices/n=1000-2  3  9434114 ns/op  400 raw-start-us/svc  70 raw-stop-us/svc  800 start-us/svc  2 start-x  140 stop-us/svc  2 stop-x
PASS
`), 0o644)
	s, err := servicesSection(good, "tinit.test -test.bench Services", machine{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| 10 | 1071 | 438 | 2.45 | 637 | 74 | 8.65 |",
		"| 1000 | 800 | 400 | 2.00 | 140 | 70 | 2.00 |",
		"`tinit.test -test.bench Services`",
	} {
		if !strings.Contains(s.body, want) {
			t.Errorf("section lacks %q:\n%s", want, s.body)
		}
	}

	missing := filepath.Join(dir, "missing.txt")
	os.WriteFile(missing, []byte("BenchmarkServices/n=10-2 3 1 ns/op 2 start-x\n"), 0o644)
	if _, err := servicesSection(missing, "", machine{}); err == nil || !strings.Contains(err.Error(), "start-us/svc") {
		t.Errorf("a result without start-us/svc: %v, want an error naming it", err)
	}
	empty := filepath.Join(dir, "empty.txt")
	os.WriteFile(empty, []byte("PASS\n"), 0o644)
	if _, err := servicesSection(empty, "", machine{}); err == nil {
		t.Error("no result: no error")
	}
}
