#!/usr/bin/env bash
# Fails when a tracked or new Go file (any module in the tree: the main one
# and the examples' own) is not gofmt-formatted.
set -euo pipefail
cd "$(dirname "$0")/.."
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	files=$(git ls-files --cached --others --exclude-standard -- '*.go' | while read -r f; do [[ -f $f ]] && echo "$f"; done)
else # an exported tree
	files=$(find . \( -name node_modules -o -name bin -o -name .git \) -prune -o -name '*.go' -type f -print)
fi
bad=$(echo "$files" | xargs -r gofmt -l)
if [[ -n $bad ]]; then
	echo "not gofmt-formatted (run gofmt -w):" >&2
	echo "$bad" >&2
	exit 1
fi
