#!/usr/bin/env bash
# Lints and renders the Helm chart (deploy/helm/mosaic) with helm installed
# from the Go module proxy into bin/tools when missing (a big compile: ~9
# minutes on 2 busy cores, once), then runs the Go test that checks the
# other deploy files statically: Dockerfile, compose.yaml, the systemd unit
# and the chart's values name only real settings, and the Dockerfile builds
# with `make dist` (cmd/mosaic/deploy_test.go). No Docker engine runs here,
# so the image itself is not built (deploy/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
HELM_VERSION=v3.22.0
helm="$PWD/bin/tools/helm-$HELM_VERSION"
if [[ ! -x "$helm" ]]; then
	echo "check-deploy: installing helm $HELM_VERSION into bin/tools (go install, several minutes once)"
	mkdir -p bin/tools
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	GOBIN="$tmp" go install "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
	mv "$tmp/helm" "$helm"
fi
chart=deploy/helm/mosaic
"$helm" lint --strict "$chart"
# Rendered twice: the defaults, and with every optional part on.
"$helm" template mosaic "$chart" >/dev/null
"$helm" template mosaic "$chart" --set serviceMonitor.enabled=true --set existingSecret=mosaic-secrets >/dev/null
go test -count=1 -run 'TestDeploy' ./cmd/mosaic/
echo "check-deploy: chart linted and rendered, deploy files match the settings"
