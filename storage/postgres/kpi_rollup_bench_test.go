package postgres_test

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mosaichq/mosaic/internal/testdb"
	"github.com/mosaichq/mosaic/measurement"
	"github.com/mosaichq/mosaic/storage/postgres"
)

// BenchmarkKpiRollup: the KPI rollup's step alone for one consumer batch
// of 1,000 events (800 track events, 200 conversions with a value) of
// 5,000 visitors, in a transaction of its own, as the consumer runs it
// inside its batch's. Beside wall time it reports the CPU both sides
// spent per batch: the PostgreSQL backend's (its /proc stat; the server
// runs on this machine) and this process's.
func BenchmarkKpiRollup(b *testing.B) {
	pool, _ := testdb.Schema(b)
	ctx := b.Context()
	conn, err := pool.Acquire(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Release()
	var pid int
	if err := conn.QueryRow(ctx, `SELECT pg_backend_pid()`).Scan(&pid); err != nil {
		b.Fatal(err)
	}
	now := time.Now().UTC().Add(-time.Hour)
	batch := func(n int) []measurement.Event {
		events := make([]measurement.Event, 1000)
		for i := range events {
			at := now.Add(time.Duration(n*1000+i) * time.Millisecond)
			events[i] = measurement.Event{ID: fmt.Sprint(n, "-", i), VisitorID: fmt.Sprint("v", (n*1000+i)%5000), Time: at,
				ReceivedAt: at, Type: measurement.TypeTrack, Name: "scroll"}
			if i%5 == 0 {
				v := float64(i % 40)
				events[i].Type, events[i].Name, events[i].Goal, events[i].Value = measurement.TypeConversion, "", "purchase", &v
			}
		}
		return events
	}
	dbCPU0, goCPU0 := backendCPU(b, pid), processCPU()
	b.ResetTimer()
	for n := range b.N {
		if err := postgres.RollKpisOn(ctx, conn.Conn(), batch(n)); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(backendCPU(b, pid)-dbCPU0)/float64(time.Millisecond)/float64(b.N), "db-cpu-ms/op")
	b.ReportMetric(float64(processCPU()-goCPU0)/float64(time.Millisecond)/float64(b.N), "go-cpu-ms/op")
}

// backendCPU is user + system time of process pid (PostgreSQL's backend).
func backendCPU(b *testing.B, pid int) time.Duration {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		b.Skipf("cannot read the backend's CPU time: %v", err)
	}
	// Fields after the command (which may hold spaces), 1-based from state.
	f := strings.Fields(string(raw[strings.LastIndexByte(string(raw), ')')+2:]))
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * time.Second / 100 // USER_HZ
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
