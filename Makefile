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
# The package tests build every image and package for two platforms, several times over: on a
# loaded 2-core machine (CI beside a second checkout) that takes longer than go test's default
# ten minutes.
GO_TEST_FLAGS ?= -timeout 30m
VERSION       ?= $(shell git describe --tags --exact-match 2>/dev/null || echo v0.0.0-$$(git rev-parse --short=12 HEAD 2>/dev/null || echo dev))

# Tests find the pinned tools through these; under CI=true a missing tool fails the test.
export ROWPLANE_CROSSPLANE := $(CROSSPLANE)
export KUBEBUILDER_ASSETS  := $(ENVTEST_DIR)
export ROWPLANE_CROSSPLANE_CORE := $(shell $(TOOLS_SH) path crossplane-core)
export ROWPLANE_PROMTOOL := $(shell $(TOOLS_SH) path promtool)
export ROWPLANE_SCHEMAS  := $(shell $(TOOLS_SH) path schemas)

.PHONY: help
help: ## List the targets.
	@grep -hE '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | column -t -s $$'\t'

.PHONY: tools
tools: ## Build the pinned tools (crossplane CLI and core, envtest, controller-gen, angryjet, promtool, offline schemas) into $(ROWPLANE_TOOLS); skipped when present.
	@$(TOOLS_SH) crossplane controller_gen angryjet envtest crossplane_core promtool schemas

.PHONY: deps
deps: ## Install and start what the tests need (MariaDB on 127.0.0.1:3306, openssl, CA bundle) when missing.
	@.ci/deps.sh

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

.PHONY: check-tidy
check-tidy: ## Fail when go.mod or go.sum is not tidy (every direct dependency listed as direct).
	@go mod tidy -diff || { echo "go.mod is not tidy: run 'go mod tidy' and commit" >&2; exit 1; }

.PHONY: test
test: deps tools check-generate check-tidy ## Run every test: unit, render goldens (real crossplane CLI), MariaDB + envtest integration; under CI=true also e2e.
	go vet ./...
	go vet -tags e2e ./test/...
	go test -count=1 $(GO_TEST_FLAGS) ./...
	@if [ "$${CI:-}" = true ]; then $(MAKE) --no-print-directory e2e; fi

.PHONY: flake
flake: deps tools ## Hunt flaky tests: unit and integration tests FLAKE_COUNT times (default 20), then two clones' runs at once, ROUNDS times (default 3).
	@# The package build tests (./package) run once per round below; twenty rebuilds of every image prove nothing more.
	go test -count=$(FLAKE_COUNT) $(GO_TEST_FLAGS) $$(go list ./... | grep -v '/rowplane/package$$')
	ROUNDS=$(ROUNDS) .ci/flake.sh

FLAKE_COUNT ?= 20
ROUNDS      ?= 3

.PHONY: e2e
e2e: deps tools ## End-to-end suite: a real Crossplane control plane without Docker, driven through a private MariaDB (E2E_RUN selects scenarios).
	@$(TOOLS_SH) provider_kubernetes
	$(MAKE) --no-print-directory xpkg PLATFORMS=linux/$$(go env GOARCH) OUT=$(OUT)/e2e
	ROWPLANE_PROVIDER_KUBERNETES=$(shell $(TOOLS_SH) path provider-kubernetes) \
	ROWPLANE_XPKG_DIR=$(abspath $(OUT))/e2e/xpkg go test -tags e2e -count=1 -timeout 15m -v -run '$(or $(E2E_RUN),.)' ./test/e2e/... 2>&1 | grep -vE '^=== (RUN|PAUSE|CONT)'

.PHONY: demo
demo: ## The end-to-end demo: rows become tenants on a local control plane (MYSQL_DSN=user:pass@tcp(host:port)/db for a real MySQL, PG_DSN=postgres://user:pass@host:5432/db for PostgreSQL; KEEP=1 to explore after).
	@$(TOOLS_SH) crossplane crossplane_core envtest
	@.ci/deps.sh images
	@echo "[demo] building the packages for linux/$$(go env GOARCH) into $(OUT)/demo/xpkg (Go's build cache makes reruns quick)"
	@$(MAKE) --no-print-directory xpkg PLATFORMS=linux/$$(go env GOARCH) OUT=$(OUT)/demo
	@echo "[demo] building the demo"
	@go build -o $(OUT)/demo/bin/demo ./cmd/demo
	@ROWPLANE_XPKG_DIR=$(abspath $(OUT))/demo/xpkg $(OUT)/demo/bin/demo -dir $(OUT)/demo $(if $(filter 1 true yes,$(KEEP)),-keep)

.PHONY: golden
golden: tools ## Rewrite the render goldens of every example from the real crossplane CLI.
	ROWPLANE_UPDATE_GOLDEN=1 go test -count=1 -run TestRenderExamples ./test/golden/

.PHONY: render
render: tools ## Render one example offline: make render EXAMPLE=database-per-node [CASE=...].
	@test -n "$(EXAMPLE)" || { echo "usage: make render EXAMPLE=<folder in examples/> [CASE=<case>]" >&2; exit 2; }
	@go run ./cmd/render -crossplane "$(CROSSPLANE)" -example examples/$(EXAMPLE) $(if $(CASE),-case $(CASE))

.PHONY: bench
bench: tools ## Run the benchmarks (the 10,000-row Hub benchmark needs envtest and MariaDB).
	go test -run '^$$' -bench . -benchmem ./...

.PHONY: bench-latency
bench-latency: tools ## Measure row change → claim latency (p50/p99 per change kind) on MariaDB and PostgreSQL with syncInterval 5m; takes a few minutes.
	go test -count=1 -run '^$$' -bench ChangeLatency -benchtime 1x -timeout 30m ./provider/hubsync/

.PHONY: clean
clean: ## Remove build output (the tool cache stays).
	rm -rf $(OUT)

# ---- Packages: runtime images, xpkgs, publishing ------------------------------------------------
# No Docker: the Go program in package/cmd/image writes each runtime image as an image tarball from
# the static binary, and `crossplane xpkg build` embeds it. xpkg build embeds exactly one image, so
# there is one .xpkg per package and platform; `make publish` pushes each package's platforms
# under one tag, which `crossplane xpkg push` turns into a multi-platform index.
PLATFORMS  ?= linux/amd64 linux/arm64
PACKAGES   ?= function provider
REGISTRY   ?=
# Extra flags for crossplane xpkg push, e.g. --insecure-skip-tls-verify for a test registry.
PUSH_FLAGS ?=
IMAGES_DIR ?= $(OUT)/images
XPKG_DIR   ?= $(OUT)/xpkg
# System roots for TLS to databases with public CAs (Debian's ca-certificates). Set it empty to
# build images without them; a set path that does not exist fails the build.
CA_BUNDLE  ?= /etc/ssl/certs/ca-certificates.crt
PACKAGE_ROOT_function ?= package/function
PACKAGE_ROOT_provider ?= package/provider
GIT_REVISION := $(shell git rev-parse HEAD 2>/dev/null || echo unknown)
# The commit time dates the images and their files, so a commit always builds the same digests.
GIT_TIME     := $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
# package:binary:main package:package root, one word per package, for the recipes' loops.
PKG_SPECS = $(foreach p,$(PACKAGES),$(p):$(if $(filter function,$(p)),function-rowplane:./fn,provider-rowplane:./provider):$(PACKAGE_ROOT_$(p)))

.PHONY: images
images: ## Build both runtime images as image tarballs, no Docker (PLATFORMS, PACKAGES to narrow).
	@mkdir -p $(IMAGES_DIR)
	go build -o $(OUT)/bin/image ./package/cmd/image
	@for spec in $(PKG_SPECS); do IFS=: read -r pkg bin main root <<<"$$spec"; \
	  for plat in $(PLATFORMS); do os=$${plat%%/*}; arch=$${plat#*/}; arch=$${arch%%/*}; \
	    echo "[images] $$bin $$plat"; \
	    CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch go build -trimpath -ldflags "-s -w -X main.version=$(VERSION)" -o $(OUT)/bin/$${os}_$${arch}/$$bin $$main; \
	    $(OUT)/bin/image -package $$pkg -platform $$plat -binary $(OUT)/bin/$${os}_$${arch}/$$bin \
	      -version $(VERSION) -revision $(GIT_REVISION) -created $(GIT_TIME) -ca-bundle "$(CA_BUNDLE)" \
	      -out $(IMAGES_DIR)/$${bin}_$${os}_$${arch}.tar; \
	  done; done

.PHONY: xpkg
xpkg: images ## Build both Crossplane packages, one .xpkg per platform, into _output/xpkg.
	@test -x "$(CROSSPLANE)" || { echo "no crossplane CLI at '$(CROSSPLANE)': run 'make tools'" >&2; exit 1; }
	@# Examples: every use case's YAML except the render cases (observed states and goldens).
	@rm -rf $(XPKG_DIR) && mkdir -p $(XPKG_DIR)/examples
	@find examples -mindepth 2 -name '*.yaml' -not -path '*/render/*' -not -path '*/testdata/*' \
	  | while read -r f; do mkdir -p "$(XPKG_DIR)/$$(dirname "$$f")"; cp "$$f" "$(XPKG_DIR)/$$f"; done
	@for spec in $(PKG_SPECS); do IFS=: read -r pkg bin main root <<<"$$spec"; \
	  for plat in $(PLATFORMS); do os=$${plat%%/*}; arch=$${plat#*/}; arch=$${arch%%/*}; \
	    echo "[xpkg] $$bin $$plat from $$root"; \
	    "$(CROSSPLANE)" xpkg build --package-root="$$root" --examples-root=$(XPKG_DIR)/examples \
	      --embed-runtime-image-tarball=$(IMAGES_DIR)/$${bin}_$${os}_$${arch}.tar \
	      --package-file=$(XPKG_DIR)/$${bin}_$${os}_$${arch}.xpkg \
	      || { echo "[xpkg] $$root is not a valid package (Crossplane's error above)" >&2; exit 1; }; \
	  done; done
	@ls -l $(XPKG_DIR)/*.xpkg

.PHONY: publish
publish: xpkg ## Push both packages, all platforms under one tag: make publish REGISTRY=xpkg.upbound.io/<org>.
	@test -n "$(REGISTRY)" || { echo "usage: make publish REGISTRY=xpkg.upbound.io/<org> (credentials come from ~/.docker/config.json: docker login xpkg.upbound.io, or up login)" >&2; exit 2; }
	@for spec in $(PKG_SPECS); do IFS=: read -r pkg bin main root <<<"$$spec"; files=""; \
	  for plat in $(PLATFORMS); do os=$${plat%%/*}; arch=$${plat#*/}; arch=$${arch%%/*}; \
	    files="$${files:+$$files,}$(XPKG_DIR)/$${bin}_$${os}_$${arch}.xpkg"; done; \
	  echo "[publish] $(REGISTRY)/$$bin:$(VERSION) <- $$files"; \
	  "$(CROSSPLANE)" xpkg push $(PUSH_FLAGS) -f "$$files" "$(REGISTRY)/$$bin:$(VERSION)"; \
	done
