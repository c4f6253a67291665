#!/usr/bin/env bash
# Builds GraphiQL (server/graphiql/web, npm + Vite) into server/graphiql/dist,
# which the binary embeds. `npm ci` installs exactly the lock file's
# versions; it is skipped while node_modules is newer than the lock file.
set -euo pipefail
cd "$(dirname "$0")/../server/graphiql/web"
if [[ ! node_modules/.package-lock.json -nt package-lock.json ]]; then
	npm ci --no-audit --no-fund
fi
npx --no-install vite build --logLevel warn
