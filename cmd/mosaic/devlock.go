package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// devLockFile, in the data dir, is held (flock, exclusive) by the running
// `mosaic dev` and names it: its pid, then its address. A second dev on the
// same data dir refuses and says which one runs; the kernel drops the lock
// when that process dies, so a crashed dev never blocks the next.
const devLockFile = "dev.lock"

type devLock struct{ f *os.File }

// lockWait is how long lockDev waits for a lock to be let go. The kernel
// drops a flock only when every copy of its descriptor is closed, and a
// process forked by the holder (or by anything else in the holder's
// process, as in the tests) keeps a copy until it execs: a dev started right
// after the previous one stopped would otherwise be refused by a lock nobody
// holds any more.
const lockWait = 2 * time.Second

// lockDev takes the data dir for this `mosaic dev`, or says who has it.
func lockDev(dataDir string) (*devLock, error) {
	f, held, err := tryLockDev(dataDir)
	for deadline := time.Now().Add(lockWait); err == nil && !held && time.Now().Before(deadline); {
		f.Close()
		time.Sleep(50 * time.Millisecond)
		f, held, err = tryLockDev(dataDir)
	}
	if err != nil {
		return nil, err
	}
	if !held {
		defer f.Close()
		return nil, fmt.Errorf("another mosaic dev (%s) is running on the data dir %s: use that one, stop it first "+
			"(Ctrl-C where it runs), or give this one its own --data-dir", describeDev(f), absPath(dataDir))
	}
	l := &devLock{f: f}
	l.write("")
	return l, nil
}

// runningDev describes the `mosaic dev` running on dataDir, if one does.
func runningDev(dataDir string) (string, bool) {
	f, held, err := tryLockDev(dataDir)
	if err != nil || f == nil {
		return "", false
	}
	defer f.Close() // releases the lock if we took it
	if held {
		return "", false
	}
	return describeDev(f), true
}

func tryLockDev(dataDir string) (*os.File, bool, error) {
	if err := os.MkdirAll(dataDir, 0o755); err != nil { // 0755: the postgres user walks into pg/
		return nil, false, fmt.Errorf("creating the data dir: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(dataDir, devLockFile), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, false, fmt.Errorf("opening the dev lock: %w", err)
	}
	held, err := tryFlock(f)
	if err != nil {
		f.Close()
		return nil, false, fmt.Errorf("locking %s: %w", f.Name(), err)
	}
	return f, held, nil
}

// write records this process, and its address once it listens.
func (l *devLock) write(addr string) {
	s := fmt.Sprintf("pid %d\n", os.Getpid())
	if addr != "" {
		s += "address " + addr + "\n"
	}
	_ = l.f.Truncate(0)
	_, _ = l.f.WriteAt([]byte(s), 0)
}

// release lets the next dev in.
func (l *devLock) release() {
	_ = l.f.Truncate(0)
	_ = l.f.Close()
}

// describeDev reads "pid N, http://..." from a held lock file.
func describeDev(f *os.File) string {
	b, _ := os.ReadFile(f.Name())
	var parts []string
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if k, v, ok := strings.Cut(line, " "); ok && (k == "pid" || k == "address") {
			if k == "pid" {
				v = "pid " + v
			}
			parts = append(parts, v)
		}
	}
	if len(parts) == 0 {
		return "still starting"
	}
	return strings.Join(parts, ", ")
}

func absPath(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return p
}
