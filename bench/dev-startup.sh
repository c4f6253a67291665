#!/usr/bin/env bash
# Seconds from `go run ./cmd/mosaic dev` to the first answered home query,
# on a warm build cache: once with a fresh data dir (initdb + migrations +
# seed) and once reusing it. Usage: bench/dev-startup.sh [port]
set -euo pipefail
cd "$(dirname "$0")/.."
port=${1:-18181}
dir=$(mktemp -d /tmp/mosaic-devbench.XXXXXX)
chmod 755 "$dir"
pid=
trap '[[ -n $pid ]] && kill -INT -- -$pid 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"' EXIT
go build -o /dev/null ./cmd/mosaic # warm the build cache first
query='{"query":"{ entry(slug: \"home\", type: \"page\") { id blocks { type } } }"}'
for run in fresh reused; do
	start=$(date +%s.%N)
	# Its own process group, so Ctrl-C reaches mosaic and not only `go run`.
	setsid go run ./cmd/mosaic dev --addr "127.0.0.1:$port" --data-dir "$dir" >/dev/null 2>"$dir/log.$run" &
	pid=$!
	until curl -sf "http://127.0.0.1:$port/graphql" -H 'Content-Type: application/json' -d "$query" | grep -q hero; do
		kill -0 $pid 2>/dev/null || { cat "$dir/log.$run" >&2; exit 1; }
		sleep 0.05
	done
	end=$(date +%s.%N)
	printf '%s data dir: %.2f s to the first answered query\n' "$run" "$(echo "$end - $start" | bc)"
	kill -INT -- -$pid
	wait $pid || true
done
