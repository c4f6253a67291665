#!/usr/bin/env bash
# Runs every Fuzz* target in the tree's modules (the main one and the IoT
# client's) for FUZZTIME each (default 10s).
# `go test -fuzz` takes one package and one target at a time, hence the loop.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime="${FUZZTIME:-10s}"

ran=0
while IFS= read -r file; do
	dir="$(dirname "${file#./}")"
	# The module the package belongs to: the nearest go.mod above it.
	mod="$dir"
	while [[ $mod != . && ! -f $mod/go.mod ]]; do mod="$(dirname "$mod")"; done
	pkg="./${dir#"$mod"}"
	pkg="${pkg/\/\//\/}"
	while IFS= read -r target; do
		echo "fuzz: $target in $dir for $fuzztime"
		(cd "$mod" && go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg")
		ran=$((ran + 1))
	done < <(sed -nE 's/^func (Fuzz[A-Za-z0-9_]*)\(.*/\1/p' "$file")
done < <(grep -rlE --include='*_test.go' --exclude-dir=node_modules --exclude-dir=testdata \
	'^func Fuzz[A-Za-z0-9_]*\(' . | sort)

echo "fuzz: ran $ran targets for $fuzztime each"
