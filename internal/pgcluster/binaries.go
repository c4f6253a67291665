package pgcluster

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// ErrNoBinaries is returned by Start when no PostgreSQL server binaries
// (initdb, pg_ctl, postgres) can be found. Its message says how to install
// them, or how to use an existing server instead.
var ErrNoBinaries = errors.New("PostgreSQL server binaries (initdb, pg_ctl, postgres) not found: " +
	"install them (Debian/Ubuntu: `apt-get install postgresql`; macOS: `brew install postgresql@15`) " +
	"or set DATABASE_URL to use an existing PostgreSQL server")

// binaries are the PostgreSQL programs the cluster needs, all from one
// installation so that initdb and the server agree on the catalog version.
type binaries struct {
	dir      string
	initdb   string
	pgCtl    string
	postgres string
}

// searchGlobs are the places PostgreSQL installs itself outside PATH, newest
// version first after sorting: Debian/Ubuntu, RHEL/Fedora (PGDG packages),
// and Homebrew's keg-only postgresql@N formulae (Apple silicon, then Intel).
var searchGlobs = []string{
	"/usr/lib/postgresql/*/bin",
	"/usr/pgsql-*/bin",
	"/opt/homebrew/opt/postgresql@*/bin",
	"/usr/local/opt/postgresql@*/bin",
}

// findBinaries returns the binaries in dir if dir is set, else the first
// directory holding all three programs among: the directory of each of them
// found on PATH (the user's explicit choice), then the newest versioned
// installation directory.
func findBinaries(dir string) (binaries, error) {
	if dir != "" {
		b, ok := binariesIn(dir)
		if !ok {
			return binaries{}, fmt.Errorf("%w (looked in %s)", ErrNoBinaries, dir)
		}
		return b, nil
	}
	var candidates []string
	for _, name := range []string{"pg_ctl", "initdb", "postgres"} {
		p, err := exec.LookPath(name)
		if err != nil {
			continue
		}
		// Resolve symlinks: /usr/local/bin/pg_ctl is often a link into the
		// real installation, where the other two programs live.
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		candidates = append(candidates, filepath.Dir(p))
	}
	var versioned []string
	for _, g := range searchGlobs {
		m, _ := filepath.Glob(g) // Glob only fails on a malformed pattern.
		versioned = append(versioned, m...)
	}
	sort.SliceStable(versioned, func(i, j int) bool {
		return versionOfPath(versioned[i]) > versionOfPath(versioned[j])
	})
	candidates = append(candidates, versioned...)
	for _, d := range candidates {
		if b, ok := binariesIn(d); ok {
			return b, nil
		}
	}
	return binaries{}, ErrNoBinaries
}

func binariesIn(dir string) (binaries, bool) {
	b := binaries{
		dir:      dir,
		initdb:   filepath.Join(dir, "initdb"),
		pgCtl:    filepath.Join(dir, "pg_ctl"),
		postgres: filepath.Join(dir, "postgres"),
	}
	for _, p := range []string{b.initdb, b.pgCtl, b.postgres} {
		fi, err := os.Stat(p)
		if err != nil || fi.IsDir() || fi.Mode().Perm()&0o111 == 0 {
			return binaries{}, false
		}
	}
	return b, true
}

var pathVersion = regexp.MustCompile(`(?:postgresql/|pgsql-|postgresql@)(\d+)`)

// versionOfPath extracts the major version from an installation path so
// that /usr/lib/postgresql/16/bin sorts before .../9/bin (a string sort
// would not).
func versionOfPath(p string) int {
	m := pathVersion.FindStringSubmatch(p)
	if m == nil {
		return 0
	}
	v, _ := strconv.Atoi(m[1])
	return v
}

var serverVersion = regexp.MustCompile(`\(PostgreSQL\) (\d+)(?:\.(\d+))?`)

// majorVersion runs `postgres --version` (allowed as root: the root check
// comes after option parsing) and returns the major version, "15" for
// "postgres (PostgreSQL) 15.14 (Debian 15.14-0+deb12u1)", in the form the
// data directory's PG_VERSION file uses.
func (b binaries) majorVersion(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, b.postgres, "--version").Output()
	if err != nil {
		return "", fmt.Errorf("running %s --version: %w", b.postgres, err)
	}
	m := serverVersion.FindStringSubmatch(string(out))
	if m == nil {
		return "", fmt.Errorf("unexpected output from %s --version: %q", b.postgres, strings.TrimSpace(string(out)))
	}
	// Before PostgreSQL 10 the major version had two parts (9.6).
	if n, _ := strconv.Atoi(m[1]); n < 10 && m[2] != "" {
		return m[1] + "." + m[2], nil
	}
	return m[1], nil
}
