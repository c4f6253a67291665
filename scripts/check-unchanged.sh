#!/usr/bin/env bash
# Fails when files a command generates are stale: runs the command, then
# checks that nothing in the given paths changed. The one home of the
# staleness rule for gqlgen's code, GraphiQL's build and the studio's.
#
#   scripts/check-unchanged.sh NAME TARGET PATH... -- COMMAND...
#
# NAME says what was checked, TARGET the `make` target that regenerates it.
# On a clean checkout (CI) this is `git diff --exit-code` plus a check for
# new untracked files. With uncommitted work in the paths (a developer's
# tree) it compares the paths' files before and after the command instead,
# so that uncommitted but up-to-date output passes.
set -euo pipefail
cd "$(dirname "$0")/.."
name=$1 target=$2
shift 2
paths=()
while [[ $# -gt 0 && "$1" != "--" ]]; do
	paths+=("$1")
	shift
done
[[ "${1:-}" == "--" ]] && shift
[[ ${#paths[@]} -gt 0 && $# -gt 0 ]] || { echo "usage: $0 NAME TARGET PATH... -- COMMAND..." >&2; exit 2; }

# Contents of every tracked or untracked, non-ignored file in the paths.
fingerprint() {
	git ls-files --cached --others --exclude-standard -z -- "${paths[@]}" |
		sort -z | xargs -0 -r sha256sum 2>/dev/null || true
}

dirty_before=$(git status --porcelain --untracked-files=all -- "${paths[@]}")
before=$(fingerprint)

"$@"

stale() {
	echo "check: $name was stale; regenerating it changed:" >&2
	echo "$1" >&2
	echo "Run \`make $target\` and commit the result (${paths[*]} are never edited by hand)." >&2
	exit 1
}

if [[ -z "$dirty_before" ]]; then
	if ! git diff --quiet -- "${paths[@]}"; then
		stale "$(git diff --stat -- "${paths[@]}")"
	fi
	untracked=$(git ls-files --others --exclude-standard -- "${paths[@]}")
	if [[ -n "$untracked" ]]; then
		stale "new files: $untracked"
	fi
else
	after=$(fingerprint)
	if [[ "$before" != "$after" ]]; then
		stale "$(diff <(echo "$before") <(echo "$after") | awk '/^[<>]/ {print "  " $3}' | sort -u)"
	fi
fi
echo "check: $name is up to date ($(du -scb "${paths[@]}" | tail -1 | cut -f1) bytes)"
