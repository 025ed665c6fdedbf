# Frazil's build and test entry points. `make test` is what CI runs.
SHELL := /bin/bash
GO ?= go
export CGO_ENABLED := 0
BIN := bin/frazil

.PHONY: all build setup vet unit lib-frazil conformance test bench fuzz run clean

all: build

build:
	$(GO) build -trimpath -o $(BIN) ./cmd/frazil

# Installs apt packages (Nix 2.8 as the reference, QEMU, firmware, oracles) and Go modules.
setup:
	scripts/setup

vet:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	$(GO) vet ./...

# Unit, differential and QEMU tests. FRAZIL_STRICT=1 turns a missing
# prerequisite into a failure instead of a skip. The package, example and
# QEMU tests share one store (out/test-store), so each package is built once.
TEST_STORE := $(CURDIR)/out/test-store
unit: build
	mkdir -p $(TEST_STORE)
	FRAZIL_STRICT=1 FRAZIL_TEST_STORE=$(TEST_STORE) FRAZIL_PKGS_STORE=$(TEST_STORE) \
		$(GO) test -timeout 80m ./...

conformance: build
	scripts/conformance

# The library and module-system suite again, under Frazil's own evaluator
# (`unit` runs it under the reference nix-instantiate).
lib-frazil: build
	FRAZIL_STRICT=1 FRAZIL_NIX_EVAL="$(CURDIR)/$(BIN) instantiate" $(GO) test -count=1 ./lib/

test: setup vet unit lib-frazil conformance

bench: build
	scripts/bench

fuzz:
	scripts/fuzz $(FUZZTIME)

# The main job: see README.md.
run: setup build
	scripts/run

clean:
	rm -rf bin
