package main

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The caps comparison (-caps, issue 19): the personalized page with
// behavioural segment rules and frequency caps on, against the same
// content without them, in one run. Three `mosaic dev` with the same 200
// pages, the same history posted to /collect first (3 product views for
// v0–v499, a shoe cart_add for v0–v199, a purchase for v0–v99) and the
// same live campaign (load-flash, a variant on every page's b0):
//
//   - off: the demo's trait rules, no caps;
//   - behaviour: the three behavioural segments (behaviour.go), no caps;
//   - behaviour + caps: those, the campaign capped at 3 a week
//     (Europe/Bucharest) and every page's cha-web variant (b2, web only)
//     capped at 5 in a rolling 168 h — set through the management API
//     (updateCampaign, upsertVariant, publishEntry), as an editor would.
//
// The phases alternate between the three, the order rotated every round.
// An answer that read a person's cap counts is private (delivery
// Request.CapsRead): no shared cache keeps it, and the response cache
// keeps it keyed on the states of the caps it read (graph/respcaps.go), so
// the third server's hits depend on how many distinct states its people
// are in; what the first two show is the cost of the behaviour alone and
// how far it fragments the response cache's keys (the entries each holds
// after the run, from /metrics).

// capCampaign, capVariant: the caps the third server gets.
var (
	capCampaign = map[string]any{"max": 3, "per": "WEEK", "timeZone": "Europe/Bucharest"}
	capVariant  = map[string]any{"max": 5, "per": "168h"}
)

// startPrepared starts and seeds a server, with the behavioural segments
// when behavioural, and returns it with its campaigns' ids.
func startPrepared(ctx context.Context, o options, bin, addr string, env []string, behavioural bool) (*mosaic, []string, error) {
	m, err := startMosaic(ctx, bin, addr, env)
	if err != nil {
		return nil, nil, err
	}
	fail := func(err error) (*mosaic, []string, error) { m.stop(); return nil, nil, err }
	ids, err := prepare(ctx, m)
	if err != nil {
		return fail(err)
	}
	if err := seedPages(ctx, m.dbURL, o.pages); err != nil {
		return fail(err)
	}
	if _, err := waitForPage(ctx, m, o.pages-1); err != nil {
		return fail(err)
	}
	if behavioural {
		if err := behaviouralSegments(ctx, m); err != nil {
			return fail(err)
		}
	}
	return m, ids, nil
}

// liveCampaign caps the campaign (when cap is set) and launches it for an
// hour: its variant shows on every page's b0.
func liveCampaign(ctx context.Context, m *mosaic, id string, cap map[string]any) error {
	if cap != nil {
		if err := m.graphql(ctx, `mutation($id: ID!, $in: UpdateCampaignInput!) { updateCampaign(id: $id, input: $in) { id } }`,
			map[string]any{"id": id, "in": map[string]any{"cap": cap}}, nil); err != nil {
			return err
		}
	}
	return m.graphql(ctx, `mutation($id: ID!, $e: DateTime!) { launchCampaign(id: $id, endsAt: $e) { status } }`,
		map[string]any{"id": id, "e": time.Now().Add(time.Hour).UTC().Format(time.RFC3339Nano)}, nil)
}

// capVariants gives every page's cha-web variant (block b2) the variant
// cap, the variant otherwise as seeded, and publishes: four workers.
func capVariants(ctx context.Context, m *mosaic, pages int) error {
	const block, key, field = "b2", "cha-web", "label"
	work := make(chan int)
	errc := make(chan error, 4)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				if err := capVariant1(ctx, m, i, block, key, field); err != nil {
					errc <- fmt.Errorf("page %s: %w", slugOf(i), err)
					return
				}
			}
		}()
	}
	var err error
feed:
	for i := range pages {
		select {
		case work <- i:
		case err = <-errc:
			break feed
		}
	}
	close(work)
	wg.Wait()
	if err == nil {
		select {
		case err = <-errc:
		default:
		}
	}
	return err
}

func capVariant1(ctx context.Context, m *mosaic, i int, block, key, field string) error {
	var e struct{ Entry struct{ ID string } }
	if err := m.graphql(ctx, `query($s: String!) { entry(slug: $s, type: "page") { id } }`, map[string]any{"s": slugOf(i)}, &e); err != nil {
		return err
	}
	var d struct{ Draft struct{ Version int } }
	if err := m.graphql(ctx, `query($id: ID!) { draft(id: $id) { version } }`, map[string]any{"id": e.Entry.ID}, &d); err != nil {
		return err
	}
	in := map[string]any{"key": key, "channels": []any{"web"}, "cap": capVariant,
		"fields": map[string]any{field: fmt.Sprintf("Page %d, block 2: for web", i)}}
	if err := m.graphql(ctx, `mutation($id: ID!, $b: String, $in: VariantInput!, $v: Int!) {
		upsertVariant(entryId: $id, blockId: $b, input: $in, expectedVersion: $v) { version } }`,
		map[string]any{"id": e.Entry.ID, "b": block, "in": in, "v": d.Draft.Version}, nil); err != nil {
		return err
	}
	return m.graphql(ctx, `mutation($id: ID!) { publishEntry(id: $id) { status } }`, map[string]any{"id": e.Entry.ID}, nil)
}

// runCapsTrio runs the three servers' comparison; m is already seeded
// (off) and campaignIDs are its campaigns. With -capsbase the second
// server is the capped one on that binary instead of the behaviour-only
// one: the same caps, before and after a change, side by side.
func runCapsTrio(ctx context.Context, o options, m *mosaic, campaignIDs []string, env []string) error {
	addr, err := nextPort(o.addr)
	if err != nil {
		return err
	}
	secondName, secondCap, secondBin := "behaviour", map[string]any(nil), o.bin
	if o.capsBase != "" {
		secondName, secondCap, secondBin = "behaviour + caps ("+o.capsBase+")", capCampaign, o.capsBase
	}
	beh, behIDs, err := startPrepared(ctx, o, secondBin, addr, env, true)
	if err != nil {
		return err
	}
	defer beh.stop()
	if addr, err = nextPort(addr); err != nil {
		return err
	}
	capped, cappedIDs, err := startPrepared(ctx, o, o.bin, addr, env, true)
	if err != nil {
		return err
	}
	defer capped.stop()
	t0 := time.Now()
	for _, s := range []struct {
		m   *mosaic
		id  string
		cap map[string]any
	}{{m, campaignIDs[0], nil}, {beh, behIDs[0], secondCap}, {capped, cappedIDs[0], capCampaign}} {
		if err := liveCampaign(ctx, s.m, s.id, s.cap); err != nil {
			return err
		}
		if err := history(ctx, s.m); err != nil {
			return err
		}
	}
	if err := capVariants(ctx, capped, o.pages); err != nil {
		return err
	}
	if o.capsBase != "" {
		if err := capVariants(ctx, beh, o.pages); err != nil {
			return err
		}
	}
	fmt.Printf("# campaign load-flash live on the three; history posted to each; caps set on %d pages through the API in %s\n",
		o.pages, time.Since(t0).Round(time.Millisecond))
	servers := []server{
		{name: "off", base: m.base, pid: m.pid(), pg: m.postmaster()},
		{name: secondName, base: beh.base, pid: beh.pid(), pg: beh.postmaster()},
		{name: "behaviour + caps", base: capped.base, pid: capped.pid(), pg: capped.postmaster()},
	}
	fmt.Printf("# %s: %s; %s: %s; %s: %s\n\n", servers[0].name, servers[0].base, servers[1].name, servers[1].base, servers[2].name, servers[2].base)
	var results []*result
	base := phase{duration: o.duration, conns: o.conns, pages: o.pages, countCaps: true}
	for _, srv := range servers {
		for _, md := range []mode{modePOST, modeGET} {
			p := base
			p.srv, p.mode, p.duration, p.seed = srv, md, o.warmup, 99
			p.run(ctx)
		}
	}
	for round := range o.rounds {
		for _, spec := range []struct {
			name string
			md   mode
		}{{"POST", modePOST}, {"persisted GET", modeGET}} {
			for k := range servers {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				p := base
				p.name, p.srv, p.mode, p.seed = spec.name, servers[(k+round)%len(servers)], spec.md, uint64(round*10+int(spec.md))
				results = append(results, p.run(ctx))
			}
		}
	}
	report(results)
	reportTrio(results, servers)
	fmt.Println()
	for _, srv := range servers {
		fmt.Printf("- %s after the run: %s\n", srv.name, cacheMetrics(ctx, srv.base))
	}
	return ctx.Err()
}

// reportTrio sums the rounds per request form and server: req/s, p99,
// server cores, req/s per core, the response cache's hit ratio and the
// share of answers in which a cap held a variant back.
func reportTrio(results []*result, servers []server) {
	type sum struct {
		requests, hits, cached, capped int
		wall, cpu                      time.Duration
		p99                            []time.Duration
	}
	agg := map[[2]string]*sum{}
	for _, r := range results {
		k := [2]string{r.name, r.server}
		if agg[k] == nil {
			agg[k] = &sum{}
		}
		s := agg[k]
		s.requests += r.requests
		s.wall += r.wall
		s.cpu += r.cpu
		s.hits += r.cache["HIT"]
		s.cached += r.cache["HIT"] + r.cache["MISS"] + r.cache["BYPASS"]
		s.capped += r.capped
		s.p99 = append(s.p99, r.percentile(0.99))
	}
	fmt.Println()
	fmt.Println("| form | server | req/s | vs off | p99 ms (mean of rounds) | server cores | req/s per server core | cache hits | answers with a cap suppression |")
	fmt.Println("|---|---|---:|---:|---:|---:|---:|---:|---:|")
	for _, form := range []string{"POST", "persisted GET"} {
		off := agg[[2]string{form, servers[0].name}]
		for _, srv := range servers {
			s := agg[[2]string{form, srv.name}]
			if s == nil || s.wall == 0 || off == nil || off.wall == 0 {
				continue
			}
			var p99 time.Duration
			for _, d := range s.p99 {
				p99 += d
			}
			p99 /= time.Duration(len(s.p99))
			rps, offRPS := float64(s.requests)/s.wall.Seconds(), float64(off.requests)/off.wall.Seconds()
			cores := s.cpu.Seconds() / s.wall.Seconds()
			fmt.Printf("| %s | %s | %.0f | %+.0f %% | %s | %.2f | %.0f | %.1f %% | %.1f %% |\n", form, srv.name, rps,
				100*(rps-offRPS)/offRPS, ms(p99), cores, rps/max(cores, 0.01),
				100*float64(s.hits)/float64(max(1, s.cached)), 100*float64(s.capped)/float64(max(1, s.requests)))
		}
	}
}

// cacheMetrics reads the response cache's size and the cap suppressions
// from a server's /metrics (open on loopback in dev).
func cacheMetrics(ctx context.Context, base string) string {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/metrics", nil)
	if err != nil {
		return err.Error()
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err.Error()
	}
	defer resp.Body.Close()
	var parts []string
	suppressed := 0.0
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "mosaic_response_cache_entries "), strings.HasPrefix(line, "mosaic_response_cache_bytes "):
			parts = append(parts, line)
		case strings.HasPrefix(line, "mosaic_personalization_cap_suppressed_total{"):
			f := strings.Fields(line)
			n, _ := strconv.ParseFloat(f[len(f)-1], 64)
			suppressed += n
		}
	}
	return strings.Join(parts, ", ") + fmt.Sprintf(", cap suppressions %.0f", suppressed)
}
