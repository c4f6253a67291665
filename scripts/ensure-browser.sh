#!/usr/bin/env bash
# Installs what the browser tests need when it is missing: Debian's Chromium
# (never a browser a test tool downloads) and the examples' npm packages.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1 && [[ ! -x /usr/bin/chromium ]]; then
	echo "ensure-browser: installing Debian's chromium"
	sudo=""
	[[ $(id -u) -eq 0 ]] || sudo="sudo"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi
if ! command -v node >/dev/null 2>&1; then
	echo "ensure-browser: Node.js is required for the browser tests (apt-get install nodejs npm)" >&2
	exit 1
fi
# playwright-core never downloads browsers; ci keeps the lockfile's versions.
(cd frontend-examples && npm ci --no-audit --no-fund --silent)
