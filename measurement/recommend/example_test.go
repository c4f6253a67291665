package recommend_test

import (
	"context"
	"fmt"
	"time"

	"github.com/mosaichq/mosaic/measurement"
	"github.com/mosaichq/mosaic/measurement/recommend"
)

// Views come in batches from the event log; alsoViewed counts the people
// who viewed both entries, and Explain says so in words.
func ExampleExplain() {
	e := recommend.New(recommend.Config{})
	at := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	var batch []measurement.Event
	for i, v := range []string{"ana", "bo", "cy"} {
		batch = append(batch,
			measurement.Event{ID: fmt.Sprint(i, "a"), Type: measurement.TypeView, VisitorID: v, Entry: "wool-scarf", Time: at},
			measurement.Event{ID: fmt.Sprint(i, "b"), Type: measurement.TypeView, VisitorID: v, Entry: "thermal-mug", Time: at.Add(time.Minute)})
	}
	e.Observe(context.Background(), batch)

	q := recommend.Query{Source: recommend.AlsoViewed, Entry: "wool-scarf", Candidates: 4}
	items := e.Recommend(q)
	fmt.Println(recommend.Explain(q, items, func(id string) string { return id }))
	// Output: alsoViewed: 3 people who viewed wool-scarf also viewed thermal-mug
}
