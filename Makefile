# Mosaic developer tasks. `make help` lists them.
#
# Needs Go and the PostgreSQL server binaries (Debian: apt-get install
# postgresql); every other tool is installed on first use into bin/tools.

SHELL := /usr/bin/env bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

GO ?= go
# The race detector is on for `make test` (the whole suite must stay under
# 20 minutes on 2 cores; it does by far). `make test RACE=` turns it off.
RACE ?= -race
# Extra flags for go test, e.g. `make test TESTFLAGS=-v`.
TESTFLAGS ?=
# Runs a command with a throwaway PostgreSQL exported as TEST_DATABASE_URL
# and an S3-compatible server (Versity Gateway, installed into bin/tools on
# first use) exported as TEST_S3_*.
TESTENV := $(GO) run ./internal/tools/testenv --

TOOLS := $(CURDIR)/bin/tools
# staticcheck 2026.2.2 is the first release line that understands Go 1.26.
STATICCHECK_VERSION := v0.8.2
STATICCHECK := $(TOOLS)/staticcheck-$(STATICCHECK_VERSION)

# The IoT display client is a module of its own (standard library only).
IOT := frontend-examples/iot

.PHONY: help dev build dist check-dist check-deploy generate check-generated graphiql check-graphiql studio check-studio lint test test-go test-iot test-browser test-short bench load fuzz clean

help: ## List the targets
	@echo "Mosaic: make <target>"
	@grep -hE '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*## "} {printf "  %-16s %s\n", $$1, $$2}'

dev: ## Run mosaic dev: private PostgreSQL in ./.mosaic, demo content, http://127.0.0.1:8080
	$(GO) run ./cmd/mosaic dev

build: ## Build bin/mosaic
	$(GO) build -o bin/mosaic ./cmd/mosaic

# The release binary: static (no cgo), paths trimmed, VCS stamping off so
# the output does not depend on a .git directory being present (a container
# build context has none); version and commit stamped instead. Same inputs,
# same bytes (scripts/check-dist.sh). -tags nodynamic: gen2brain/webp would
# otherwise try a system libwebp through purego, whose fake cgo makes even a
# CGO_ENABLED=0 binary ask for the dynamic loader; with the tag it always
# uses its WebAssembly build and the binary is static.
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo devel)
COMMIT ?= $(shell git rev-parse HEAD 2>/dev/null || echo unknown)
GOOS ?= linux
GOARCH ?= amd64
DIST_FLAGS := -trimpath -buildvcs=false -tags nodynamic -ldflags '-s -w -buildid= -X main.version=$(VERSION) -X main.commit=$(COMMIT)'
dist: ## Build the static release binary bin/mosaic-$(GOOS)-$(GOARCH) (VERSION=, COMMIT= override git)
	CGO_ENABLED=0 GOOS=$(GOOS) GOARCH=$(GOARCH) $(GO) build $(DIST_FLAGS) -o bin/mosaic-$(GOOS)-$(GOARCH) ./cmd/mosaic

check-dist: ## Build the release binary twice and fail unless both are byte-identical
	scripts/check-dist.sh

check-deploy: ## helm lint + helm template of deploy/helm/mosaic (installs helm into bin/tools when missing)
	scripts/check-deploy.sh

generate: ## Regenerate generated code (gqlgen in graph/)
	$(GO) generate ./...

check-generated: ## Fail if generated code in graph/ is stale
	scripts/check-generated.sh

graphiql: ## Rebuild GraphiQL (server/graphiql/web, npm + Vite) into server/graphiql/dist, embedded in the binary
	scripts/build-graphiql.sh

check-graphiql: ## Fail if server/graphiql/dist is not what its sources build to
	scripts/check-graphiql.sh

studio: ## Rebuild the studio app (studio/web, npm + Vite; typed GraphQL from graph/*.graphqls) into studio/dist, embedded in the binary
	scripts/build-studio.sh

check-studio: ## The studio's component tests (Vitest); fail if studio/dist or its generated GraphQL types are stale
	scripts/check-studio.sh

lint: $(STATICCHECK) ## gofmt, go vet (also with cgo off: no C compiler needed), staticcheck, import-direction rules, CONTRIBUTING package map
	scripts/check-gofmt.sh
	$(GO) vet ./...
	scripts/check-nocgo.sh
	$(STATICCHECK) ./...
	cd $(IOT) && $(GO) vet ./... && $(STATICCHECK) ./...
	scripts/check-imports.sh
	scripts/check-package-map.sh
	scripts/check-dist.sh
	scripts/check-deploy.sh

test: check-generated check-graphiql check-studio lint test-go test-iot test-browser ## Everything CI runs: generated code, GraphiQL's and the studio's builds (and the studio's component tests), lint, Go tests (-race, real PostgreSQL and S3 server), the IoT client against a real mosaic dev, browser tests

test-go: ## Go tests with -race against a throwaway PostgreSQL and S3 server, and Varnish for the CDN tests (installed when missing)
	scripts/ensure-varnish.sh
	$(TESTENV) $(GO) test $(RACE) -count=1 -timeout 15m $(TESTFLAGS) ./...

test-iot: build ## The IoT display client (its own module), unit tests and against a real mosaic dev
	cd $(IOT) && MOSAIC_BIN=$(CURDIR)/bin/mosaic $(GO) test $(RACE) -count=1 -timeout 5m $(TESTFLAGS) ./...

test-browser: build ## Frontend examples in headless Chromium against a real mosaic dev (installs chromium when missing)
	scripts/ensure-browser.sh
	cd frontend-examples && MOSAIC_BIN=$(CURDIR)/bin/mosaic npm test

test-short: ## Quick tests (-short, no race detector, no lint) against a real PostgreSQL and S3 server
	$(TESTENV) $(GO) test -short -count=1 -timeout 5m $(TESTFLAGS) ./...

bench: ## Run the benchmarks against a real PostgreSQL and S3 server
	$(TESTENV) $(GO) test -run '^$$' -bench . -benchmem $(TESTFLAGS) ./...

# The load script's content size and phase length (bench/load).
PAGES ?= 200
DURATION ?= 20s
load: build ## Personalized reads under load beside a bare net/http server (PAGES=200 DURATION=20s)
	$(GO) run ./bench/load -pages $(PAGES) -duration $(DURATION) $(LOADFLAGS)

fuzz: ## Fuzz every Fuzz* target for FUZZTIME each (default 10s)
	$(TESTENV) scripts/fuzz.sh

clean: ## Remove build and test outputs (keeps bin/tools and the Go build cache)
	rm -rf bin/mosaic test-artifacts
	find . \( -name node_modules -o -name .git \) -prune -o \( -name '*.test' -o -name '*.out' \) -type f -print0 | xargs -0 -r rm -f

# Installed under a versioned name so that bumping the version reinstalls.
$(STATICCHECK):
	@mkdir -p $(TOOLS)
	GOBIN=$(TOOLS) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
	mv $(TOOLS)/staticcheck $@
