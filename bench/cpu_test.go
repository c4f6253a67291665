package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// cpuClock reads the CPU time PostgreSQL and this process have spent, so
// a benchmark on the shared 2 cores can report work done beside wall
// time (which other agents' load stretches). PostgreSQL's is its whole
// cluster's (testenv's, this benchmark's alone): every live child of the
// postmaster plus what exited children (parallel workers) left in the
// postmaster's cumulative counters. Linux only; skipped elsewhere.
type cpuClock struct{ postmaster int }

func newCPUClock(b *testing.B, pool *pgxpool.Pool) cpuClock {
	var backend int
	if err := pool.QueryRow(b.Context(), `SELECT pg_backend_pid()`).Scan(&backend); err != nil {
		b.Fatal(err)
	}
	f, err := procStat(backend)
	if err != nil {
		b.Skipf("no /proc: %v", err)
	}
	pm, _ := strconv.Atoi(f[1])
	return cpuClock{postmaster: pm}
}

// procStat is /proc/pid/stat's fields from the state on (state = 0).
func procStat(pid int) ([]string, error) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return nil, err
	}
	s := string(raw)
	return strings.Fields(s[strings.LastIndexByte(s, ')')+2:]), nil
}

func ticks(f []string, i ...int) time.Duration {
	var n int64
	for _, k := range i {
		v, _ := strconv.ParseInt(f[k], 10, 64)
		n += v
	}
	return time.Duration(n) * time.Second / 100 // USER_HZ
}

// read returns PostgreSQL's and this process's CPU so far.
func (c cpuClock) read() (pg, self time.Duration) {
	if f, err := procStat(c.postmaster); err == nil {
		pg += ticks(f, 11, 12, 13, 14) // utime, stime, cutime, cstime
	}
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		pid, _ := strconv.Atoi(filepath.Base(d))
		if f, err := procStat(pid); err == nil && f[1] == strconv.Itoa(c.postmaster) {
			pg += ticks(f, 11, 12)
		}
	}
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return pg, time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// measure runs op b.N times (b.Loop) and reports the CPU per op of both.
func (c cpuClock) measure(b *testing.B, op func()) {
	pg0, self0 := c.read()
	n := 0
	for b.Loop() {
		op()
		n++
	}
	pg1, self1 := c.read()
	b.ReportMetric((pg1-pg0).Seconds()/float64(n), "pg-cpu-s/op")
	b.ReportMetric((self1-self0).Seconds()/float64(n), "go-cpu-s/op")
}
