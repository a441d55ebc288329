# rowplane — RecordOps on Crossplane. `make help` lists the targets.
SHELL := /usr/bin/env bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

export ROWPLANE_TOOLS ?= $(HOME)/.cache/rowplane/tools
TOOLS_SH      := .ci/tools.sh
CROSSPLANE    := $(shell $(TOOLS_SH) path crossplane)
CONTROLLER_GEN:= $(shell $(TOOLS_SH) path controller-gen)
ANGRYJET      := $(shell $(TOOLS_SH) path angryjet)
ENVTEST_DIR   := $(shell $(TOOLS_SH) path envtest)
OUT           ?= _output
GO_TEST_FLAGS ?=
VERSION       ?= $(shell git describe --tags --exact-match 2>/dev/null || echo v0.0.0-$$(git rev-parse --short=12 HEAD 2>/dev/null || echo dev))

# Tests find the pinned tools through these; under CI=true a missing tool fails the test.
export ROWPLANE_CROSSPLANE := $(CROSSPLANE)
export KUBEBUILDER_ASSETS  := $(ENVTEST_DIR)

.PHONY: help
help: ## List the targets.
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | column -t -s $$'\t'

.PHONY: tools
tools: ## Build the pinned tools (crossplane CLI, envtest, controller-gen, angryjet) into $(ROWPLANE_TOOLS); skipped when present.
	@$(TOOLS_SH) crossplane controller_gen angryjet envtest

.PHONY: build
build: ## Build function-rowplane and provider-rowplane into $(OUT)/bin.
	CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=$(VERSION)" -o $(OUT)/bin/function-rowplane ./fn
	CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=$(VERSION)" -o $(OUT)/bin/provider-rowplane ./provider

.PHONY: generate
generate: ## Regenerate deepcopy code and CRDs (input → package/function/input, apis → package/provider/crds).
	@$(TOOLS_SH) controller_gen angryjet
	CONTROLLER_GEN=$(CONTROLLER_GEN) ANGRYJET=$(ANGRYJET) go generate -tags generate ./input/... ./apis/...

.PHONY: check-generate
check-generate: generate ## Fail when generated files differ from the committed tree.
	@git diff --exit-code -- input apis package || { echo "generated files are stale: run 'make generate' and commit" >&2; exit 1; }

.PHONY: test
test: tools check-generate ## Run every test: unit, render goldens (real crossplane CLI), MariaDB + envtest integration.
	go vet ./...
	go test -count=1 $(GO_TEST_FLAGS) ./...

.PHONY: golden
golden: tools ## Rewrite the render goldens of every example from the real crossplane CLI.
	ROWPLANE_UPDATE_GOLDEN=1 go test -count=1 -run TestRenderExamples ./examples/...

.PHONY: render
render: tools ## Render one example offline: make render EXAMPLE=database-per-node [CASE=...].
	@test -n "$(EXAMPLE)" || { echo "usage: make render EXAMPLE=<folder in examples/> [CASE=<case>]" >&2; exit 2; }
	@go run ./examples/cmd/render -crossplane "$(CROSSPLANE)" -example examples/$(EXAMPLE) $(if $(CASE),-case $(CASE))

.PHONY: bench
bench: ## Run the benchmarks.
	go test -run '^$$' -bench . -benchmem ./...

.PHONY: clean
clean: ## Remove build output (the tool cache stays).
	rm -rf $(OUT)
