package personalization_test

import (
	"context"
	"fmt"
	"time"

	"github.com/mosaichq/mosaic/measurement/consent"
	"github.com/mosaichq/mosaic/personalization"
)

func Example() {
	// Once, when definitions change.
	segments, err := personalization.CompileSegments([]personalization.Segment{
		{Key: "loyal", Name: "Loyal visitors", Rule: `traits.visits > 3 && context.device == "mobile"`},
	}, nil)
	if err != nil {
		panic(err)
	}
	start := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
	engine, err := personalization.NewEngine(personalization.Options{
		Segments: segments,
		Campaigns: []personalization.Campaign{
			{Key: "winter-sale", Priority: 10, StartsAt: start, EndsAt: start.AddDate(0, 1, 0)},
		},
	})
	if err != nil {
		panic(err)
	}

	// Per request: segments are computed once, then every block decided.
	visitor := engine.Visitor(context.Background(), personalization.Context{
		VisitorID: "v-42",
		Traits:    map[string]any{"visits": 5.0}, // JSON numbers are float64
		Device:    "mobile",
		Channel:   "web",
		Purposes:  consent.All,
		At:        start.Add(-time.Hour), // the sale starts in an hour
	})
	blocks := []personalization.Block{
		{ID: "hero", Variants: []personalization.Variant{
			{Key: "sale", Campaign: "winter-sale"},
			{Key: "welcome-back", Targeting: personalization.Targeting{Segments: []string{"loyal"}},
				Fields: map[string]any{"title": "Welcome back!"}},
		}},
		{ID: "footer"},
	}
	for _, d := range visitor.DecidePage(blocks) {
		fmt.Printf("%s: %s (%s)\n", d.BlockID, d.Variant, d.Reason)
	}
	fields := personalization.Merge(map[string]any{"title": "Hello"}, visitor.Decide(blocks[0]).Overrides)
	fmt.Println(fields["title"])

	next, _ := engine.NextTransition(start.Add(-time.Hour))
	fmt.Println("cache until", next.Format(time.RFC3339))
	// Output:
	// hero: welcome-back (segment loyal matched)
	// footer: default (no variant matched: default)
	// Welcome back!
	// cache until 2025-12-01T00:00:00Z
}
