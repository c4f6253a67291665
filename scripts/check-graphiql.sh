#!/usr/bin/env bash
# Fails when GraphiQL's committed build (server/graphiql/dist, embedded in
# the binary) is not what its sources build to: installs the locked npm
# packages, rebuilds, and checks that nothing in dist/ changed. The build
# is reproducible (fixed file names, no timestamps), so a clean tree
# rebuilds byte for byte.
#
# As scripts/check-generated.sh: on a clean checkout (CI) this is
# `git diff --exit-code` plus a check for new files; with uncommitted work
# in dist/ it compares dist/ before and after the build instead.
set -euo pipefail
cd "$(dirname "$0")/.."
dist=server/graphiql/dist

fingerprint() {
	git ls-files --cached --others --exclude-standard -z -- "$dist" |
		sort -z | xargs -0 -r sha256sum 2>/dev/null || true
}

dirty_before=$(git status --porcelain --untracked-files=all -- "$dist")
before=$(fingerprint)

scripts/build-graphiql.sh

stale() {
	echo "check-graphiql: $dist was stale; rebuilding it changed:" >&2
	echo "$1" >&2
	echo "Run \`make graphiql\` and commit the result (dist/ is never edited by hand)." >&2
	exit 1
}

if [[ -z "$dirty_before" ]]; then
	if ! git diff --quiet -- "$dist"; then
		stale "$(git diff --stat -- "$dist")"
	fi
	untracked=$(git ls-files --others --exclude-standard -- "$dist")
	if [[ -n "$untracked" ]]; then
		stale "new files: $untracked"
	fi
else
	after=$(fingerprint)
	if [[ "$before" != "$after" ]]; then
		stale "$(diff <(echo "$before") <(echo "$after") | awk '/^[<>]/ {print "  " $3}' | sort -u)"
	fi
fi
echo "check-graphiql: $dist is up to date ($(du -sb "$dist" | cut -f1) bytes)"
