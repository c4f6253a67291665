package main

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func answer(variant string) []byte {
	return fmt.Appendf(nil, `{"data":{"entry":{"blocks":[{"id":"b1","decision":{"variant":"dev-mobile"}},{"id":%q,"decision":{"variant":%q}}]}}}`, staleCampaigns[0].block, variant)
}

// The stale check: outside the campaign's window the campaign's variant is
// stale, inside it anything else is; a request in flight across a
// boundary may get either and is not judged.
func TestStaleCheck(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 12, 6, 3, 0, 0, 0, time.UTC)
	p := &phase{stale: &staleCampaigns[0], start: t0.Add(10 * time.Second), end: t0.Add(20 * time.Second)}
	campaignKey := staleCampaigns[0].key
	at := func(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }
	for _, tc := range []struct {
		name       string
		sent, recv float64
		variant    string
		stale      bool
		inFlight   bool
	}{
		{"before, default", 1, 1.01, "default", false, false},
		{"before, campaign", 1, 1.01, campaignKey, true, false},
		{"at startsAt, campaign", 10, 10.01, campaignKey, false, false},
		{"in the window, default", 15, 15.01, "seg-vip", true, false},
		{"across startsAt, default", 9.99, 10.01, "default", false, true},
		{"across startsAt, campaign", 9.99, 10.01, campaignKey, false, true},
		{"at endsAt, campaign", 20, 20.01, campaignKey, true, false},
		{"after, default", 25, 25.01, "default", false, false},
	} {
		res := &result{}
		p.check(res, answer(tc.variant), at(tc.sent), at(tc.recv))
		require.Equal(t, tc.stale, res.stale == 1, tc.name)
		require.Equal(t, tc.inFlight, res.inFlight == 1, tc.name)
		require.Zero(t, res.errors, tc.name)
	}
	res := &result{}
	p.check(res, []byte(`{"errors":[`), at(1), at(2))
	require.Equal(t, 1, res.errors, "an answer that is not JSON is a failure, not a pass")
}

// The content shape: 8 blocks, each dimension's values all targeted, each
// stale-check campaign's variant on its block only.
func TestPageFields(t *testing.T) {
	t.Parallel()
	blocks := pageFields(3)["blocks"].([]any)
	require.Len(t, blocks, 8)
	for k, it := range blocks {
		b := it.(map[string]any)
		vs := b["variants"].([]any)
		if k < len(staleCampaigns) {
			require.Len(t, vs, 4, "block %d", k)
			require.Equal(t, staleCampaigns[k].key, vs[3].(map[string]any)["campaign"])
			require.Equal(t, staleCampaigns[k].block, b["id"])
			continue
		}
		require.Len(t, vs, 3, "block %d", k)
	}
}

// Each round's mosaic phase is compared with the bare phase of its own
// round, not another round's.
func TestPairBare(t *testing.T) {
	t.Parallel()
	var results []*result
	for round := range 3 {
		for _, name := range []string{"POST", "If-None-Match → 304"} {
			results = append(results,
				&result{name: name, server: "mosaic", requests: 100 * (round + 1)},
				&result{name: name, server: "bare net/http", requests: 1000 * (round + 1)})
		}
	}
	results = append(results, &result{name: "stale check (POST)", server: "mosaic"})
	pairs := pairBare(results)
	require.Len(t, pairs, 6)
	for r, b := range pairs {
		require.Equal(t, r.name, b.name)
		require.Equal(t, r.requests*10, b.requests, "the same round's bare phase")
	}
}
