package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"time"
)

func main() {
	if len(os.Args) == 4 && os.Args[1] == "bare" {
		if err := runBare(os.Args[2], os.Args[3]); err != nil {
			fmt.Fprintln(os.Stderr, "bare:", err)
			os.Exit(1)
		}
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

type options struct {
	bin              string
	addr             string
	pages, conns     int
	rounds           int
	duration, warmup time.Duration
	stale, records   bool
	decisionID       bool
	behaviour, caps  bool
	capsBase         string
	env, logFile     string
}

func run(ctx context.Context, args []string) error {
	var o options
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.StringVar(&o.bin, "bin", "bin/mosaic", "the mosaic binary (make build)")
	fs.StringVar(&o.addr, "addr", "127.0.0.1:18391", "loopback address for mosaic dev")
	fs.IntVar(&o.pages, "pages", 200, "pages to create and rotate over")
	fs.IntVar(&o.conns, "conns", 32, "connections (one request in flight each)")
	fs.IntVar(&o.rounds, "rounds", 1, "rounds of the side-by-side phases (interleaved)")
	fs.DurationVar(&o.duration, "duration", 20*time.Second, "length of each measured phase")
	fs.DurationVar(&o.warmup, "warmup", 5*time.Second, "length of the unreported warm-up (POST, then GET)")
	fs.BoolVar(&o.stale, "stale", true, "run the stale phase: a campaign starts and ends under the load")
	fs.BoolVar(&o.records, "records", false, "compare decision records on and off instead: a second mosaic dev with "+recordsOff+", POST and persisted GET phases alternated (records.go)")
	fs.BoolVar(&o.decisionID, "decision-id", false, "select Entry.decisionId in the page query, as a storefront that measures does: a decision record per computed answer, its cached copies counted by views (with -env MOSAIC_DECISION_RECORDS=delivery: a record per serve, from the response cache too; with -records: what records cost)")
	fs.BoolVar(&o.behaviour, "behaviour", false, "compare behavioural segment rules on and off instead: a second mosaic dev whose segments read events, with a history for 500 visitors (behaviour.go)")
	fs.BoolVar(&o.caps, "caps", false, "compare three servers instead: off, behavioural segments, behavioural segments and frequency caps (a capped campaign and a capped variant on every page, set through the API), the same history and live campaign on each (caps.go)")
	fs.StringVar(&o.capsBase, "capsbase", "", "with -caps: run the capped server on this binary too (the baseline of a change to the caps path), beside the one on -bin, instead of the behaviour-only server")
	fs.StringVar(&o.env, "env", "", "extra environment for mosaic, comma-separated K=V (e.g. MOSAIC_CONTENT_CACHE_BYTES=1073741824)")
	fs.StringVar(&o.logFile, "log", "", "write mosaic's log (stderr) to this file when it stops (with -env GODEBUG=gctrace=1: the live heap)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if !strings.HasPrefix(o.addr, "127.0.0.1:") {
		return errors.New("-addr must be on 127.0.0.1: load stays on loopback")
	}
	if o.duration <= 0 || o.duration > 10*time.Minute || o.conns < 1 || o.conns > 1024 || o.pages < 1 || o.pages > 200_000 {
		return errors.New("-duration 0–10m, -conns 1–1024, -pages 1–200000")
	}
	if o.decisionID {
		selectDecisionID()
	}
	// One address sends everything: the per-client rate limit would
	// measure itself.
	env := []string{"MOSAIC_RATE_LIMIT_IP=0", "MOSAIC_RATE_LIMIT_KEY=0"}
	if o.env != "" {
		env = append(env, strings.Split(o.env, ",")...)
	}

	fmt.Printf("# mosaic load: %d pages × 8 targeted blocks, %d connections, %s per phase; mosaic env %s; load average %s\n",
		o.pages, o.conns, o.duration, strings.Join(env, " "), loadAvg())
	m, err := startMosaic(ctx, o.bin, o.addr, env)
	if err != nil {
		return err
	}
	defer func() {
		m.stop()
		if o.logFile != "" {
			_ = os.WriteFile(o.logFile, m.log.Bytes(), 0o644)
		}
	}()
	campaignIDs, err := prepare(ctx, m)
	if err != nil {
		return err
	}
	t0 := time.Now()
	if err := seedPages(ctx, m.dbURL, o.pages); err != nil {
		return err
	}
	fmt.Printf("# seeded %d pages with COPY in %s\n", o.pages, time.Since(t0).Round(time.Millisecond))
	sample, err := waitForPage(ctx, m, o.pages-1)
	if err != nil {
		return err
	}
	if o.records {
		return runRecordsPair(ctx, o, m, env)
	}
	if o.behaviour {
		return runBehaviourPair(ctx, o, m, env)
	}
	if o.caps {
		return runCapsTrio(ctx, o, m, campaignIDs, env)
	}
	bare, err := startBare(sample)
	if err != nil {
		return err
	}
	defer bare.stop()
	fmt.Printf("# bare net/http serves the %d-byte answer of %s from memory\n\n", len(sample), slugOf(o.pages-1))

	ms := server{name: "mosaic", base: m.base, pid: m.pid(), pg: m.postmaster()}
	bs := server{name: "bare net/http", base: bare.base, pid: bare.cmd.Process.Pid}
	base := phase{duration: o.duration, conns: o.conns, pages: o.pages}
	var results []*result
	do := func(p phase) *result {
		// Progress on stderr, for a profile taken in one phase.
		fmt.Fprintf(os.Stderr, "%s start %s on %s\n", time.Now().Format(time.TimeOnly), cmp.Or(p.name, "warm-up"), p.srv.name)
		r := p.run(ctx)
		if p.name != "" {
			results = append(results, r)
		}
		return r
	}
	for _, md := range []mode{modePOST, modeGET} {
		p := base
		p.srv, p.mode, p.duration, p.seed = ms, md, o.warmup, 99
		do(p)
	}
	var learned []validated
	for round := range o.rounds {
		for _, spec := range []struct {
			name string
			md   mode
		}{{"POST", modePOST}, {"persisted GET", modeGET}, {"If-None-Match → 304", modeINM}} {
			for _, srv := range []server{ms, bs} {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				p := base
				p.name, p.srv, p.mode, p.seed = spec.name, srv, spec.md, uint64(round*10+int(spec.md))
				if spec.md == modeINM {
					if len(learned) == 0 {
						continue
					}
					p.revalidate = learned
					if srv.name != ms.name {
						p.etag = bareETag(sample)
					}
				}
				r := do(p)
				if spec.md == modeGET && srv.name == ms.name {
					learned = r.learned
				}
			}
		}
	}
	// The stale phases, one per request form, each with its own campaign.
	for i, md := range []mode{modePOST, modeGET} {
		if !o.stale || ctx.Err() != nil {
			break
		}
		p := base
		p.name, p.srv, p.mode, p.seed = "stale check (POST)", ms, md, uint64(7+i)
		if md == modeGET {
			p.name = "stale check (persisted GET)"
		}
		p.stale = &staleCampaigns[i]
		now := time.Now()
		// A little ahead, for the mutation's own time: startsAt may not be
		// in the past.
		p.start = now.Add(o.duration/3 + 200*time.Millisecond)
		p.end = p.start.Add(o.duration / 3)
		if err := schedule(ctx, m, campaignIDs[i], p.start, p.end); err != nil {
			return err
		}
		do(p)
	}
	report(results)
	return ctx.Err()
}

// runRecordsPair starts the records-off server beside m and compares.
func runRecordsPair(ctx context.Context, o options, m *mosaic, env []string) error {
	off, err := startRecordsOff(ctx, o, env)
	if err != nil {
		return err
	}
	defer off.stop()
	fmt.Printf("# records on: %s; records off (%s): %s\n\n", m.base, recordsOff, off.base)
	on := server{name: "mosaic, records on", base: m.base, pid: m.pid(), pg: m.postmaster()}
	offSrv := server{name: "mosaic, records off", base: off.base, pid: off.pid(), pg: off.postmaster()}
	var results []*result
	do := func(p phase) *result {
		r := p.run(ctx)
		if p.name != "" {
			results = append(results, r)
		}
		return r
	}
	base := phase{duration: o.duration, conns: o.conns, pages: o.pages}
	if err := runRecords(ctx, o, on, offSrv, base, do); err != nil {
		return err
	}
	report(results)
	reportRecords(results, on.name, offSrv.name)
	return ctx.Err()
}

// waitForPage waits until the last seeded page is delivered (the change
// row has reached the server) and returns its answer for one visitor.
func waitForPage(ctx context.Context, m *mosaic, i int) ([]byte, error) {
	vars := fmt.Sprintf(`{"slug":%q,"locale":"en","context":{"visitorId":"v1","device":"mobile","channel":"web","traits":{"visits":1,"cart_value":20}}}`, slugOf(i))
	u := m.base + "/graphql?documentId=" + documentID + "&variables=" + url.QueryEscape(vars)
	deadline := time.Now().Add(time.Minute)
	for {
		body, _, err := fetch(ctx, u)
		if err == nil && strings.Contains(string(body), `"blocks":[`) {
			return body, nil
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("page %s not delivered after a minute: %v %s", slugOf(i), err, body)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}
