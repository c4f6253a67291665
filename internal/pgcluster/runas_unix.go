//go:build unix

package pgcluster

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
)

// runAs is the operating-system user the PostgreSQL programs run as: the
// current user, or the postgres system user when we are root (PostgreSQL
// refuses to run as root).
type runAs struct {
	name   string
	uid    int
	gid    int
	groups []int // supplementary groups, for the traversal check
	home   string
	cred   *syscall.Credential // nil: run as the current user
}

func currentRunAs() (runAs, error) {
	if os.Geteuid() != 0 {
		return runAs{name: "current user", uid: os.Geteuid(), gid: os.Getegid()}, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return runAs{}, fmt.Errorf("this process runs as root and PostgreSQL refuses to run as root, "+
			"but there is no postgres system user to run it as (%w): create one "+
			"(installing the postgresql package does), run as an ordinary user, or set DATABASE_URL", err)
	}
	uid, err := strconv.Atoi(u.Uid)
	if err != nil {
		return runAs{}, fmt.Errorf("user postgres: uid %q: %w", u.Uid, err)
	}
	gid, err := strconv.Atoi(u.Gid)
	if err != nil {
		return runAs{}, fmt.Errorf("user postgres: gid %q: %w", u.Gid, err)
	}
	r := runAs{name: "postgres", uid: uid, gid: gid, home: u.HomeDir}
	cred := &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	// Keep postgres's own supplementary groups (e.g. ssl-cert on Debian)
	// rather than inheriting root's.
	gids, _ := u.GroupIds()
	for _, g := range gids {
		if n, err := strconv.Atoi(g); err == nil {
			r.groups = append(r.groups, n)
			cred.Groups = append(cred.Groups, uint32(n))
		}
	}
	r.cred = cred
	return r, nil
}

// command builds an *exec.Cmd running as r, with an environment cleaned of
// PG* variables (PGPORT, PGDATA, PGOPTIONS... would silently change what
// pg_ctl and the server do) and "/" as working directory: the postgres user
// may not be able to enter ours, and initdb complains when it cannot.
func (r runAs) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = "/"
	cmd.Env = cleanEnv(os.Environ())
	// Its own process group, killed as a whole when ctx ends: initdb runs
	// postgres in bootstrap mode as a child, which would otherwise go on
	// writing into a data directory we are removing. (The postmaster that
	// pg_ctl starts calls setsid and is not affected.)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Credential: r.cred}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	if r.cred != nil && r.home != "" {
		cmd.Env = append(cmd.Env, "HOME="+r.home)
	}
	return cmd
}

// chown hands path to the postgres user when we run as root.
func (r runAs) chown(path string) error {
	if r.cred == nil {
		return nil
	}
	if err := os.Chown(path, r.uid, r.gid); err != nil {
		return fmt.Errorf("handing %s to user postgres: %w", path, err)
	}
	return nil
}

// checkTraversable verifies that r may enter dir and every ancestor of it.
// Only needed when we switch user: our own user reached dir already.
func (r runAs) checkTraversable(dir string) error {
	if r.cred == nil {
		return nil
	}
	for p := dir; ; p = filepath.Dir(p) {
		fi, err := os.Stat(p)
		if err != nil {
			return fmt.Errorf("checking %s: %w", p, err)
		}
		if !r.canSearch(fi) {
			return fmt.Errorf("this process runs as root, so PostgreSQL runs as user postgres, "+
				"which cannot enter %s (mode %s, owner uid %d): use a data directory outside it, "+
				"make it traversable (chmod o+x %s), run as an ordinary user, or set DATABASE_URL",
				p, fi.Mode().Perm(), ownerOf(fi), p)
		}
		if parent := filepath.Dir(p); parent == p {
			return nil
		}
	}
}

// canSearch applies the POSIX permission rule: the owner bits alone decide
// for the owner, the group bits alone for a group member, else other bits.
func (r runAs) canSearch(fi os.FileInfo) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return true // unknown platform: let PostgreSQL decide
	}
	mode := fi.Mode().Perm()
	switch {
	case int(st.Uid) == r.uid:
		return mode&0o100 != 0
	case int(st.Gid) == r.gid || slices.Contains(r.groups, int(st.Gid)):
		return mode&0o010 != 0
	default:
		return mode&0o001 != 0
	}
}

func ownerOf(fi os.FileInfo) int {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return int(st.Uid)
	}
	return -1
}

// processAlive reports whether a process with this PID exists. EPERM means
// it exists but belongs to another user (postgres, when we are not root).
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || err == syscall.EPERM
}
