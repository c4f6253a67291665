#!/usr/bin/env bash
# Installs what the CDN tests need when it is missing: Debian's Varnish and
# the xkey module of varnish-modules (internal/varnish runs them).
set -euo pipefail

if [[ -x /usr/sbin/varnishd ]] && ls /usr/lib/*/varnish/vmods/libvmod_xkey.so >/dev/null 2>&1; then
	exit 0
fi
echo "ensure-varnish: installing Debian's varnish and varnish-modules"
sudo=""
[[ $(id -u) -eq 0 ]] || sudo="sudo"
$sudo apt-get update -qq
# The package's service is not started here (no init system in CI): tests
# run their own varnishd.
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq varnish varnish-modules >/dev/null
