package client

import (
	"context"
	"strings"
	"testing"
	"time"
)

func newTestPlayer(clk *clock, logs *logBuffer) (*Player, *[]Change) {
	var got []Change
	p := NewPlayer(func(c Change) { got = append(got, c) }, logs.logger())
	p.Now = clk.Now
	return p, &got
}

func TestPlayerSwitchesAtBoundaries(t *testing.T) {
	start, end := t0.Add(10*time.Second), t0.Add(20*time.Second)
	clk := &clock{t: t0.Add(time.Second)}
	logs := &logBuffer{}
	p, got := newTestPlayer(clk, logs)
	p.Load(parsed(t, lobby(1, t0, change{start, "winter-sale", "Sale"}, change{end, "kiosk", "Back"})))

	step := func(at time.Time, wantWait time.Duration) {
		t.Helper()
		clk.Set(at)
		wait, ok := p.Step()
		if !ok || wait != wantWait {
			t.Fatalf("at %s: wait %s (%v), want %s", at.Format(time.RFC3339Nano), wait, ok, wantWait)
		}
	}
	step(t0.Add(time.Second), 9*time.Second)
	if len(*got) != 1 || (*got)[0].Cause != "start" || (*got)[0].Title != "Welcome" {
		t.Fatalf("first change: %+v", *got)
	}
	step(start.Add(-time.Nanosecond), time.Nanosecond) // still the first frame
	if len(*got) != 1 {
		t.Fatalf("switched before validFrom: %+v", *got)
	}
	step(start, 10*time.Second) // validFrom is inclusive
	c := (*got)[1]
	if c.Cause != "boundary" || c.Variant != "winter-sale" || c.Title != "Sale" || c.Frame != "k1" || c.Late != 0 {
		t.Fatalf("at startsAt: %+v", c)
	}
	step(end.Add(3*time.Millisecond), 72*time.Hour-20*time.Second-3*time.Millisecond) // validUntil is exclusive
	c = (*got)[2]
	if c.Title != "Back" || c.Late != 3*time.Millisecond {
		t.Fatalf("after endsAt: %+v", c)
	}
	if want := `2026-11-23T14:00:20.003Z lobby frame=k2 variant=kiosk title="Back" late=3ms`; c.String() != want {
		t.Fatalf("printed %q, want %q", c.String(), want)
	}
	if p.Frame() != "k2" {
		t.Fatalf("Frame() = %q", p.Frame())
	}

	// Past expiry: keep the last frame, warn once, wait for a new bundle.
	clk.Set(t0.Add(73 * time.Hour))
	if _, ok := p.Step(); ok {
		t.Fatal("an expired bundle still schedules a boundary")
	}
	p.Step()
	if n := strings.Count(logs.String(), "expired"); n != 1 || len(*got) != 3 {
		t.Fatalf("expiry: %d warnings, %d changes; want 1 warning and the last frame kept", n, len(*got))
	}
}

// The server's clock rules: with the local clock 2 s behind, the switch
// happens when the server's clock reaches the boundary.
func TestPlayerClockOffset(t *testing.T) {
	start := t0.Add(10 * time.Second)
	clk := &clock{t: t0}
	p, got := newTestPlayer(clk, &logBuffer{})
	p.SetOffset(2 * time.Second) // server = local + 2 s
	p.Load(parsed(t, lobby(1, t0, change{start, "sale", "Sale"})))
	if wait, _ := p.Step(); wait != 8*time.Second {
		t.Fatalf("wait %s, want 8s (local clock behind by 2s)", wait)
	}
	clk.Set(start.Add(-2 * time.Second))
	p.Step()
	if len(*got) != 2 || (*got)[1].Title != "Sale" || !(*got)[1].At.Equal(start) {
		t.Fatalf("changes %+v, want the sale at the server's startsAt", *got)
	}
}

// A new bundle with the same content on screen changes nothing visible;
// one with other content is an update, not a boundary.
func TestPlayerNewBundle(t *testing.T) {
	clk := &clock{t: t0.Add(time.Minute)}
	p, got := newTestPlayer(clk, &logBuffer{})
	p.Load(parsed(t, lobby(1, t0)))
	p.Step()
	p.Load(parsed(t, lobby(2, t0.Add(30*time.Second), change{t0.Add(time.Hour), "sale", "Sale"})))
	p.Step()
	if len(*got) != 1 {
		t.Fatalf("a reschedule printed a change: %+v", *got)
	}
	w := lobby(3, t0.Add(50*time.Second))
	w.Frames[0].Content = screen("kiosk", "Edited")
	p.Load(parsed(t, w))
	p.Step()
	if len(*got) != 2 || (*got)[1].Cause != "update" || (*got)[1].Title != "Edited" {
		t.Fatalf("changes %+v, want an update to Edited", *got)
	}
}

// Run switches on its own timer, on time, with no one calling Step.
func TestPlayerRunTimer(t *testing.T) {
	now := time.Now().UTC().Truncate(time.Millisecond)
	start := now.Add(150 * time.Millisecond)
	changes := make(chan Change, 4)
	p := NewPlayer(func(c Change) { changes <- c }, (&logBuffer{}).logger())
	p.Load(parsed(t, lobby(1, now, change{start, "sale", "Sale"})))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go p.Run(ctx)
	for i, want := range []string{"Welcome", "Sale"} {
		select {
		case c := <-changes:
			if c.Title != want {
				t.Fatalf("change %d: %+v, want %s", i, c, want)
			}
			if i == 1 {
				if late := time.Since(start); late < 0 || late > 50*time.Millisecond {
					t.Fatalf("switched %s after validFrom", late)
				}
			}
		case <-time.After(2 * time.Second):
			t.Fatalf("no change %d", i)
		}
	}
}
