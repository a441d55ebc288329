#!/usr/bin/env bash
# Runs the unit and integration tests (not e2e) of HEAD in two fresh clones at the same time,
# ROUNDS times, the way CI and a second checkout (or a benchmark) overlap on one machine. A
# test that shares a port, a name, a path or a fixed timeout with its twin fails here.
#
# usage: .ci/flake.sh   env: ROUNDS (default 3), GO_TEST_FLAGS
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
work=$(mktemp -d "${TMPDIR:-/tmp}/rowplane-flake.XXXXXX")
trap 'rm -rf "$work"' EXIT
for c in a b; do git clone -q . "$work/$c"; done
echo "[flake] two clones of $(git rev-parse --short HEAD) in $work; $ROUNDS rounds of two concurrent 'go test -count=1 ./...'"
failed=0
for round in $(seq 1 "$ROUNDS"); do
  start=$SECONDS
  pids=()
  for c in a b; do
    (cd "$work/$c" && go test -count=1 ${GO_TEST_FLAGS:--timeout 30m} ./... >"$work/$c.$round.log" 2>&1) &
    pids+=($!)
  done
  results=()
  for i in 0 1; do
    if wait "${pids[$i]}"; then results+=(pass); else results+=(FAIL); failed=1; fi
  done
  echo "[flake] round $round: clone a ${results[0]}, clone b ${results[1]} ($((SECONDS - start))s)"
  for c in a b; do
    grep -E '^(--- FAIL|FAIL|panic)' "$work/$c.$round.log" | sed "s/^/[flake]   $c: /" || true
  done
done
if [ $failed = 1 ]; then
  echo "[flake] some runs failed; logs were in $work (kept)" >&2
  trap - EXIT
  exit 1
fi
echo "[flake] every run passed"
