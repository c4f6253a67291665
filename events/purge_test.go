package events_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/events"
)

// TestPurge: every event says which delivered answers it makes stale, in
// the envelope webhooks and streams carry.
func TestPurge(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		e    events.Event
		want []string
	}{
		"transition":   {events.Event{Type: events.TypeCampaignStarted, Campaign: &events.Campaign{Key: "black-friday"}}, []string{"campaign:black-friday"}},
		"campaign":     {events.Event{Type: events.TypeChanged, Change: &events.Change{Action: "campaign", Campaign: &events.Campaign{Key: "bf"}}}, []string{"campaign:bf"}},
		"publish":      {events.Event{Type: events.TypeChanged, Change: &events.Change{Action: "publish", Entry: "e1", Type: "page", Slug: "deals"}}, []string{"entry:e1", "type:page"}},
		"model change": {events.Event{Type: events.TypeChanged, Change: &events.Change{Action: "model", Type: "page"}}, []string{"mosaic"}},
		"resync":       {events.Event{Type: events.TypeChanged, Change: &events.Change{Reason: "resync"}}, []string{"mosaic"}},
	} {
		require.Equal(t, tc.want, tc.e.Purge(), name)
		var env struct {
			Data struct {
				Purge []string `json:"purge"`
			} `json:"data"`
		}
		require.NoError(t, json.Unmarshal(tc.e.JSON(), &env))
		require.Equal(t, tc.want, env.Data.Purge, name)
	}
}

// Report events carry their data as written, purge nothing, and never
// reach a stream, whatever the filter asks: they are editors' data, for
// webhooks only.
func TestReportEventsAreForWebhooksOnly(t *testing.T) {
	t.Parallel()
	for _, typ := range []string{events.TypeReportDaily, events.TypeSampleReached} {
		e := events.Event{ID: 7, Type: typ, Report: json.RawMessage(`{"day":"2026-12-06"}`)}
		require.Nil(t, e.Purge(), typ)
		require.JSONEq(t, `{"id":"7","type":"`+typ+`","timestamp":"0001-01-01T00:00:00Z","data":{"day":"2026-12-06"}}`, string(e.JSON()))
		require.False(t, events.Filter{}.Match(e), "%s on an unfiltered stream", typ)
		require.False(t, events.Filter{Types: []string{typ}}.Match(e), "%s asked for by name", typ)
		require.Contains(t, events.WebhookTypes(), typ)
		require.NotContains(t, events.Types(), typ, "a stream cannot ask for it")
	}
	require.True(t, events.Filter{}.Match(events.Event{Type: events.TypeChanged, Change: &events.Change{}}))
}
