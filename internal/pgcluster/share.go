package pgcluster

import "fmt"

// A persistent cluster may be used by several processes at once: `mosaic
// dev` serving, and `mosaic user add` or `mosaic model import` beside it.
// Each holds a shared lock on <DataDir>.users while it uses the cluster, and
// Stop stops the server only when it can take that lock exclusively: when
// no other process uses it. The last one out stops it; nobody stops a
// server from under another. Start and Stop run under an exclusive lock on
// <DataDir>.lock, so a process never stops a server another one is joining.

// lockStartStop waits for the right to start, restart or stop the server.
func (c *Cluster) lockStartStop() (*fileLock, error) {
	l, err := openLock(c.dataDir + ".lock")
	if err != nil {
		return nil, err
	}
	if err := l.lock(true); err != nil {
		l.close()
		return nil, err
	}
	return l, nil
}

// join takes this process's shared lock on the cluster and reports whether
// it is the only user. Called under lockStartStop.
func (c *Cluster) join() (alone bool, err error) {
	l, err := openLock(c.dataDir + ".users")
	if err != nil {
		return false, err
	}
	if alone, err = l.tryLock(true); err == nil {
		// Nobody takes it exclusively without the start/stop lock, which
		// we hold: the conversion cannot wait.
		err = l.lock(false)
	}
	if err != nil {
		l.close()
		return false, fmt.Errorf("joining the PostgreSQL cluster in %s: %w", c.dataDir, err)
	}
	c.users = l
	return alone, nil
}

// leave releases this process's lock and reports whether it was the last
// user. A cluster that never joined (ephemeral: its own) is always the
// last. Called under lockStartStop.
func (c *Cluster) leave() (last bool, err error) {
	if c.users == nil {
		return true, nil
	}
	last, err = c.users.tryLock(true)
	c.users.close()
	c.users = nil
	return last, err
}
