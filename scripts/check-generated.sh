#!/usr/bin/env bash
# Fails when generated code in graph/ is stale: runs `go generate ./...` and
# checks that nothing in graph/ changed (scripts/check-unchanged.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
exec scripts/check-unchanged.sh "the generated code in graph/" generate graph/ -- go generate ./...
