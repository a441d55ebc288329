#!/usr/bin/env bash
# Builds the pinned tool binaries that tests, code generation and packaging need, from the Go
# module proxy, into a cache folder outside the clone (CI clones afresh every run). Each tool lives
# in a folder named after its version; a tool already present is skipped, so this is idempotent.
#
# usage: .ci/tools.sh [tool ...]   (default: all)
# env:   ROWPLANE_TOOLS  cache folder (default ~/.cache/rowplane/tools)
set -euo pipefail

TOOLS="${ROWPLANE_TOOLS:-$HOME/.cache/rowplane/tools}"
CROSSPLANE_VERSION=v2.2.1
K8S_VERSION=v1.35.3
K8S_STAGING_VERSION=v0.35.3
ETCD_VERSION=v3.6.6
CONTROLLER_TOOLS_VERSION=v0.20.0
CROSSPLANE_TOOLS_VERSION=v0.0.0-20260719180100-659f1dc036c5
# Prometheus v3.7.3 (its Go module numbers releases v0.3xx.y); promtool checks the alert rules.
PROMETHEUS_VERSION=v0.307.3
# provider-kubernetes runs in the e2e suite, and its CRDs are offline schemas for validate.
PROVIDER_KUBERNETES_VERSION=v1.0.0
# Bump when .ci/overlay/provider_kubernetes_loopback.go changes: it names the cached build.
PROVIDER_KUBERNETES_PATCH=loopback1

mkdir -p "$TOOLS"
export GOFLAGS=-mod=mod GOTOOLCHAIN=local CGO_ENABLED=0

log() { printf '[tools] %s\n' "$*" >&2; }

# build DEST_DIR MODULE@VERSION PACKAGE... [-- extra go.mod edits] [LDFLAGS via $LDFLAGS]
# Builds each package of a pinned module inside a throw-away module, so nothing needs version
# listing (the proxy here refuses it) and the clone's go.mod is untouched.
build() {
  local dest=$1 modver=$2; shift 2
  local pkgs=() edits=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do pkgs+=("$1"); shift; done
  [ $# -gt 0 ] && shift && edits=("$@")
  local missing=0 p
  for p in "${pkgs[@]}"; do [ -x "$dest/$(basename "${p%%=*}")" ] || missing=1; done
  if [ $missing = 0 ]; then log "have $(basename "$dest")"; return 0; fi
  local work; work=$(mktemp -d)
  log "building $(basename "$dest") (${pkgs[*]}) ..."
  local start=$SECONDS
  (
    cd "$work"
    go mod init rowplane.local/tools >/dev/null 2>&1
    go mod edit -require="$modver"
    local e; for e in "${edits[@]+"${edits[@]}"}"; do go mod edit "$e"; done
    mkdir -p bin
    for p in "${pkgs[@]}"; do
      local name=${p%%=*} pkg=${p#*=}
      [ "$name" = "$p" ] && name=$(basename "$p")
      printf 'package tools\nimport _ "%s"\n' "$pkg" > "tools_$name.go"
      go mod tidy >/dev/null 2>&1 || true
      go build -trimpath -ldflags "-s -w ${LDFLAGS:-}" -o "bin/$name" "$pkg"
    done
    mkdir -p "$dest"
    mv bin/* "$dest/"
  )
  rm -rf "$work"
  log "built $(basename "$dest") in $((SECONDS - start))s"
}

crossplane() {
  # The CLI (cmd/crank, renamed crossplane) renders in-process at v2.2.1; cmd/crossplane is core.
  LDFLAGS="-X github.com/crossplane/crossplane/v2/internal/version.version=$CROSSPLANE_VERSION" \
    build "$TOOLS/crossplane-$CROSSPLANE_VERSION" "github.com/crossplane/crossplane/v2@$CROSSPLANE_VERSION" \
    "crossplane=github.com/crossplane/crossplane/v2/cmd/crank"
}

crossplane_core() {
  LDFLAGS="-X github.com/crossplane/crossplane/v2/internal/version.version=$CROSSPLANE_VERSION" \
    build "$TOOLS/crossplane-core-$CROSSPLANE_VERSION" "github.com/crossplane/crossplane/v2@$CROSSPLANE_VERSION" \
    "crossplane=github.com/crossplane/crossplane/v2/cmd/crossplane"
}

etcd() {
  build "$TOOLS/etcd-$ETCD_VERSION" "go.etcd.io/etcd/server/v3@$ETCD_VERSION" \
    "etcd=go.etcd.io/etcd/server/v3" -- \
    -require=go.etcd.io/etcd/api/v3@$ETCD_VERSION -require=go.etcd.io/etcd/client/pkg/v3@$ETCD_VERSION \
    -require=go.etcd.io/etcd/client/v3@$ETCD_VERSION -require=go.etcd.io/etcd/pkg/v3@$ETCD_VERSION
}

k8s_replaces() {
  # Every staging module k8s.io/kubernetes replaces with a local path, pinned to its release.
  local modfile
  modfile=$(cd "$(mktemp -d)" && go mod init x >/dev/null 2>&1 && go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)",/\1/p')
  sed -n 's#^\s*\(k8s.io/[a-z0-9-]*\) => ./staging/.*#\1#p' "$modfile" | while read -r m; do
    printf -- '-replace=%s=%s@%s\n' "$m" "$m" "$K8S_STAGING_VERSION"
  done
}

kube() {
  local edits; mapfile -t edits < <(k8s_replaces)
  build "$TOOLS/kubernetes-$K8S_VERSION" "k8s.io/kubernetes@$K8S_VERSION" \
    "kube-apiserver=k8s.io/kubernetes/cmd/kube-apiserver" \
    "kube-controller-manager=k8s.io/kubernetes/cmd/kube-controller-manager" -- "${edits[@]}"
}

envtest() {
  etcd; kube
  # controller-runtime's envtest wants kube-apiserver and etcd side by side.
  local dir="$TOOLS/envtest-$K8S_VERSION-etcd-$ETCD_VERSION"
  mkdir -p "$dir"
  ln -sf "$TOOLS/kubernetes-$K8S_VERSION/kube-apiserver" "$dir/kube-apiserver"
  ln -sf "$TOOLS/kubernetes-$K8S_VERSION/kube-controller-manager" "$dir/kube-controller-manager"
  ln -sf "$TOOLS/etcd-$ETCD_VERSION/etcd" "$dir/etcd"
}

controller_gen() {
  build "$TOOLS/controller-tools-$CONTROLLER_TOOLS_VERSION" "sigs.k8s.io/controller-tools@$CONTROLLER_TOOLS_VERSION" \
    "controller-gen=sigs.k8s.io/controller-tools/cmd/controller-gen"
}

angryjet() {
  build "$TOOLS/crossplane-tools-$CROSSPLANE_TOOLS_VERSION" "github.com/crossplane/crossplane-tools@$CROSSPLANE_TOOLS_VERSION" \
    "angryjet=github.com/crossplane/crossplane-tools/cmd/angryjet"
}

promtool() {
  build "$TOOLS/prometheus-$PROMETHEUS_VERSION" "github.com/prometheus/prometheus@$PROMETHEUS_VERSION" \
    "promtool=github.com/prometheus/prometheus/cmd/promtool"
}

# module_dir MODULE@VERSION: downloads a module (no build) and prints its folder.
module_dir() {
  (cd "$(mktemp -d)" && go mod init x >/dev/null 2>&1 && go mod download -json "$1" | sed -n 's/.*"Dir": "\(.*\)",/\1/p')
}

# schemas: the CRDs `crossplane beta validate` needs offline. Crossplane's own schemas go where
# the CLI's cache looks for its built-in image (<cache>/xpkg.crossplane.io/crossplane/crossplane@<v>),
# so it never tries to download them; provider-kubernetes' CRDs come from its Go module.
schemas() {
  local dest="$TOOLS/schemas-crossplane-$CROSSPLANE_VERSION-provider-kubernetes-$PROVIDER_KUBERNETES_VERSION"
  if [ -d "$dest/provider-kubernetes" ]; then log "have $(basename "$dest")"; return 0; fi
  local xp pk tmp
  xp=$(module_dir "github.com/crossplane/crossplane/v2@$CROSSPLANE_VERSION")
  pk=$(module_dir "github.com/crossplane-contrib/provider-kubernetes@$PROVIDER_KUBERNETES_VERSION")
  tmp=$(mktemp -d "$TOOLS/.schemas.XXXXXX")
  mkdir -p "$tmp/crossplane-cache/xpkg.crossplane.io/crossplane/crossplane@$CROSSPLANE_VERSION" "$tmp/provider-kubernetes"
  cp "$xp"/cluster/crds/*.yaml "$tmp/crossplane-cache/xpkg.crossplane.io/crossplane/crossplane@$CROSSPLANE_VERSION/"
  cp "$pk"/package/crds/*.yaml "$tmp/provider-kubernetes/"
  chmod -R u+w "$tmp"
  mv "$tmp" "$dest"
  log "staged $(basename "$dest")"
}

provider_kubernetes() {
  # The real provider-kubernetes plus one added file, .ci/overlay/provider_kubernetes_loopback.go,
  # that binds its metrics and webhook listeners to loopback: v1.0.0 has no flags for them. Go
  # refuses overlays inside the module cache, so the build uses a copy of the module.
  local mod=github.com/crossplane-contrib/provider-kubernetes dir src
  dir=$(module_dir "$mod@$PROVIDER_KUBERNETES_VERSION")
  src=$(mktemp -d)
  cp -r "$dir/." "$src" && chmod -R u+w "$src"
  cp "$(dirname "$0")/overlay/provider_kubernetes_loopback.go" "$src/cmd/provider/zz_rowplane_loopback.go"
  LDFLAGS="-X $mod/internal/version.Version=$PROVIDER_KUBERNETES_VERSION" \
    build "$TOOLS/provider-kubernetes-$PROVIDER_KUBERNETES_VERSION-$PROVIDER_KUBERNETES_PATCH" "$mod@$PROVIDER_KUBERNETES_VERSION" \
    "provider-kubernetes=$mod/cmd/provider" -- "-replace=$mod=$src"
  rm -rf "$src"
}

# path TOOL: prints where a tool's binary lives (for the Makefile and tests).
path() {
  case $1 in
    crossplane) echo "$TOOLS/crossplane-$CROSSPLANE_VERSION/crossplane" ;;
    crossplane-core) echo "$TOOLS/crossplane-core-$CROSSPLANE_VERSION/crossplane" ;;
    envtest) echo "$TOOLS/envtest-$K8S_VERSION-etcd-$ETCD_VERSION" ;;
    controller-gen) echo "$TOOLS/controller-tools-$CONTROLLER_TOOLS_VERSION/controller-gen" ;;
    angryjet) echo "$TOOLS/crossplane-tools-$CROSSPLANE_TOOLS_VERSION/angryjet" ;;
    promtool) echo "$TOOLS/prometheus-$PROMETHEUS_VERSION/promtool" ;;
    schemas) echo "$TOOLS/schemas-crossplane-$CROSSPLANE_VERSION-provider-kubernetes-$PROVIDER_KUBERNETES_VERSION" ;;
    provider-kubernetes) echo "$TOOLS/provider-kubernetes-$PROVIDER_KUBERNETES_VERSION-$PROVIDER_KUBERNETES_PATCH/provider-kubernetes" ;;
    *) echo "unknown tool $1" >&2; return 2 ;;
  esac
}

if [ "${1:-}" = path ]; then path "$2"; exit; fi
[ $# -eq 0 ] && set -- crossplane controller_gen angryjet envtest crossplane_core promtool schemas
for t in "$@"; do "${t//-/_}"; done
