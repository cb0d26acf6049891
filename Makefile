# mediaharness: contract and load tests for the Rentix CRM Media API.
# `make conformance` runs the suite against the embedded reference server and
# writes reports/; `make test` is the whole test gate (what CI runs).

GO       ?= go
BIN      := bin/mediaharness
GOFILES  := $(shell find . -name '*.go' -not -path './.git/*')

.PHONY: build test lint serve

build:
	$(GO) build -o $(BIN) ./cmd/mediaharness

test: lint
	$(GO) test -race -count=1 ./...

lint:
	@unformatted=$$(gofmt -l $(GOFILES)); \
	if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...

serve: build
	./$(BIN) serve
