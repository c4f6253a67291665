package main

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
)

// The records comparison (-records): decision records on against off in
// one run. Delivery writes a record for every entry it executes for a
// visitor id; the only way to run the same requests without records is
// the server setting, so a second `mosaic dev` (own data dir, same
// content) runs with MOSAIC_DECISION_RECORDS=off and the phases alternate
// between the two, the order swapped every round so the machine's drift
// falls on both. With the response cache on, records are written on
// misses only (a cached answer writes none, with -decision-id too: its
// copies are counted by the client's views, measurement/views.go); -env
// MOSAIC_RESPONSE_CACHE_BYTES=0 makes every request execute and record,
// and -env MOSAIC_DECISION_RECORDS=delivery makes every serve of a
// -decision-id answer write its own record (the off server's setting
// comes last and wins).

const recordsOff = "MOSAIC_DECISION_RECORDS=off"

// nextPort is addr with its port plus one.
func nextPort(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", err
	}
	p, err := strconv.Atoi(port)
	if err != nil {
		return "", err
	}
	return net.JoinHostPort(host, strconv.Itoa(p+1)), nil
}

// offEnv is what the records-off server's environment adds to env:
// records off and, when -env sets MOSAIC_PPROF_ADDR, its profiles on the
// next port (two servers cannot listen on one; the last value wins).
func offEnv(env []string) []string {
	out := []string{recordsOff}
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "MOSAIC_PPROF_ADDR="); ok {
			if next, err := nextPort(v); err == nil {
				out = append(out, "MOSAIC_PPROF_ADDR="+next)
			}
		}
	}
	return out
}

// startRecordsOff starts and seeds the second server, records off.
func startRecordsOff(ctx context.Context, o options, env []string) (*mosaic, error) {
	addr, err := nextPort(o.addr)
	if err != nil {
		return nil, err
	}
	m, err := startMosaic(ctx, o.bin, addr, append(append([]string{}, env...), offEnv(env)...))
	if err != nil {
		return nil, err
	}
	if _, err := prepare(ctx, m); err != nil {
		m.stop()
		return nil, err
	}
	if err := seedPages(ctx, m.dbURL, o.pages); err != nil {
		m.stop()
		return nil, err
	}
	if _, err := waitForPage(ctx, m, o.pages-1); err != nil {
		m.stop()
		return nil, err
	}
	return m, nil
}

// runRecords alternates POST and persisted GET phases between on and off.
func runRecords(ctx context.Context, o options, on, off server, base phase, do func(phase) *result) error {
	for _, srv := range []server{on, off} {
		for _, md := range []mode{modePOST, modeGET} {
			p := base
			p.srv, p.mode, p.duration, p.seed = srv, md, o.warmup, 99
			do(p)
		}
	}
	for round := range o.rounds {
		order := []server{on, off}
		if round%2 == 1 {
			order = []server{off, on}
		}
		for _, spec := range []struct {
			name string
			md   mode
		}{{"POST", modePOST}, {"persisted GET", modeGET}} {
			for _, srv := range order {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				p := base
				p.name, p.srv, p.mode, p.seed = spec.name, srv, spec.md, uint64(round*10+int(spec.md))
				do(p)
			}
		}
	}
	return nil
}

// reportRecords sums the rounds per request form and server and prints
// the cost of records: req/s lost and p99 added, in per cent of off.
func reportRecords(results []*result, on, off string) { reportPair(results, on, off, "records") }

// reportPair is reportRecords for any feature on and off (what names it).
func reportPair(results []*result, on, off, what string) {
	type sum struct {
		requests int
		wall     time.Duration
		p99      []time.Duration
	}
	agg := map[[2]string]*sum{}
	for _, r := range results {
		k := [2]string{r.name, r.server}
		if agg[k] == nil {
			agg[k] = &sum{}
		}
		agg[k].requests += r.requests
		agg[k].wall += r.wall
		agg[k].p99 = append(agg[k].p99, r.percentile(0.99))
	}
	mean := func(ds []time.Duration) time.Duration {
		var t time.Duration
		for _, d := range ds {
			t += d
		}
		return t / time.Duration(max(1, len(ds)))
	}
	fmt.Println()
	fmt.Printf("| form | %[1]s on req/s | %[1]s off req/s | req/s cost | on p99 ms (mean of rounds) | off p99 ms | p99 cost |\n", what)
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|")
	for _, form := range []string{"POST", "persisted GET"} {
		a, b := agg[[2]string{form, on}], agg[[2]string{form, off}]
		if a == nil || b == nil || a.wall == 0 || b.wall == 0 {
			continue
		}
		ra, rb := float64(a.requests)/a.wall.Seconds(), float64(b.requests)/b.wall.Seconds()
		pa, pb := mean(a.p99), mean(b.p99)
		fmt.Printf("| %s | %.0f | %.0f | %+.1f %% | %s | %s | %+.1f %% |\n", form, ra, rb, 100*(rb-ra)/rb,
			ms(pa), ms(pb), 100*float64(pa-pb)/float64(max(pb, 1)))
	}
}
