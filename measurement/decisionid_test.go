package measurement

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

// v7At is a decision id as delivery makes them (uuid.NewV7) but made at
// at, so a test can place it around a view.
func v7At(at time.Time) string {
	u := uuid.Must(uuid.NewV7())
	ms := at.UnixMilli()
	for i := range 6 {
		u[i] = byte(ms >> (40 - 8*i))
	}
	return u.String()
}

// decided is a fresh decision of a view received at received.
var decided = v7At(received.Add(-time.Second))

// TestParseViewDecisionID: /collect cannot look a decision up (its
// record lands later, maybe from another replica), so a view's decisionId
// is refused (UNKNOWN_DECISION) when it cannot be one Mosaic returned:
// not a UUIDv7, made after the view, or older than the events' max age.
func TestParseViewDecisionID(t *testing.T) {
	t.Parallel()
	view := func(decisionID, timestamp string) string {
		ts := ""
		if timestamp != "" {
			ts = fmt.Sprintf(`,"timestamp":%q`, timestamp)
		}
		return fmt.Sprintf(`{"id":"e1","type":"view","visitorId":"v1","decisionId":%q,"blockId":"b1"%s}`, decisionID, ts)
	}
	at := func(d time.Duration) string { return received.Add(d).Format(time.RFC3339Nano) }
	cases := []struct {
		name, event string
		code        Code // "" accepted
		msg         string
	}{
		{"a fresh UUIDv7", view(decided, ""), "", ""},
		{"upper case: the same id", view(strings.ToUpper(decided), ""), "", ""},
		{"made just before a view dated by the client", view(v7At(received.Add(-3*time.Hour)), at(-3*time.Hour+time.Second)), "", ""},
		{"within the replicas' clock difference", view(v7At(received.Add(59*time.Second)), ""), "", ""},
		{"within the max age", view(v7At(received.Add(-DefaultMaxAge)), ""), "", ""},
		{"not a UUID", view("d1", ""), CodeUnknownDecision, `got "d1"`},
		{"a UUID without hyphens", view(strings.ReplaceAll(decided, "-", ""), ""), CodeUnknownDecision, "a UUIDv7 like"},
		{"a UUID in braces", view("{"+decided+"}", ""), CodeUnknownDecision, "a UUIDv7 like"},
		{"a UUID with a bad digit", view("x"+decided[1:], ""), CodeUnknownDecision, "a UUIDv7 like"},
		{"a UUIDv4", view("6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b", ""), CodeUnknownDecision, `"6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b" is not a UUIDv7`},
		{"the nil UUID", view(uuid.Nil.String(), ""), CodeUnknownDecision, "is not a UUIDv7"},
		{"a v7 of another variant", view(decided[:19]+"c"+decided[20:], ""), CodeUnknownDecision, "is not a UUIDv7"},
		{"made after the view", view(v7At(received.Add(time.Hour)), ""), CodeUnknownDecision, "was made at 2026-12-06T11:00:00Z, after this view (2026-12-06T10:00:00Z"},
		{"made after a view dated by the client", view(decided, at(-time.Hour)), CodeUnknownDecision, "after this view (2026-12-06T09:00:00Z"},
		{"older than the max age", view(v7At(received.Add(-DefaultMaxAge-time.Second)), ""), CodeUnknownDecision,
			"was made at 2026-11-29T09:59:59Z, more than the events' max age (168h0m0s) before this view (2026-12-06T10:00:00Z)"},
		{"a decisionId that is too long is an invalid field", view(strings.Repeat("a", 65), ""), CodeInvalidField, "at most 64 characters"},
		{"a decisionId without a block is a missing field", `{"id":"e1","type":"view","visitorId":"v1","decisionId":"d1"}`, CodeMissingField, "go together"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			parsesAs(t, c.event, c.code, c.msg)
		})
	}
}

// The max age bounds a decision as it bounds an event: a shorter one
// refuses decisions the default takes.
func TestParseViewDecisionMaxAge(t *testing.T) {
	t.Parallel()
	lim := Limits{MaxAge: time.Hour}
	for d, code := range map[time.Duration]Code{-time.Hour: "", -time.Hour - time.Millisecond: CodeUnknownDecision} {
		ev := fmt.Sprintf(`{"id":"e1","type":"view","visitorId":"v1","decisionId":%q,"blockId":"b1"}`, v7At(received.Add(d)))
		b, err := ParseBatch(batchOf(ev), received, lim)
		require.NoError(t, err)
		if code == "" {
			require.Len(t, b.Events, 1, d)
			continue
		}
		require.Equal(t, code, b.Rejected[0].Code, d)
		require.Contains(t, b.Rejected[0].Message, "max age (1h0m0s)")
	}
}

// The event keeps the id as the decision record is stored: lower case.
func TestParseViewDecisionIDCanonical(t *testing.T) {
	t.Parallel()
	ev := fmt.Sprintf(`{"id":"e1","type":"view","visitorId":"v1","decisionId":%q,"blockId":"b1"}`, strings.ToUpper(decided))
	b, err := ParseBatch(batchOf(ev), received, Limits{})
	require.NoError(t, err)
	require.Len(t, b.Events, 1)
	require.Equal(t, decided, b.Events[0].DecisionID)
	require.Equal(t, uuid.Version(7), uuid.MustParse(decisionExample).Version(), "the messages' example is one")
}
