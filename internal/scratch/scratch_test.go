package scratch_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/mosaichq/mosaic/internal/scratch"
)

// helperRoot, when set, makes the test binary a process that opens a
// scratch directory there, spools a file into it, prints the directory
// and waits to be killed.
const helperRoot = "SCRATCH_TEST_HELPER_ROOT"

func TestMain(m *testing.M) {
	if root := os.Getenv(helperRoot); root != "" {
		d, err := scratch.Open(root)
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		if err := os.WriteFile(filepath.Join(d.Path(), "mosaic-upload-1"), make([]byte, 1000), 0o600); err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		fmt.Println(d.Path())
		select {} // until killed
	}
	goleak.VerifyTestMain(m)
}

func open(t *testing.T, root string) *scratch.Dir {
	t.Helper()
	d, err := scratch.Open(root)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, d.Close()) })
	return d
}

// A process killed with SIGKILL mid-spool leaves its directory; the next
// sweep removes it — but not while the process still runs.
func TestSweepRemovesWhatAKilledProcessLeft(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), helperRoot+"="+root)
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	require.NoError(t, err)
	other := line[:len(line)-1]
	require.DirExists(t, other, line)

	d := open(t, root)
	r, err := d.Sweep(time.Now())
	require.NoError(t, err)
	require.Equal(t, scratch.Report{}, r, "a live process's directory is not touched")
	require.FileExists(t, filepath.Join(other, "mosaic-upload-1"))

	require.NoError(t, cmd.Process.Kill())
	_ = cmd.Wait()
	r, err = d.Sweep(time.Now())
	require.NoError(t, err)
	require.Equal(t, scratch.Report{Dirs: 1, Files: 1, Bytes: 1000}, r)
	require.NoDirExists(t, other)
	require.DirExists(t, d.Path(), "the sweeper's own directory stays")
}

// Two processes on one root (replicas sharing a data dir): neither's
// sweep touches the other's files, and each spools into its own directory.
func TestSweepSparesAnotherLiveDirectory(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	a, b := open(t, root), open(t, root)
	require.NotEqual(t, a.Path(), b.Path())
	spool := filepath.Join(a.Path(), "mosaic-multipart-1")
	require.NoError(t, os.WriteFile(spool, []byte("half an upload"), 0o600))
	old := time.Now().Add(-48 * time.Hour)
	require.NoError(t, os.Chtimes(spool, old, old))
	require.NoError(t, os.Chtimes(a.Path(), old, old))

	r, err := b.Sweep(time.Now())
	require.NoError(t, err)
	require.Equal(t, scratch.Report{}, r, "held locks win over age")
	require.FileExists(t, spool)
}

// What no lock speaks for — loose files older versions spooled into the
// root, a directory never finished, one without a lock file — goes only
// once nothing in it was written for StaleAfter.
func TestSweepJudgesTheUnlockedByAge(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	d := open(t, root)
	now := time.Now()
	stale := now.Add(-scratch.StaleAfter - time.Minute)
	fresh := now.Add(-scratch.StaleAfter + time.Minute)
	mk := func(name string, dir bool, at time.Time) string {
		p := filepath.Join(root, name)
		if dir {
			require.NoError(t, os.Mkdir(p, 0o750))
			f := filepath.Join(p, "put-1")
			require.NoError(t, os.WriteFile(f, []byte("12345"), 0o600))
			require.NoError(t, os.Chtimes(f, at, at))
		} else {
			require.NoError(t, os.WriteFile(p, []byte("12345"), 0o600))
		}
		require.NoError(t, os.Chtimes(p, at, at))
		return p
	}
	gone := []string{mk("put-old", false, stale), mk(".new-old", true, stale), mk("123-nolock-old", true, stale)}
	kept := []string{mk("put-new", false, fresh), mk(".new-new", true, fresh), mk("123-nolock-new", true, fresh)}
	// A directory whose own time is old but whose file was just written.
	busy := mk("456-nolock-busy", true, stale)
	require.NoError(t, os.Chtimes(filepath.Join(busy, "put-1"), fresh, fresh))
	kept = append(kept, busy)

	r, err := d.Sweep(now)
	require.NoError(t, err)
	require.Equal(t, scratch.Report{Dirs: 2, Files: 3, Bytes: 15}, r)
	for _, p := range gone {
		require.NoFileExists(t, p)
		require.NoDirExists(t, p)
	}
	for _, p := range kept {
		_, err := os.Stat(p)
		require.NoError(t, err, "%s is kept", p)
	}
}

// Close removes the directory and what is in it; twice is fine.
func TestCloseRemovesTheDirectory(t *testing.T) {
	t.Parallel()
	d, err := scratch.Open(filepath.Join(t.TempDir(), "tmp"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(d.Path(), "x"), []byte("x"), 0o600))
	p := d.Path()
	require.NoError(t, d.Close())
	require.NoError(t, d.Close())
	require.NoDirExists(t, p)
	_, err = os.CreateTemp(d.Path(), "late-*")
	require.Error(t, err, "nothing is written after Close (not to $TMPDIR either)")
}
