#!/usr/bin/env bash
# Builds the release binary (make dist) twice and fails unless both builds
# are byte-identical and static: -trimpath, -buildvcs=false and an empty
# build ID leave nothing of the machine, the checkout path or the time in
# it. The second build relinks from the Go build cache, so this checks the
# link and the stamping, not a cold compile; a cold rebuild on another
# machine gives the same bytes with the same Go toolchain and go.sum
# (deploy/README.md says how to check that by hand).
set -euo pipefail
cd "$(dirname "$0")/.."
out=bin/mosaic-linux-amd64
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
make -s dist VERSION=check COMMIT=0000000000000000000000000000000000000000 GOOS=linux GOARCH=amd64
mv "$out" "$tmp/first"
make -s dist VERSION=check COMMIT=0000000000000000000000000000000000000000 GOOS=linux GOARCH=amd64
cp "$out" "$tmp/second"
a=$(sha256sum <"$tmp/first" | cut -d' ' -f1)
b=$(sha256sum <"$tmp/second" | cut -d' ' -f1)
if [[ "$a" != "$b" ]]; then
	echo "check-dist: two builds of $out differ ($a vs $b): something stamps the time or the machine" >&2
	exit 1
fi
# Static: no program interpreter, so it runs in an image FROM scratch.
if LC_ALL=C readelf -l "$tmp/first" 2>/dev/null | grep -q 'INTERP'; then
	echo "check-dist: $out is dynamically linked; it must run in an image without libc" >&2
	exit 1
fi
if ! "$tmp/first" version | grep -q '^mosaic check (commit 000000000000'; then
	echo "check-dist: $out does not print the stamped version: $("$tmp/first" version)" >&2
	exit 1
fi
rm -f "$out" # the stamp "check" is not a release
echo "check-dist: $out builds reproducibly (sha256 $a)"
