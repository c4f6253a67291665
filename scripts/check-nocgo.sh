#!/usr/bin/env bash
# Fails when Mosaic no longer builds without cgo: the README promises that
# no C compiler is needed (a fresh machine once spent minutes compiling
# libwebp through cgo). Type-checking the binary's whole import graph with
# cgo off catches a dependency that only works through cgo; vet does it
# without linking (about a minute the first time on a cache warmed only by
# cgo builds, under a second once cached: bench/RESULTS.md).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! out=$(CGO_ENABLED=0 go vet ./cmd/mosaic 2>&1); then
	echo "check-nocgo: ./cmd/mosaic does not build with CGO_ENABLED=0 (the README says no C compiler is needed):" >&2
	echo "$out" >&2
	exit 1
fi
