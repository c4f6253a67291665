package main

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// The tests run this test binary as testenv itself.
const asMain = "TESTENV_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(asMain) != "" {
		os.Exit(run())
	}
	goleak.VerifyTestMain(m)
}

// testenv runs `testenv -v -- sh -c script`.
func testenv(t *testing.T, script string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	require.NoError(t, err)
	cmd := exec.Command(exe, "-v", "--", "sh", "-c", script)
	cmd.Env = append(os.Environ(), asMain+"=1")
	return cmd
}

var dirLine = regexp.MustCompile(`PostgreSQL cluster started".* dir=(\S+)`)

// requireCleanedUp checks that the cluster of a finished run is gone.
func requireCleanedUp(t *testing.T, stderr, dbURL string) {
	t.Helper()
	m := dirLine.FindStringSubmatch(stderr)
	require.NotNil(t, m, stderr)
	require.NoDirExists(t, m[1], "the temporary data directory is removed")
	u, err := url.Parse(dbURL)
	require.NoError(t, err)
	_, err = net.DialTimeout("tcp", u.Host, time.Second)
	require.Error(t, err, "the server no longer listens")
}

func TestRunsCommandWithDatabaseAndPassesExitCode(t *testing.T) {
	t.Parallel()
	cmd := testenv(t, `echo "$TEST_DATABASE_URL"; exit 3`)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exitErr *exec.ExitError
	require.ErrorAs(t, err, &exitErr, stderr.String())
	require.Equal(t, 3, exitErr.ExitCode())
	dbURL := strings.TrimSpace(stdout.String())
	require.Regexp(t, `^postgres://mosaic@127\.0\.0\.1:\d+/mosaic_test\?sslmode=disable$`, dbURL)
	requireCleanedUp(t, stderr.String(), dbURL)
}

func TestForwardsSignalsAndCleansUp(t *testing.T) {
	t.Parallel()
	cmd := testenv(t, `trap 'exit 7' TERM; echo "$TEST_DATABASE_URL"; while :; do sleep 0.05; done`)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	dbURL, err := bufio.NewReader(stdout).ReadString('\n')
	require.NoError(t, err)

	begin := time.Now()
	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	_, _ = io.Copy(io.Discard, stdout)
	err = cmd.Wait()
	var exitErr *exec.ExitError
	require.ErrorAs(t, err, &exitErr)
	require.Equal(t, 7, exitErr.ExitCode(), "the command's own exit code after the forwarded signal")
	require.Less(t, time.Since(begin), 10*time.Second)
	requireCleanedUp(t, stderr.String(), strings.TrimSpace(dbURL))
}

func TestUsage(t *testing.T) {
	t.Parallel()
	exe, err := os.Executable()
	require.NoError(t, err)
	cmd := exec.Command(exe, "--")
	cmd.Env = append(os.Environ(), asMain+"=1")
	out, err := cmd.CombinedOutput()
	var exitErr *exec.ExitError
	require.ErrorAs(t, err, &exitErr)
	require.Equal(t, 2, exitErr.ExitCode())
	require.Contains(t, string(out), "usage:")
}

var s3DirLine = regexp.MustCompile(`S3-compatible server ready".* dir=(\S+)`)

func TestRunsAnS3ServerAndCleansUp(t *testing.T) {
	t.Parallel()
	cmd := testenv(t, `echo "$TEST_S3_ENDPOINT $TEST_S3_ACCESS_KEY $TEST_S3_SECRET_KEY $TEST_S3_REGION"`)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), stderr.String())
	f := strings.Fields(stdout.String())
	require.Len(t, f, 4, stdout.String())
	require.Regexp(t, `^127\.0\.0\.1:\d+$`, f[0])
	require.NotEqual(t, f[1], f[2], "random credentials")
	m := s3DirLine.FindStringSubmatch(stderr.String())
	require.NotNil(t, m, stderr.String())
	require.NoDirExists(t, m[1])
	_, err := net.DialTimeout("tcp", f[0], time.Second)
	require.Error(t, err, "the server no longer listens")
}
