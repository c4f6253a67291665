package webhook_test

import (
	"fmt"
	"net/http"
	"time"

	"github.com/mosaichq/mosaic/webhook"
)

// What a receiver does with a delivery: check the signature against the
// endpoint's secret (and the timestamp against its clock), then dedupe by
// webhook-id.
func ExampleVerify() {
	secret := "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	body := []byte(`{"id":"42","type":"campaign.started","timestamp":"2026-12-01T09:00:00Z","data":{}}`)
	sent := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	sig, _ := webhook.Sign(secret, "evt_42", sent, body)

	h := http.Header{}
	h.Set(webhook.HeaderID, "evt_42")
	h.Set(webhook.HeaderTimestamp, fmt.Sprint(sent.Unix()))
	h.Set(webhook.HeaderSignature, sig)
	fmt.Println(webhook.Verify(secret, h, body, sent.Add(2*time.Second), 5*time.Minute))
	fmt.Println(webhook.Verify(secret, h, []byte(`{"forged":true}`), sent, 5*time.Minute))
	// Output:
	// <nil>
	// no matching v1 signature
}
