package events_test

import (
	"net/url"
	"testing"

	"github.com/mosaichq/mosaic/events"
)

// ParseFilter reads a client's query string: it must refuse or accept,
// never panic, and what it accepts must match without panicking.
func FuzzParseFilter(f *testing.F) {
	for _, s := range []string{"channel=kiosk&screen=lobby&type=campaign.*", "type=*", "type=,,changed", "device=%00", "screen=a.b-c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		flt, err := events.ParseFilter(q, events.Registry{Channels: []string{"web", "kiosk"}})
		if err != nil {
			return
		}
		flt.Match(events.Event{Type: events.TypeChanged, Change: &events.Change{Type: events.ScreenType, Slug: "lobby"}})
		flt.Match(events.Event{Type: events.TypeCampaignEnded, Campaign: &events.Campaign{Channels: []string{"web"}}})
	})
}
