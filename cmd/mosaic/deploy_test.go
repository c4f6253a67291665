package main

import (
	"bufio"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/mosaichq/mosaic/internal/config"
	"github.com/mosaichq/mosaic/internal/varnish"
)

// The deploy files are checked here, statically: no Docker engine or
// Kubernetes runs on the machines the tests run on (deploy/README.md).
// What they must not do is drift from the code: name a setting that does
// not exist, build the image some other way than `make dist`, listen on
// another port than they expose, run as root.

var update = flag.Bool("update", false, "rewrite deploy/compose/varnish.vcl from internal/varnish")

const root = "../.."

func readDeploy(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, path))
	require.NoError(t, err)
	return string(b)
}

// requireSettings fails for every name that is not a setting of `mosaic
// serve` (a MOSAIC_* variable, DATABASE_URL or S3_*).
func requireSettings(t *testing.T, where string, names []string) {
	t.Helper()
	known := config.EnvNames()
	require.NotEmpty(t, names, where)
	for _, n := range names {
		require.Contains(t, known, n, "%s sets %s, which is not a Mosaic setting (mosaic serve --help lists them)", where, n)
	}
}

// TestDeployDockerfile: the image is built by the same make target as a
// release binary, runs as a non-root user, exposes the port it listens
// on and checks its health with mosaic healthcheck.
func TestDeployDockerfile(t *testing.T) {
	t.Parallel()
	df := readDeploy(t, "Dockerfile")
	// Instructions, with continuation lines joined.
	var instr []string
	for _, line := range strings.Split(strings.ReplaceAll(df, "\\\n", " "), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			instr = append(instr, line)
		}
	}
	var froms, runs, users, exposes, envs, health []string
	for _, in := range instr {
		op, rest, _ := strings.Cut(in, " ")
		switch strings.ToUpper(op) {
		case "FROM":
			froms = append(froms, rest)
		case "RUN":
			runs = append(runs, rest)
		case "USER":
			users = append(users, rest)
		case "EXPOSE":
			exposes = append(exposes, rest)
		case "ENV":
			envs = append(envs, rest)
		case "HEALTHCHECK":
			health = append(health, rest)
		}
	}
	require.Len(t, froms, 2, "multi-stage: a build stage and the final image")
	require.Regexp(t, `^(scratch|gcr\.io/distroless/static)`, froms[len(froms)-1], "the final image has no libc: the binary is static")
	require.True(t, slices.ContainsFunc(runs, func(r string) bool { return regexp.MustCompile(`(^|&& )make dist\b`).MatchString(r) }),
		"the build stage runs `make dist`, the release target, not a go build of its own: %q", runs)
	require.False(t, slices.ContainsFunc(runs, func(r string) bool { return strings.Contains(r, "go build") }), "no second way to build")
	makefile := readDeploy(t, "Makefile")
	require.Regexp(t, `(?m)^dist:`, makefile)
	require.Regexp(t, `(?m)^\tCGO_ENABLED=0 .*\$\(DIST_FLAGS\)`, makefile, "make dist builds without cgo with the release flags")
	require.Contains(t, makefile, "-trimpath")

	require.NotEmpty(t, users)
	user := strings.Fields(users[len(users)-1])[0]
	require.NotContains(t, []string{"root", "0", "0:0"}, user, "the image runs as a non-root user")
	require.Regexp(t, `^[1-9][0-9]*(:[0-9]+)?$`, user, "numeric, so that Kubernetes' runAsNonRoot can verify it")

	var addr string
	for _, e := range envs {
		for _, kv := range strings.Fields(e) {
			k, v, _ := strings.Cut(kv, "=")
			requireSettings(t, "Dockerfile ENV", []string{k})
			if k == "MOSAIC_ADDR" {
				addr = v
			}
		}
	}
	require.NotEmpty(t, addr, "the image sets MOSAIC_ADDR: the default listens on loopback only")
	_, port, _ := strings.Cut(addr, ":")
	require.Equal(t, []string{port}, exposes, "EXPOSE is the port MOSAIC_ADDR listens on")
	require.Len(t, health, 1)
	require.Contains(t, health[0], `"healthcheck"`, "HEALTHCHECK runs mosaic healthcheck (there is no curl)")
	require.Contains(t, usageOf(t), "healthcheck")
}

func usageOf(t *testing.T) string {
	var b strings.Builder
	usage(&b)
	return b.String()
}

// TestDeployCompose: compose.yaml parses, has the services the README
// promises, sets only real settings, and Varnish gets the VCL
// internal/varnish renders for the two replicas.
func TestDeployCompose(t *testing.T) {
	t.Parallel()
	var doc struct {
		Services map[string]struct {
			Image       string            `yaml:"image"`
			Build       any               `yaml:"build"`
			Environment map[string]string `yaml:"environment"`
			Volumes     []string          `yaml:"volumes"`
		} `yaml:"services"`
	}
	require.NoError(t, yaml.Unmarshal([]byte(readDeploy(t, "compose.yaml")), &doc))
	for _, s := range []string{"postgres", "minio", "nats", "mosaic-1", "mosaic-2", "varnish"} {
		require.Contains(t, doc.Services, s)
	}
	for _, name := range []string{"mosaic-1", "mosaic-2"} {
		svc := doc.Services[name]
		require.NotNil(t, svc.Build, "%s is built from this Dockerfile", name)
		var names []string
		for k := range svc.Environment {
			names = append(names, k)
		}
		requireSettings(t, "compose.yaml "+name, names)
		require.Equal(t, "nats://nats:4222", svc.Environment["MOSAIC_NATS_URL"], "replicas share one event log")
		require.NotEmpty(t, svc.Environment["MOSAIC_METRICS_TOKEN"], "/metrics is scraped across the network: it needs a token")
	}
	vcl, err := varnish.VCL([]string{"http://mosaic-1:8080", "http://mosaic-2:8080"})
	require.NoError(t, err)
	const path = "deploy/compose/varnish.vcl"
	if *update {
		require.NoError(t, os.WriteFile(filepath.Join(root, path), []byte(vcl), 0o644))
	}
	require.Equal(t, vcl, readDeploy(t, path), "%s is internal/varnish's VCL for the compose replicas: go test ./cmd/mosaic -run TestDeployCompose -update", path)
	require.Contains(t, strings.Join(doc.Services["varnish"].Volumes, " "), "./"+path)
}

// TestDeploySystemd: the unit's Environment= lines name real settings,
// runs serve, and keeps its hardening.
func TestDeploySystemd(t *testing.T) {
	t.Parallel()
	unit := readDeploy(t, "deploy/systemd/mosaic.service")
	var names []string
	sc := bufio.NewScanner(strings.NewReader(unit))
	for sc.Scan() {
		if kv, ok := strings.CutPrefix(sc.Text(), "Environment="); ok {
			k, _, _ := strings.Cut(kv, "=")
			names = append(names, k)
		}
	}
	requireSettings(t, "mosaic.service", names)
	for _, want := range []string{"ExecStart=/usr/local/bin/mosaic serve", "DynamicUser=yes", "NoNewPrivileges=yes",
		"ProtectSystem=strict", "CapabilityBoundingSet=\n", "StateDirectory=mosaic"} {
		require.Contains(t, unit, want)
	}
}

// TestDeployHelmValues: every key of the chart's env and secretEnv (also
// those shown commented out) is a real setting; the probes are the
// server's.
func TestDeployHelmValues(t *testing.T) {
	t.Parallel()
	raw := readDeploy(t, "deploy/helm/mosaic/values.yaml")
	var values struct {
		Env       map[string]string `yaml:"env"`
		SecretEnv map[string]string `yaml:"secretEnv"`
	}
	require.NoError(t, yaml.Unmarshal([]byte(raw), &values))
	var names []string
	for k := range values.Env {
		names = append(names, k)
	}
	for k := range values.SecretEnv {
		names = append(names, k)
	}
	// The examples under secretEnv are comments: "#  NAME: value".
	for _, m := range regexp.MustCompile(`(?m)^#\s+([A-Z][A-Z0-9_]+):`).FindAllStringSubmatch(raw, -1) {
		names = append(names, m[1])
	}
	requireSettings(t, "values.yaml", names)
	dep := readDeploy(t, "deploy/helm/mosaic/templates/deployment.yaml")
	require.Contains(t, dep, "path: /readyz")
	require.Contains(t, dep, "path: /healthz")
	require.Contains(t, dep, "containerPort: 8080")
	require.Equal(t, "0.0.0.0:8080", values.Env["MOSAIC_ADDR"])
}
