package main

import (
	"slices"
	"testing"
	"time"
)

func TestSchedOptions(t *testing.T) {
	for _, tc := range []struct {
		cmdline string
		want    []string
	}{
		{"console=ttyS0 quiet\n", nil},
		{"console=ttyS0 sched_vcpu_pack=15 schedstats=enable panic=1 -- --sched-x=1\n", []string{"sched_vcpu_pack=15", "schedstats=enable"}},
		{"", nil},
	} {
		if got := schedOptions(tc.cmdline); !slices.Equal(got, tc.want) {
			t.Errorf("schedOptions(%q) = %q, want %q", tc.cmdline, got, tc.want)
		}
	}
}

func TestMachineString(t *testing.T) {
	m := machine{date: time.Date(2026, 11, 29, 4, 30, 0, 0, time.UTC), kernel: "6.18.44", cpus: 2, cpu: "AMD EPYC"}
	if got, want := m.String(), "2026-11-29 04:30 UTC, 2 vCPU (AMD EPYC), kernel 6.18.44"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	m.sched = []string{"sched_vcpu_pack=15"}
	if got, want := m.String(), "2026-11-29 04:30 UTC, 2 vCPU (AMD EPYC), kernel 6.18.44 (sched_vcpu_pack=15)"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}
