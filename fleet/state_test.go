package fleet_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/fleet"
)

func TestClassify(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	const off = 90 * time.Second
	for _, tt := range []struct {
		name           string
		quiet          time.Duration
		frame, current string
		want           fleet.State
	}{
		{"just heard, same frame", 0, "k1", "k1", fleet.Online},
		{"exactly offlineAfter is still on time", off, "k1", "k1", fleet.Online},
		{"a nanosecond past offlineAfter", off + time.Nanosecond, "k1", "k1", fleet.Offline},
		{"a microsecond past offlineAfter", off + time.Microsecond, "k1", "k1", fleet.Offline},
		{"offline whatever it shows", time.Hour, "k0", "k1", fleet.Offline},
		{"another frame", time.Second, "k0", "k1", fleet.Stale},
		{"exactly offlineAfter, another frame", off, "k0", "k1", fleet.Stale},
		{"no frame reported", time.Second, "", "k1", fleet.Stale},
		{"no bundle can be built", time.Second, "k1", "", fleet.Stale},
		{"neither", time.Second, "", "", fleet.Stale},
		{"a clock that went back", -time.Minute, "k1", "k1", fleet.Online},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, fleet.Classify(now, now.Add(-tt.quiet), off, tt.frame, tt.current))
		})
	}
}

func TestParseState(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", "ONLINE", "STALE", "OFFLINE"} {
		st, err := fleet.ParseState(s)
		require.NoError(t, err)
		require.Equal(t, fleet.State(s), st)
	}
	_, err := fleet.ParseState("online")
	require.Equal(t, errs.BadUserInput, errs.CodeOf(err))
}

func ExampleClassify() {
	seen := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	for _, now := range []time.Time{seen.Add(90 * time.Second), seen.Add(91 * time.Second)} {
		fmt.Println(fleet.Classify(now, seen, 90*time.Second, "k1", "k1"))
	}
	fmt.Println(fleet.Classify(seen, seen, 90*time.Second, "k0", "k1"))
	// Output:
	// ONLINE
	// OFFLINE
	// STALE
}
