#!/usr/bin/env bash
# Fails when a Go package of the module is missing from CONTRIBUTING.md's
# package map, so the map newcomers read cannot rot.
set -euo pipefail
cd "$(dirname "$0")/.."
module=$(go list -m)
status=0
while read -r pkg; do
	rel=${pkg#"$module"/}
	[[ "$rel" == "$module" ]] && continue
	if ! grep -qF "| \`$rel\` |" CONTRIBUTING.md; then
		echo "check-package-map: $rel is not in CONTRIBUTING.md's package map" >&2
		status=1
	fi
done < <(go list ./...)
exit $status
