package campaign_test

import (
	"fmt"
	"time"

	"github.com/mosaichq/mosaic/campaign"
)

// A campaign's status is a function of its window and an instant: nothing
// flips it, so every replica and every channel agrees at every instant.
func ExampleCampaign_StatusAt() {
	start := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	c := campaign.Campaign{Key: "winter-sale", StartsAt: start, EndsAt: start.Add(24 * time.Hour)}
	for _, at := range []time.Time{start.Add(-time.Millisecond), start, start.Add(24*time.Hour - time.Millisecond), start.Add(24 * time.Hour)} {
		fmt.Println(at.Format("15:04:05.000"), c.StatusAt(at))
	}
	// Output:
	// 07:59:59.999 SCHEDULED
	// 08:00:00.000 LIVE
	// 07:59:59.999 LIVE
	// 08:00:00.000 ENDED
}

// "Ends at midnight in Bucharest" is read in the campaign's time zone; a
// local time that a DST change skips or repeats is refused, not guessed.
func ExampleParseLocal() {
	zone, _ := campaign.LoadZone("Europe/Bucharest")
	end, _ := campaign.ParseLocal("2026-12-25T00:00", zone, "endsAt")
	fmt.Println(end.UTC().Format(time.RFC3339))
	_, err := campaign.ParseLocal("2026-10-25T03:30", zone, "endsAt")
	fmt.Println(err != nil)
	// Output:
	// 2026-12-24T22:00:00Z
	// true
}
