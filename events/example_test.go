package events_test

import (
	"fmt"
	"net/url"
	"time"

	"github.com/mosaichq/mosaic/events"
)

// A lobby kiosk's filter: campaigns for the kiosk channel, and changes of
// its own screen or of anything a screen may reference.
func ExampleFilter_Match() {
	q, _ := url.ParseQuery("channel=kiosk&screen=lobby&type=campaign.*,changed")
	f, err := events.ParseFilter(q, events.Registry{})
	if err != nil {
		panic(err)
	}
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	for _, e := range []events.Event{
		{Type: events.TypeCampaignStarted, At: at, Campaign: &events.Campaign{Key: "winter-sale"}},
		{Type: events.TypeCampaignStarted, At: at, Campaign: &events.Campaign{Key: "web-only", Channels: []string{"web"}}},
		{Type: events.TypeChanged, At: at, Change: &events.Change{Action: "publish", Type: "screen", Slug: "lobby"}},
		{Type: events.TypeChanged, At: at, Change: &events.Change{Action: "publish", Type: "screen", Slug: "entrance"}},
		{Type: events.TypeChanged, At: at, Change: &events.Change{Action: "publish", Type: "promo", Slug: "sale-banner"}},
	} {
		name := ""
		if e.Campaign != nil {
			name = e.Campaign.Key
		} else {
			name = e.Change.Type + "/" + e.Change.Slug
		}
		fmt.Println(f.Match(e), e.Type, name)
	}
	// Output:
	// true campaign.started winter-sale
	// false campaign.started web-only
	// true changed screen/lobby
	// false changed screen/entrance
	// true changed promo/sale-banner
}

func ExampleEvent_JSON() {
	e := events.Event{ID: 42, Type: events.TypeCampaignStarted,
		At:        time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC),
		CreatedAt: time.Date(2026, 12, 1, 9, 0, 0, 3_000_000, time.UTC),
		Campaign:  &events.Campaign{ID: "c1", Key: "winter-sale", Channels: []string{"web", "kiosk"}}}
	fmt.Println(string(e.JSON()))
	// Output:
	// {"id":"42","type":"campaign.started","timestamp":"2026-12-01T09:00:00Z","data":{"campaign":{"id":"c1","key":"winter-sale","channels":["web","kiosk"]},"at":"2026-12-01T09:00:00Z","announcedAt":"2026-12-01T09:00:00.003Z","purge":["campaign:winter-sale"]}}
}
