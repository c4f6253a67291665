#!/usr/bin/env bash
# Fails when GraphiQL's committed build (server/graphiql/dist, embedded in
# the binary) is not what its sources build to: installs the locked npm
# packages, rebuilds, and checks that nothing in dist/ changed
# (scripts/check-unchanged.sh). The build is reproducible (fixed file
# names, no timestamps), so a clean tree rebuilds byte for byte.
set -euo pipefail
cd "$(dirname "$0")/.."
exec scripts/check-unchanged.sh "GraphiQL's build (server/graphiql/dist)" graphiql server/graphiql/dist -- scripts/build-graphiql.sh
