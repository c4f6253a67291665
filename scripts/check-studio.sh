#!/usr/bin/env bash
# Runs the studio's component tests (Vitest) and fails when its committed
# build (studio/dist, embedded in the binary) or its generated GraphQL types
# (studio/web/src/gql) are not what the sources build to: installs the
# locked npm packages, rebuilds, and checks that nothing changed. The build
# is reproducible (fixed file names, no timestamps), so a clean tree
# rebuilds byte for byte.
#
# As scripts/check-graphiql.sh: on a clean checkout (CI) this is
# `git diff --exit-code` plus a check for new files; with uncommitted work
# there it compares the files before and after the build instead.
set -euo pipefail
cd "$(dirname "$0")/.."
outs=(studio/dist studio/web/src/gql)

fingerprint() {
	git ls-files --cached --others --exclude-standard -z -- "${outs[@]}" |
		sort -z | xargs -0 -r sha256sum 2>/dev/null || true
}

dirty_before=$(git status --porcelain --untracked-files=all -- "${outs[@]}")
before=$(fingerprint)

scripts/build-studio.sh
(cd studio/web && npx --no-install vitest run --reporter=dot)

stale() {
	echo "check-studio: the studio's build was stale; rebuilding it changed:" >&2
	echo "$1" >&2
	echo "Run \`make studio\` and commit the result (dist/ and src/gql/ are never edited by hand)." >&2
	exit 1
}

if [[ -z "$dirty_before" ]]; then
	if ! git diff --quiet -- "${outs[@]}"; then
		stale "$(git diff --stat -- "${outs[@]}")"
	fi
	untracked=$(git ls-files --others --exclude-standard -- "${outs[@]}")
	if [[ -n "$untracked" ]]; then
		stale "new files: $untracked"
	fi
else
	after=$(fingerprint)
	if [[ "$before" != "$after" ]]; then
		stale "$(diff <(echo "$before") <(echo "$after") | awk '/^[<>]/ {print "  " $3}' | sort -u)"
	fi
fi
echo "check-studio: studio/dist is up to date ($(du -sb studio/dist | cut -f1) bytes)"
