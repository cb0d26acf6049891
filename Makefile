# mediaharness: contract and load tests for the Rentix CRM Media API.
# `make conformance` runs the suite against the embedded reference server and
# writes reports/; `make test` is the whole test gate (what CI runs).

GO        ?= go
BIN       := bin/mediaharness
GOFILES   := $(shell find . -name '*.go' -not -path './.git/*')
SCENARIOS := get get-external link delete mixed
LOAD_RATE ?= 200/s
LOAD_TIME ?= 10s
# LOAD_POOL: files for delete and mixed, enough for LOAD_RATE × LOAD_TIME.
LOAD_POOL ?= 2000

.PHONY: build test lint spec-lint spec-lint-external serve conformance load capacity bench mutation report-check

# VERSION is stamped into the binary (mediaharness version); without it a
# build reports the VCS revision Go records, or "devel".
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null)
LDFLAGS   := -X github.com/rentix/mediaharness/internal/cli.Version=$(VERSION)

build:
	$(GO) build -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/mediaharness

## The main job: the conformance suite against the embedded reference server.
conformance: build
	./$(BIN) conform

test: lint spec-lint
	$(GO) test -race -count=1 ./...

## The contract's own lint rules (see openapi/lint.go): exit 1 on a problem.
spec-lint:
	$(GO) run ./cmd/mediaharness spec --lint

## Redocly and Spectral with their recommended rulesets, installed with npm
## into .tools/ (gitignored). Needs the npm registry; not part of `make test`.
TOOLS := $(CURDIR)/.tools
spec-lint-external:
	@test -x $(TOOLS)/node_modules/.bin/redocly -a -x $(TOOLS)/node_modules/.bin/spectral || \
		npm install --no-audit --no-fund --prefix $(TOOLS) @redocly/cli@2.77.0 @stoplight/spectral-cli@6.16.3
	@printf 'extends: ["spectral:oas"]\n' > $(TOOLS)/spectral.yaml
	$(TOOLS)/node_modules/.bin/redocly lint --extends recommended openapi/rentix-media.yaml
	$(TOOLS)/node_modules/.bin/spectral lint --fail-severity error -r $(TOOLS)/spectral.yaml openapi/rentix-media.yaml

lint:
	@unformatted=$$(gofmt -l $(GOFILES)); \
	if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...

serve: build
	./$(BIN) serve

## Every load scenario against the embedded server, each judged by loadtest/slo.yaml.
load: build
	@for s in $(SCENARIOS); do \
		./$(BIN) load --scenario $$s --rate $(LOAD_RATE) --duration $(LOAD_TIME) --max-pool $(LOAD_POOL) || exit $$?; \
	done

capacity: build
	./$(BIN) capacity --scenario get

## The mutation check: the suite against the clean reference server (no false
## alarm allowed) and against every one of its faults (each must be caught).
## A fast subset runs in `make test`; this is the whole.
mutation: build
	./$(BIN) selftest

## Speed and memory figures: the validating load generator against plain
## Vegeta, the reference server against a minimal handler, the cost of a check.
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count=1 ./internal/loadtest/ ./internal/contract/ ./internal/refserver/

## Renders every HTML page (conformance, load, capacity, run index) in headless Chromium (installed from Debian's
## packages when missing) and keeps the screenshots in reports/report-check/.
report-check:
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium; }
	@mkdir -p reports/report-check
	REPORT_REQUIRE_CHROMIUM=1 REPORT_SCREENSHOT_DIR=$(CURDIR)/reports/report-check $(GO) test -count=1 -run 'RendersInChromium' -v ./internal/report ./internal/loadtest
