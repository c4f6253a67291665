package client

import (
	"errors"
	"testing"
	"time"
)

func parsed(t *testing.T, w wire) *Bundle {
	t.Helper()
	b, err := Parse(newKey(t).sign(t, w))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestReplayRefused(t *testing.T) {
	cur := parsed(t, lobby(10, t0))
	cases := []struct {
		name   string
		epoch  int64
		gen    time.Time
		replay bool
	}{
		{"lower epoch, even if generated later", 9, t0.Add(time.Hour), true},
		{"same epoch, generated earlier", 10, t0.Add(-time.Millisecond), true},
		{"same epoch, same instant (a refetch)", 10, t0, false},
		{"same epoch, generated later", 10, t0.Add(time.Second), false},
		{"higher epoch, even if generated earlier", 11, t0.Add(-time.Hour), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := parsed(t, lobby(c.epoch, c.gen)).Supersedes(cur)
			if got := errors.Is(err, ErrReplay); got != c.replay {
				t.Fatalf("replay = %v (%v), want %v", got, err, c.replay)
			}
		})
	}
	if err := cur.Supersedes(nil); err != nil {
		t.Fatalf("the first bundle was refused: %v", err)
	}
}

func TestEpoch(t *testing.T) {
	for v, want := range map[string]int64{"0-0123456789abcdef": 0, "31-22e6053d19de0a0e": 31} {
		if got, err := Epoch(v); err != nil || got != want {
			t.Errorf("Epoch(%q) = %d, %v; want %d", v, got, err, want)
		}
	}
	for _, v := range []string{"", "31", "x-1", "-1-ab", "1.5-ab"} {
		if _, err := Epoch(v); err == nil {
			t.Errorf("Epoch(%q) accepted", v)
		}
	}
}

// validFrom is inclusive, validUntil exclusive: at a boundary the later
// frame shows.
func TestFrameAtBoundaries(t *testing.T) {
	start, end := t0.Add(time.Hour), t0.Add(2*time.Hour)
	b := parsed(t, lobby(1, t0, change{start, "sale", "Sale"}, change{end, "kiosk", "Back"}))
	ms := time.Millisecond
	for at, want := range map[time.Time]int{
		t0.Add(-ms):                  -1,
		t0:                           0,
		start.Add(-time.Nanosecond):  0,
		start:                        1,
		end.Add(-time.Nanosecond):    1,
		end:                          2,
		b.ExpiresAt.Add(-ms):         2,
		b.ExpiresAt:                  -1,
		b.ExpiresAt.Add(time.Second): -1,
	} {
		if got := b.FrameAt(at); got != want {
			t.Errorf("FrameAt(%s) = %d, want %d", at.Format(time.RFC3339Nano), got, want)
		}
	}
}

func TestParseRefuses(t *testing.T) {
	gap := lobby(1, t0, change{t0.Add(time.Hour), "sale", "Sale"})
	gap.Frames[1].ValidFrom = gap.Frames[1].ValidFrom.Add(time.Second)
	empty := lobby(1, t0)
	empty.Frames = nil
	format := lobby(1, t0)
	format.Format = 2
	version := lobby(1, t0)
	version.Version = "latest"
	for name, w := range map[string]wire{"a gap between frames": gap, "no frames": empty,
		"an unknown format": format, "a version without epoch": version} {
		if _, err := Parse(newKey(t).sign(t, w)); err == nil {
			t.Errorf("parsed a bundle with %s", name)
		}
	}
}

func TestForOtherScreen(t *testing.T) {
	b := parsed(t, lobby(1, t0))
	if err := b.For("lobby", "kiosk", "kiosk", "en"); err != nil {
		t.Fatal(err)
	}
	if err := b.For("entrance", "kiosk", "kiosk", "en"); err == nil {
		t.Fatal("a bundle of another screen was taken for this one")
	}
	if err := b.For("lobby", "kiosk", "kiosk", "ro"); err == nil {
		t.Fatal("a bundle of another locale was taken for this one")
	}
}
