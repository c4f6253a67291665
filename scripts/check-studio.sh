#!/usr/bin/env bash
# Runs the studio's component tests (Vitest) and fails when its committed
# build (studio/dist, embedded in the binary) or its generated GraphQL types
# (studio/web/src/gql) are not what the sources build to: installs the
# locked npm packages, rebuilds, and checks that nothing changed
# (scripts/check-unchanged.sh). The build is reproducible (fixed file
# names, no timestamps), so a clean tree rebuilds byte for byte.
set -euo pipefail
cd "$(dirname "$0")/.."
build_and_test() {
	scripts/build-studio.sh
	(cd studio/web && npx --no-install vitest run --reporter=dot)
}
export -f build_and_test
exec scripts/check-unchanged.sh "the studio's build (studio/dist, studio/web/src/gql)" studio studio/dist studio/web/src/gql -- bash -c build_and_test
