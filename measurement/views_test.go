package measurement

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

// What a pending view comes to, by the record it names.
func TestSettleView(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	rec := &Decision{ID: uuid.Must(uuid.NewV7()).String(), Time: at, VisitorID: "ann", UserID: "u-ann", Channel: "web",
		Segments: []string{"vip"}, Consent: true, EntryID: "e1", Blocks: []BlockDecision{{BlockID: "hero", Variant: "b"}}}
	view := PendingView{DecisionID: rec.ID, VisitorID: "bob", ViewID: "v1", Time: at.Add(time.Minute)}
	anon := *rec
	anon.VisitorID = ""
	expired := view
	expired.Expired = true
	for _, c := range []struct {
		name string
		v    PendingView
		rec  *Decision
		want ViewOutcome
	}{
		{"another visitor's record", view, rec, ViewDerived},
		{"its own", PendingView{DecisionID: rec.ID, VisitorID: "ann", Time: at}, rec, ViewOwn},
		{"a record naming no visitor", view, &anon, ViewAnonymous},
		{"not landed yet", view, nil, ViewWaiting},
		{"not landed after the wait", expired, nil, ViewUnmatched},
		{"landed, late", expired, rec, ViewDerived},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, got := SettleView(c.v, c.rec)
			require.Equal(t, c.want, got)
		})
	}

	d, _ := SettleView(view, rec)
	require.Equal(t, DerivedID(rec.ID, "bob"), d.ID, "the same view always derives the same id")
	require.NotEqual(t, DerivedID(rec.ID, "bob"), DerivedID(rec.ID, "cid"))
	require.Equal(t, []any{"bob", "", view.Time, "web", rec.Blocks}, []any{d.VisitorID, d.UserID, d.Time, d.Channel, d.Blocks},
		"the viewer, at the view's time, with the record's decisions (the store names its user)")
	require.Nil(t, d.Segments, "the record's segments were its own visitor's")
	require.Equal(t, "ann", rec.VisitorID, "the record is not changed")
}

// A decision's record is on the day its UUIDv7 names or the one before;
// anything else names no record.
func TestDecisionDays(t *testing.T) {
	t.Parallel()
	id := v7At(time.Date(2026, 12, 6, 0, 0, 0, 5e6, time.UTC))
	days, ok := DecisionDays(id)
	require.True(t, ok)
	require.Equal(t, [2]time.Time{time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)}, days)
	for _, bad := range []string{"d1", uuid.NewString(), DerivedID(id, "bob")} {
		_, ok := DecisionDays(bad)
		require.False(t, ok, bad)
	}
}
