#!/usr/bin/env bash
# Fails when generated code in graph/ is stale: runs `go generate ./...` and
# checks that nothing in graph/ changed.
#
# On a clean checkout (CI) that is `git diff --exit-code` plus a check for
# new untracked files. With uncommitted work in graph/ (a developer's tree)
# it compares graph/ before and after generating instead, so that
# uncommitted but up-to-date code passes.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ! -d graph ]]; then
	echo "check-generated: no graph/ yet, nothing to check"
	exit 0
fi

# Contents of every tracked or untracked, non-ignored file under graph/.
fingerprint() {
	git ls-files --cached --others --exclude-standard -z -- graph/ |
		sort -z | xargs -0 -r sha256sum 2>/dev/null || true
}

dirty_before=$(git status --porcelain --untracked-files=all -- graph/)
before=$(fingerprint)

go generate ./...

stale() {
	echo "check-generated: the generated code in graph/ was stale; \`go generate ./...\` changed:" >&2
	echo "$1" >&2
	echo "Run \`make generate\` and commit the result (generated files are never edited by hand)." >&2
	exit 1
}

if [[ -z "$dirty_before" ]]; then
	if ! git diff --quiet -- graph/; then
		stale "$(git diff --stat -- graph/)"
	fi
	untracked=$(git ls-files --others --exclude-standard -- graph/)
	if [[ -n "$untracked" ]]; then
		stale "new files: $untracked"
	fi
else
	after=$(fingerprint)
	if [[ "$before" != "$after" ]]; then
		stale "$(diff <(echo "$before") <(echo "$after") | awk '/^[<>]/ {print "  " $3}' | sort -u)"
	fi
fi
echo "check-generated: graph/ is up to date"
