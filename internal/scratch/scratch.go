package scratch

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// StaleAfter is how long a file or directory nobody can be asked about
// must have gone unwritten before a sweep removes it.
const StaleAfter = time.Hour

// lockName is the lock file inside a process's directory.
const lockName = ".lock"

// stagingPrefix marks a directory whose owner is still setting it up.
const stagingPrefix = ".new-"

// Dir is one process's scratch directory under a shared root.
type Dir struct {
	root string
	path string
	// lock holds the flock while the process lives; nil when the file
	// system has no locks (the age rule then protects the directory).
	lock   *os.File
	closed bool
}

// Open makes the calling process's directory under root (created if
// missing) and locks it. The directory is set up under a hidden staging
// name and renamed once locked, so no sweep ever sees it unlocked.
func Open(root string) (*Dir, error) {
	if err := os.MkdirAll(root, 0o750); err != nil {
		return nil, fmt.Errorf("scratch: creating %s: %w", root, err)
	}
	staging, err := os.MkdirTemp(root, stagingPrefix)
	if err != nil {
		return nil, fmt.Errorf("scratch: creating a directory in %s: %w", root, err)
	}
	lock, err := os.OpenFile(filepath.Join(staging, lockName), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		_ = os.RemoveAll(staging)
		return nil, fmt.Errorf("scratch: creating the lock in %s: %w", staging, err)
	}
	switch locked, err := tryLock(lock); {
	case err != nil && !errors.Is(err, errNoLocks):
		lock.Close()
		_ = os.RemoveAll(staging)
		return nil, fmt.Errorf("scratch: locking %s: %w", staging, err)
	case err != nil:
		lock.Close()
		lock = nil // no locks here: the age rule protects the directory
	case !locked:
		// Nobody else knows this directory's name yet.
		lock.Close()
		_ = os.RemoveAll(staging)
		return nil, fmt.Errorf("scratch: %s is locked by another process", staging)
	}
	var rnd [6]byte
	_, _ = rand.Read(rnd[:])
	path := filepath.Join(root, strconv.Itoa(os.Getpid())+"-"+hex.EncodeToString(rnd[:]))
	if err := os.Rename(staging, path); err != nil {
		if lock != nil {
			lock.Close()
		}
		_ = os.RemoveAll(staging)
		return nil, fmt.Errorf("scratch: naming %s: %w", path, err)
	}
	return &Dir{root: root, path: path, lock: lock}, nil
}

// Path is the directory temporary files go in.
func (d *Dir) Path() string { return d.path }

// Close removes the directory with whatever is still in it and releases
// the lock; files can no longer be created in Path. Safe to call twice.
func (d *Dir) Close() error {
	if d.closed {
		return nil
	}
	d.closed = true
	err := os.RemoveAll(d.path)
	if d.lock != nil {
		d.lock.Close()
		d.lock = nil
	}
	return err
}

// Report counts what a sweep removed.
type Report struct {
	// Dirs is directories of processes that are gone (or stale).
	Dirs int
	// Files and Bytes count the files removed, in those directories and
	// loose in the root.
	Files int
	Bytes int64
}

// Sweep removes from the root what processes that are gone left: the
// directories whose lock can be taken, and what nobody can be asked about
// once it is older than StaleAfter. It never touches d's own directory,
// whose time it refreshes. now is the clock for the age rule.
func (d *Dir) Sweep(now time.Time) (Report, error) {
	var r Report
	if !d.closed {
		_ = os.Chtimes(d.path, now, now)
	}
	entries, err := os.ReadDir(d.root)
	if err != nil {
		return r, fmt.Errorf("scratch: reading %s: %w", d.root, err)
	}
	var errs []error
	for _, e := range entries {
		p := filepath.Join(d.root, e.Name())
		if p == d.path {
			continue
		}
		if err := sweepOne(p, e, now, &r); err != nil {
			errs = append(errs, err)
		}
	}
	return r, errors.Join(errs...)
}

func sweepOne(p string, e fs.DirEntry, now time.Time, r *Report) error {
	if e.IsDir() && !strings.HasPrefix(e.Name(), stagingPrefix) {
		lock, err := os.OpenFile(filepath.Join(p, lockName), os.O_RDWR, 0)
		if err == nil {
			defer lock.Close() // after the removal: nobody takes it meanwhile
			locked, err := tryLock(lock)
			switch {
			case err == nil && !locked:
				return nil // its process is alive
			case err == nil:
				return remove(p, r)
			}
		}
		// No lock file, or no locks on this file system: the age rule.
	}
	newest, err := newestWrite(p, e)
	if err != nil || now.Sub(newest) < StaleAfter {
		return err
	}
	return remove(p, r)
}

// newestWrite is the latest modification time of p and, for a directory,
// of what is directly in it.
func newestWrite(p string, e fs.DirEntry) (time.Time, error) {
	info, err := e.Info()
	if err != nil {
		return time.Time{}, ignoreGone(err)
	}
	newest := info.ModTime()
	if !e.IsDir() {
		return newest, nil
	}
	children, err := os.ReadDir(p)
	if err != nil {
		return newest, ignoreGone(err)
	}
	for _, c := range children {
		if ci, err := c.Info(); err == nil && ci.ModTime().After(newest) {
			newest = ci.ModTime()
		}
	}
	return newest, nil
}

// remove deletes p (a file or a whole directory), counting what went.
func remove(p string, r *Report) error {
	var files int
	var bytes int64
	isDir := false
	_ = filepath.WalkDir(p, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if path == p && e.IsDir() {
			isDir = true
		}
		if !e.IsDir() && e.Name() != lockName {
			files++
			if info, err := e.Info(); err == nil {
				bytes += info.Size()
			}
		}
		return nil
	})
	if err := os.RemoveAll(p); err != nil {
		return fmt.Errorf("scratch: removing %s: %w", p, err)
	}
	if isDir {
		r.Dirs++
	}
	r.Files += files
	r.Bytes += bytes
	return nil
}

func ignoreGone(err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return nil // removed meanwhile, by its owner or another sweep
	}
	return err
}
