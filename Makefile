# tinit — `make help` lists the targets.
SHELL := /bin/bash
GO ?= go
export CGO_ENABLED := 0
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
# tinit's own entry point records what it inherited (ignored signals,
# RLIMIT_NOFILE) before the Go runtime changes them: see cmd/tinit/start.go.
TINIT_LDFLAGS := -s -w -E=_rt0_tinit
LDFLAGS := -s -w -X main.version=$(VERSION)
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: help build test test-vm test-all check bench deps clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

build: ## build bin/tinit and bin/tinit-image (static)
	$(GO) build -trimpath -ldflags '$(TINIT_LDFLAGS) -X main.version=$(VERSION)' -o bin/tinit ./cmd/tinit
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o bin/tinit-image ./cmd/tinit-image

# The stress tests spawn tens of thousands of children; with -race each
# child is a race-instrumented binary, so they run in a pass of their own.
STRESS := TestRaceTorture|TestSpawnUnderGCPressure

test: ## host tests: everything with -race, the stress tests without
	CGO_ENABLED=1 $(GO) test -race -count=1 -skip '$(STRESS)|TestVM' ./...
	$(GO) test -count=1 -run '$(STRESS)' ./reaper/

test-vm: ## the test suite inside QEMU microVMs on the kernel matrix
	$(GO) test -count=1 -timeout 15m ./test/vm/...

deps: ## install what the tests need (apt packages, test kernels)
	bash test/vm/deps.sh

test-all: deps check test test-vm ## install what is needed, then every check and test

check: ## gofmt, go vet, staticcheck, import direction, arm64 build
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	GOARCH=arm64 $(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...
	$(GO) test -count=1 ./internal/layout/
	GOARCH=amd64 $(GO) build -o /dev/null ./...
	GOARCH=arm64 $(GO) build -o /dev/null ./...

bench: ## benchmarks; figures go to bench/RESULTS.md
	bash bench/run.sh

clean: ## remove build output
	rm -rf bin
