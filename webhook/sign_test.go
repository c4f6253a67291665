package webhook_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/webhook"
)

// The Standard Webhooks reference libraries' own test vector.
func TestSignMatchesTheStandardWebhooksVector(t *testing.T) {
	t.Parallel()
	sig, err := webhook.Sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
		time.Unix(1614265330, 0), []byte(`{"test": 2432232314}`))
	require.NoError(t, err)
	require.Equal(t, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", sig)
}

func TestVerify(t *testing.T) {
	t.Parallel()
	secret := webhook.NewSecret()
	require.True(t, strings.HasPrefix(secret, "whsec_"))
	now := time.Unix(1_800_000_000, 0)
	body := []byte(`{"type":"campaign.started"}`)
	sig, err := webhook.Sign(secret, "evt_1", now, body)
	require.NoError(t, err)
	header := func(sig string, ts time.Time) http.Header {
		h := http.Header{}
		h.Set(webhook.HeaderID, "evt_1")
		h.Set(webhook.HeaderTimestamp, strconv.FormatInt(ts.Unix(), 10))
		h.Set(webhook.HeaderSignature, sig)
		return h
	}
	require.NoError(t, webhook.Verify(secret, header(sig, now), body, now, time.Minute))
	require.NoError(t, webhook.Verify(secret, header("v2,xxx "+sig, now), body, now, time.Minute), "one matching signature among several")
	require.Error(t, webhook.Verify(secret, header(sig, now), []byte(`{"type":"campaign.ended"}`), now, time.Minute))
	require.Error(t, webhook.Verify(webhook.NewSecret(), header(sig, now), body, now, time.Minute))
	require.Error(t, webhook.Verify(secret, header(sig, now), body, now.Add(10*time.Minute), time.Minute), "replayed late")
	require.Error(t, webhook.Verify(secret, http.Header{}, body, now, time.Minute))
}
