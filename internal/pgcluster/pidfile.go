package pgcluster

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// pidFileName is the lock file the postmaster keeps in its data directory.
// Its lines are fixed by PostgreSQL (src/include/utils/pidfile.h): PID, data
// directory, start time, port, socket directory, listen address, shared
// memory key, status.
const pidFileName = "postmaster.pid"

type pidInfo struct {
	pid    int
	port   int
	status string // "starting", "ready", "stopping", "standby" (empty before PostgreSQL 10)
}

func readPIDFile(dataDir string) (pidInfo, error) {
	b, err := os.ReadFile(filepath.Join(dataDir, pidFileName))
	if err != nil {
		return pidInfo{}, err
	}
	lines := strings.Split(string(b), "\n")
	var info pidInfo
	if info.pid, err = strconv.Atoi(strings.TrimSpace(lines[0])); err != nil || info.pid <= 0 {
		return pidInfo{}, fmt.Errorf("%s: malformed PID line %q", pidFileName, lines[0])
	}
	if len(lines) > 3 {
		info.port, _ = strconv.Atoi(strings.TrimSpace(lines[3]))
	}
	if len(lines) > 7 {
		info.status = strings.TrimSpace(lines[7])
	}
	return info, nil
}

type serverState int

const (
	stateStopped serverState = iota // no postmaster.pid
	stateStale                      // postmaster.pid left by a postmaster that is gone
	stateRunning                    // a postmaster runs on this data directory
)

// inspect tells whether a postmaster runs on dataDir. A postmaster.pid is
// stale when it cannot be parsed, its PID is dead, or its PID was reused by a
// program that is not PostgreSQL (common in containers, where PIDs are small
// and restart from the same numbers) — in which case PostgreSQL itself would
// refuse to start ("lock file postmaster.pid already exists").
func inspect(dataDir string) (serverState, pidInfo) {
	info, err := readPIDFile(dataDir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return stateStopped, pidInfo{}
	case err != nil:
		return stateStale, pidInfo{}
	case !processAlive(info.pid) || !isPostgresProcess(info.pid):
		return stateStale, info
	}
	return stateRunning, info
}

// isPostgresProcess reports whether pid runs a PostgreSQL server binary.
// Without /proc (macOS) it cannot tell and says yes: the caller then tries
// to connect, and stops the server properly rather than guessing.
func isPostgresProcess(pid int) bool {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "cmdline"))
	if err != nil {
		return true
	}
	argv0, _, _ := strings.Cut(string(b), "\x00")
	// The postmaster keeps its original argv, but be lenient about a
	// rewritten process title ("postgres: ...").
	argv0, _, _ = strings.Cut(argv0, " ")
	switch strings.TrimSuffix(filepath.Base(argv0), ":") {
	case "postgres", "postmaster":
		return true
	}
	return false
}

func removeStalePIDFile(dataDir string) error {
	err := os.Remove(filepath.Join(dataDir, pidFileName))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("removing stale %s: %w", pidFileName, err)
	}
	return nil
}
