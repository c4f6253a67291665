package measurement_test

import (
	"fmt"
	"time"

	"github.com/mosaichq/mosaic/measurement"
)

// A kiosk whose clock runs two hours behind sends a batch; its event is
// re-dated on the server's clock, and its bad event is refused alone.
func ExampleParseBatch() {
	received := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	body := []byte(`{"sentAt":"2026-12-06T08:00:00Z","events":[
		{"id":"01JEX7","type":"conversion","visitorId":"kiosk-7","goal":"coupon","timestamp":"2026-12-06T07:59:30Z"},
		{"id":"01JEX8","type":"conversion","visitorId":"kiosk-7"}]}`)
	b, err := measurement.ParseBatch(body, received, measurement.Limits{})
	if err != nil {
		panic(err)
	}
	fmt.Println("skew:", b.Skew)
	fmt.Println("accepted:", b.Events[0].ID, b.Events[0].Time.Format(time.TimeOnly))
	fmt.Println("rejected:", b.Rejected[0].Index, b.Rejected[0].Code, b.Rejected[0].Message)
	// Output:
	// skew: 2h0m0s
	// accepted: 01JEX7 09:59:30
	// rejected: 1 MISSING_FIELD goal is required
}
