package campaign_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/campaign"
	"github.com/mosaichq/mosaic/errs"
)

var (
	start = time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	end   = time.Date(2026, 12, 24, 22, 0, 0, 0, time.UTC)
	ms    = time.Millisecond
)

func TestStatusAt(t *testing.T) {
	t.Parallel()
	c := campaign.Campaign{Key: "winter", StartsAt: start, EndsAt: end}
	stopped := c
	stopped.StoppedAt = start.Add(time.Hour)
	cancelled := c
	cancelled.StoppedAt = start.Add(-time.Hour)
	for _, tc := range []struct {
		name string
		c    campaign.Campaign
		at   time.Time
		want campaign.Status
	}{
		{"draft", campaign.Campaign{Key: "d"}, start, campaign.Draft},
		{"start-1ms", c, start.Add(-ms), campaign.Scheduled},
		{"start", c, start, campaign.Live},
		{"end-1ms", c, end.Add(-ms), campaign.Live},
		{"end", c, end, campaign.Ended},
		{"before the stop", stopped, start.Add(time.Hour - ms), campaign.Live},
		{"at the stop", stopped, start.Add(time.Hour), campaign.Stopped},
		{"stopped before its start, looked at before the stop", cancelled, start.Add(-2 * time.Hour), campaign.Scheduled},
		{"stopped before its start", cancelled, start, campaign.Stopped},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, tc.c.StatusAt(tc.at))
		})
	}
}

func TestTransitions(t *testing.T) {
	t.Parallel()
	c := campaign.Campaign{ID: "1", Key: "winter", StartsAt: start, EndsAt: end, Channels: []string{"web"}}
	kinds := func(c campaign.Campaign) []string {
		var out []string
		for _, tr := range c.Transitions() {
			out = append(out, string(tr.Kind)+"@"+tr.At.Format(time.RFC3339))
		}
		return out
	}
	require.Equal(t, []string{"started@2026-12-01T08:00:00Z", "ended@2026-12-24T22:00:00Z"}, kinds(c))
	c.StoppedAt = start.Add(time.Hour)
	require.Equal(t, []string{"started@2026-12-01T08:00:00Z", "stopped@2026-12-01T09:00:00Z"}, kinds(c))
	c.StoppedAt = start.Add(-time.Hour)
	require.Equal(t, []string{"stopped@2026-12-01T07:00:00Z"}, kinds(c), "stopped before its start: it never went live")
	require.Empty(t, kinds(campaign.Campaign{Key: "draft"}))

	next, ok := campaign.Campaign{StartsAt: start, EndsAt: end}.NextTransition(start)
	require.True(t, ok)
	require.Equal(t, end, next)
}

func TestParseLocal(t *testing.T) {
	t.Parallel()
	bucharest, err := campaign.LoadZone("Europe/Bucharest")
	require.NoError(t, err)
	newYork, err := campaign.LoadZone("America/New_York")
	require.NoError(t, err)
	for _, tc := range []struct {
		name, in string
		zone     *time.Location
		want     string // RFC 3339 UTC, or the error's words
		code     errs.Code
	}{
		{"winter, UTC+2", "2026-12-24T00:00", bucharest, "2026-12-23T22:00:00Z", ""},
		{"summer, UTC+3", "2026-07-01T12:30:15", bucharest, "2026-07-01T09:30:15Z", ""},
		{"space instead of T", "2026-12-24 00:00", bucharest, "2026-12-23T22:00:00Z", ""},
		{"skipped in spring", "2026-03-29T03:30", bucharest, "does not exist", errs.BadUserInput},
		{"repeated in autumn", "2026-10-25T03:30", bucharest, "happens twice", errs.BadUserInput},
		{"just before the gap", "2026-03-29T02:59:59", bucharest, "2026-03-29T00:59:59Z", ""},
		{"just after the gap", "2026-03-29T04:00", bucharest, "2026-03-29T01:00:00Z", ""},
		{"new york gap", "2026-03-08T02:15", newYork, "does not exist", errs.BadUserInput},
		{"new york overlap", "2026-11-01T01:30", newYork, "happens twice", errs.BadUserInput},
		{"with an offset", "2026-12-24T00:00+02:00", bucharest, "not a local date-time", errs.BadUserInput},
		{"garbage", "tomorrow", bucharest, "not a local date-time", errs.BadUserInput},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := campaign.ParseLocal(tc.in, tc.zone, "startsAt")
			if tc.code == "" {
				require.NoError(t, err)
				require.Equal(t, tc.want, got.UTC().Format(time.RFC3339))
				require.Equal(t, strings.Replace(tc.in[:16], " ", "T", 1), campaign.Local(got, tc.zone)[:16], "round trip")
				return
			}
			require.Equal(t, tc.code, errs.CodeOf(err), "%v", err)
			require.Contains(t, err.Error(), tc.want)
			e, _ := errs.As(err)
			require.Equal(t, "startsAt", e.Fields[0].Path)
		})
	}
}

func TestLoadZone(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"", "Local", "Mars/Olympus", "../etc/passwd"} {
		_, err := campaign.LoadZone(bad)
		require.Error(t, err, bad)
	}
	z, err := campaign.LoadZone("UTC")
	require.NoError(t, err)
	require.Equal(t, "UTC", z.String())
}
