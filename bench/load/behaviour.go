package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// The behaviour comparison (-behaviour, issue 19): behavioural segment
// rules on against off in one run. The records pair's shape: a second
// `mosaic dev` with the same content, whose "returning" segment also
// matches three product views in a week and which has two more
// behavioural segments (a big buyer, a shoe shopper); before the phases,
// POST /collect gives half of the 1,000 visitor ids the driver draws a
// history. The phases alternate between the two servers, the order
// swapped every round. What it measures is the whole cost: the profile
// lookups, the rules, and the response cache's classes — a behavioural
// rule makes the visitor id part of the memoized class and the person's
// segments part of the answer's class.

// behaviourRules are the "on" server's segments: rule by key (created
// when missing, else updated).
var behaviourRules = []struct{ key, rule string }{
	{"returning", `traits.visits > 3 || events.count("product_view", duration("168h")) >= 3`},
	{"big-buyer", `events.sum("purchase", "value", duration("720h")) > 200.0`},
	{"shoe-shopper", `events.last("cart_add").properties.category == "shoes"`},
}

// startBehaviourOn starts and seeds the second server and makes its
// segments behavioural, with a history for visitors v0–v499.
func startBehaviourOn(ctx context.Context, o options, env []string) (*mosaic, error) {
	addr, err := nextPort(o.addr)
	if err != nil {
		return nil, err
	}
	m, err := startMosaic(ctx, o.bin, addr, env)
	if err != nil {
		return nil, err
	}
	fail := func(err error) (*mosaic, error) { m.stop(); return nil, err }
	if _, err := prepare(ctx, m); err != nil {
		return fail(err)
	}
	if err := seedPages(ctx, m.dbURL, o.pages); err != nil {
		return fail(err)
	}
	if _, err := waitForPage(ctx, m, o.pages-1); err != nil {
		return fail(err)
	}
	if err := behaviouralSegments(ctx, m); err != nil {
		return fail(err)
	}
	if err := history(ctx, m); err != nil {
		return fail(err)
	}
	return m, nil
}

// behaviouralSegments creates or updates behaviourRules' segments on m.
func behaviouralSegments(ctx context.Context, m *mosaic) error {
	for _, s := range behaviourRules {
		var got struct{ Segment *struct{ Version int } }
		if err := m.graphql(ctx, `query($k: String!) { segment(key: $k) { version } }`, map[string]any{"k": s.key}, &got); err != nil {
			return err
		}
		in := map[string]any{"key": s.key, "name": s.key, "rule": s.rule}
		var err error
		if got.Segment == nil {
			err = m.graphql(ctx, `mutation($in: SegmentInput!) { createSegment(input: $in) { key } }`, map[string]any{"in": in}, nil)
		} else {
			err = m.graphql(ctx, `mutation($in: SegmentInput!, $v: Int!) { updateSegment(input: $in, expectedVersion: $v) { key } }`,
				map[string]any{"in": in, "v": got.Segment.Version}, nil)
		}
		if err != nil {
			return fmt.Errorf("segment %s: %w", s.key, err)
		}
	}
	return nil
}

// history posts 3 product views for v0–v499, a shoe cart_add for
// v0–v199 and a 250 purchase for v0–v99, in batches of 450 events.
func history(ctx context.Context, m *mosaic) error {
	var events []string
	for i := range 500 {
		for j := range 3 {
			events = append(events, fmt.Sprintf(`{"id":"pv-%d-%d","type":"track","visitorId":"v%d","name":"product_view"}`, i, j, i))
		}
		if i < 200 {
			events = append(events, fmt.Sprintf(`{"id":"ca-%d","type":"track","visitorId":"v%d","name":"cart_add","properties":{"category":"shoes"}}`, i, i))
		}
		if i < 100 {
			events = append(events, fmt.Sprintf(`{"id":"pu-%d","type":"conversion","visitorId":"v%d","goal":"purchase","value":250,"currency":"EUR"}`, i, i))
		}
	}
	for len(events) > 0 {
		n := min(450, len(events))
		body := fmt.Sprintf(`{"sentAt":%q,"events":[%s]}`, time.Now().UTC().Format(time.RFC3339Nano), strings.Join(events[:n], ","))
		events = events[n:]
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, m.base+"/collect", bytes.NewReader([]byte(body)))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusAccepted {
			return fmt.Errorf("POST /collect: %s", resp.Status)
		}
	}
	return nil
}

// runBehaviourPair starts the behavioural server beside m (off) and
// compares, as the records pair does.
func runBehaviourPair(ctx context.Context, o options, m *mosaic, env []string) error {
	on, err := startBehaviourOn(ctx, o, env)
	if err != nil {
		return err
	}
	defer on.stop()
	fmt.Printf("# behavioural rules off: %s; on (3 behavioural segments, 500 visitors with a history): %s\n\n", m.base, on.base)
	onSrv := server{name: "mosaic, behaviour on", base: on.base, pid: on.pid(), pg: on.postmaster()}
	offSrv := server{name: "mosaic, behaviour off", base: m.base, pid: m.pid(), pg: m.postmaster()}
	var results []*result
	do := func(p phase) *result {
		r := p.run(ctx)
		if p.name != "" {
			results = append(results, r)
		}
		return r
	}
	base := phase{duration: o.duration, conns: o.conns, pages: o.pages}
	if err := runRecords(ctx, o, onSrv, offSrv, base, do); err != nil {
		return err
	}
	report(results)
	reportPair(results, onSrv.name, offSrv.name, "behaviour")
	return ctx.Err()
}
