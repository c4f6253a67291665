package identity_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/measurement/identity"
)

func TestBlocked(t *testing.T) {
	t.Parallel()
	for _, v := range []string{"", "0", "-1", "null", "NULL", " Anonymous ", "undefined", "UNDEFINED"} {
		require.True(t, identity.Blocked(v), "%q is blocked", v)
	}
	for _, v := range []string{"u1", "00", "-2", "nullable", "anon", "visitor-0"} {
		require.False(t, identity.Blocked(v), "%q is an id", v)
	}
}

// The merge rules, as a table: what an identify does given the cluster
// its visitor id is in and the cluster of its user id.
func TestResolve(t *testing.T) {
	t.Parallel()
	lim := identity.Limits{MaxVisitors: 3, Window: time.Hour}
	alice := &identity.Cluster{ID: "c1", UserID: "alice", RecentLinks: 1}
	bob := &identity.Cluster{ID: "c2", UserID: "bob"}
	full := &identity.Cluster{ID: "c3", UserID: "carol", RecentLinks: 3}
	for _, tc := range []struct {
		name          string
		in            identity.Identify
		visitor, user *identity.Cluster
		want          identity.Action
		code          identity.Code
	}{
		{"first sign-in creates the cluster", identity.Identify{VisitorID: "v1", UserID: "alice"}, nil, nil, identity.ActionCreate, ""},
		{"another device joins", identity.Identify{VisitorID: "v2", UserID: "alice"}, nil, alice, identity.ActionLink, ""},
		{"a kiosk session joins by signing in", identity.Identify{VisitorID: "kiosk:s1", UserID: "alice"}, nil, alice, identity.ActionLink, ""},
		{"signing in again changes nothing", identity.Identify{VisitorID: "v1", UserID: "alice"}, alice, alice, identity.ActionNone, ""},
		{"a blocked user id is refused", identity.Identify{VisitorID: "v1", UserID: "Anonymous"}, nil, nil, identity.ActionRefuse, identity.CodeBlockedValue},
		{"a blocked visitor id is refused", identity.Identify{VisitorID: "undefined", UserID: "alice"}, nil, alice, identity.ActionRefuse, identity.CodeBlockedValue},
		{"one user id per cluster", identity.Identify{VisitorID: "v1", UserID: "bob"}, alice, bob, identity.ActionRefuse, identity.CodeUserConflict},
		{"one user id per cluster, new user", identity.Identify{VisitorID: "v1", UserID: "dave"}, alice, nil, identity.ActionRefuse, identity.CodeUserConflict},
		{"a shared kiosk session does not join a second person", identity.Identify{VisitorID: "kiosk:s1", UserID: "bob"}, alice, bob, identity.ActionRefuse, identity.CodeUserConflict},
		{"an unmerged pair stays apart", identity.Identify{VisitorID: "v1", UserID: "alice", Unmerged: true}, nil, alice, identity.ActionRefuse, identity.CodeUnmerged},
		{"the window's limit", identity.Identify{VisitorID: "v9", UserID: "carol"}, nil, full, identity.ActionRefuse, identity.CodeTooManyVisitors},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := identity.Resolve(lim, tc.in, tc.visitor, tc.user)
			require.Equal(t, tc.want, got.Action, got.Reason)
			require.Equal(t, tc.code, got.Code)
			require.NotEmpty(t, got.Reason)
		})
	}
}

func TestLimitsDefaults(t *testing.T) {
	t.Parallel()
	l := identity.Limits{}.WithDefaults()
	require.Equal(t, identity.DefaultMaxVisitors, l.MaxVisitors)
	require.Equal(t, identity.DefaultWindow, l.Window)
	got := identity.Resolve(identity.Limits{}, identity.Identify{VisitorID: "v", UserID: "u"}, nil,
		&identity.Cluster{ID: "c", UserID: "u", RecentLinks: identity.DefaultMaxVisitors - 1})
	require.Equal(t, identity.ActionLink, got.Action)
}

// First touch per cluster: the earliest exposure decides the person's
// arm; later exposures to another arm (a device exposed before it was
// joined) are conflicts, never a flip; a kiosk session's exposures before
// its sign-in are not the person's.
func TestAssignFirstTouch(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	members := []identity.Member{{VisitorID: "phone", LinkedAt: t0}, {VisitorID: "laptop", LinkedAt: t0.Add(5 * time.Hour)},
		{VisitorID: "kiosk:s1", LinkedAt: t0.Add(3 * time.Hour)}}
	exposures := []identity.Exposure{
		{VisitorID: "laptop", Experiment: "hero", Arm: "b", At: t0.Add(time.Hour), DecisionID: "d2"},
		{VisitorID: "phone", Experiment: "hero", Arm: "a", At: t0.Add(2 * time.Hour), DecisionID: "d1"},
		{VisitorID: "kiosk:s1", Experiment: "cta", Arm: "x", At: t0.Add(2 * time.Hour), DecisionID: "d3"},
		{VisitorID: "kiosk:s1", Experiment: "cta", Arm: "y", At: t0.Add(4 * time.Hour), DecisionID: "d4"},
		{VisitorID: "stranger", Experiment: "hero", Arm: "c", At: t0, DecisionID: "d5"},
	}
	got := identity.Assign(members, exposures)
	require.Len(t, got, 2)
	require.Equal(t, "cta", got[0].Experiment)
	require.Equal(t, "y", got[0].Arm, "the kiosk exposure before the sign-in is someone else's")
	require.Empty(t, got[0].Conflicts)
	require.Equal(t, "hero", got[1].Experiment)
	require.Equal(t, "b", got[1].Arm, "the earlier exposure wins, whichever device signed in first")
	require.Equal(t, "d2", got[1].First.DecisionID)
	require.Len(t, got[1].Conflicts, 1)
	require.Equal(t, "d1", got[1].Conflicts[0].DecisionID)
	// Order of input never matters.
	rev := append([]identity.Exposure(nil), exposures...)
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	require.Equal(t, got, identity.Assign(members, rev))
}
