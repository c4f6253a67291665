#!/usr/bin/env bash
# Builds the studio (studio/web, npm + Vite) into studio/dist, which the
# binary embeds. `npm ci` installs exactly the lock file's versions; it is
# skipped while node_modules is newer than the lock file. The typed GraphQL
# documents (src/gql) are regenerated from graph/*.graphqls first, so a
# schema change the app does not fit fails here as a type error.
set -euo pipefail
cd "$(dirname "$0")/../studio/web"
if [[ ! node_modules/.package-lock.json -nt package-lock.json ]]; then
	npm ci --no-audit --no-fund
fi
npx --no-install graphql-codegen --config codegen.ts --silent
npx --no-install tsc --noEmit
npx --no-install vite build --logLevel warn
