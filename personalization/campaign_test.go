package personalization_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/errs"
	p "github.com/mosaichq/mosaic/personalization"
)

var (
	t0    = time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
	t1    = time.Date(2025, 12, 24, 0, 0, 0, 0, time.UTC)
	milli = time.Millisecond
)

func ptr[T any](v T) *T { return &v }

func TestCampaignLiveAt(t *testing.T) {
	t.Parallel()
	winter := p.Campaign{Key: "winter", StartsAt: t0, EndsAt: t1}
	stopped := winter
	stopped.StoppedAt = ptr(t0.Add(time.Hour))
	scoped := winter
	scoped.Channels = []string{"kiosk", "web"}
	// A window written in another zone is the same instants.
	bucharest := time.FixedZone("EET", 2*3600)

	tests := []struct {
		name    string
		c       p.Campaign
		at      time.Time
		channel string
		want    bool
	}{
		{"start-1ms", winter, t0.Add(-milli), "web", false},
		{"start", winter, t0, "web", true},
		{"start in another zone", winter, t0.In(bucharest), "web", true},
		{"end-1ms", winter, t1.Add(-milli), "web", true},
		{"end", winter, t1, "web", false},
		{"end+1ms", winter, t1.Add(milli), "web", false},
		{"stopped: before stop", stopped, t0.Add(time.Hour - milli), "web", true},
		{"stopped: at stop", stopped, t0.Add(time.Hour), "web", false},
		{"stopped: after stop", stopped, t0.Add(2 * time.Hour), "web", false},
		{"channel in scope", scoped, t0, "kiosk", true},
		{"channel out of scope", scoped, t0, "app", false},
		{"scoped campaign, no channel", scoped, t0, "", false},
		{"unscoped campaign, no channel", winter, t0, "", true},
		{"zero window never live", p.Campaign{Key: "x"}, t0, "web", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, tt.c.LiveAt(tt.at, tt.channel))
		})
	}
}

func TestNextTransition(t *testing.T) {
	t.Parallel()
	a := p.Campaign{Key: "a", StartsAt: t0, EndsAt: t1}
	b := p.Campaign{Key: "b", StartsAt: t0.Add(48 * time.Hour), EndsAt: t1.Add(time.Hour)}
	killed := p.Campaign{Key: "k", StartsAt: t0.Add(time.Hour), EndsAt: t1, StoppedAt: ptr(t0.Add(2 * time.Hour))}
	killedEarly := p.Campaign{Key: "ke", StartsAt: t0.Add(time.Minute), EndsAt: t1, StoppedAt: ptr(t0)}
	all := []p.Campaign{a, b, killed, killedEarly}

	tests := []struct {
		name  string
		after time.Time
		want  time.Time
		ok    bool
	}{
		{"before everything", t0.Add(-time.Hour), t0, true},
		{"strictly after: at a start, the next one", t0, t0.Add(time.Hour), true},
		{"stop replaces end", t0.Add(time.Hour), t0.Add(2 * time.Hour), true},
		{"then b starts", t0.Add(2 * time.Hour), t0.Add(48 * time.Hour), true},
		{"a ends", t0.Add(48 * time.Hour), t1, true},
		{"b ends", t1, t1.Add(time.Hour), true},
		{"nothing left", t1.Add(time.Hour), time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := p.NextTransition(all, tt.after)
			require.Equal(t, tt.ok, ok)
			require.True(t, tt.want.Equal(got), "want %v, got %v", tt.want, got)
		})
	}
	_, ok := p.NextTransition(nil, t0)
	require.False(t, ok)
	// killedEarly never goes live, so it contributes no transition.
	_, ok = p.NextTransition([]p.Campaign{killedEarly}, t0.Add(-time.Hour))
	require.False(t, ok)
}

func TestCampaignValidate(t *testing.T) {
	t.Parallel()
	reg := p.DefaultRegistry()
	require.NoError(t, p.Campaign{Key: "a", StartsAt: t0, EndsAt: t1, Channels: []string{"web"}}.Validate(reg))

	err := p.Campaign{StartsAt: t1, EndsAt: t0, Channels: []string{"fax"}}.Validate(reg)
	e, ok := errs.As(err)
	require.True(t, ok)
	require.Equal(t, errs.BadUserInput, e.Code)
	require.Equal(t, []errs.FieldError{
		{Path: "key", Message: "campaign key is required"},
		{Path: "endsAt", Message: "campaign must end after it starts"},
		{Path: "channels.0", Message: `unknown channel "fax"; allowed: web, app, kiosk, email, iot`},
	}, e.Fields)
}

func TestLastAndNextTransition(t *testing.T) {
	t.Parallel()
	winter := p.Campaign{Key: "winter", StartsAt: t0, EndsAt: t1}
	flash := p.Campaign{Key: "flash", StartsAt: t0.Add(time.Hour), EndsAt: t0.Add(2 * time.Hour), StoppedAt: ptr(t0.Add(90 * time.Minute))}
	never := p.Campaign{Key: "never", StartsAt: t0.Add(time.Hour), EndsAt: t1, StoppedAt: ptr(t0)}
	all := []p.Campaign{winter, flash, never, {Key: "draft"}}

	last, ok := p.LastTransition(all, t0.Add(-milli))
	require.False(t, ok, "nothing happened before the first start: %v", last)
	last, ok = p.LastTransition(all, t0)
	require.True(t, ok)
	require.Equal(t, t0, last, "a transition at the instant itself counts")
	last, _ = p.LastTransition(all, t0.Add(100*time.Minute))
	require.Equal(t, t0.Add(90*time.Minute), last, "the stop ends flash, not its window")

	e, err := p.NewEngine(p.Options{Campaigns: all})
	require.NoError(t, err)
	next, ok := e.NextTransitionOf([]string{"winter", "unknown"}, t0)
	require.True(t, ok)
	require.Equal(t, t1, next, "flash's transitions do not bound winter's blocks")
	next, _ = e.NextTransitionOf([]string{"winter", "flash"}, t0)
	require.Equal(t, t0.Add(time.Hour), next)
	_, ok = e.NextTransitionOf([]string{"never", "draft"}, t0)
	require.False(t, ok)
	require.True(t, e.HasCampaign("draft"))
	require.False(t, e.HasCampaign("nope"))
	start, end, ok := flash.Window()
	require.True(t, ok)
	require.Equal(t, []time.Time{t0.Add(time.Hour), t0.Add(90 * time.Minute)}, []time.Time{start, end})
}
