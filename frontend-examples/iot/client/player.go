package client

import (
	"context"
	"log/slog"
	"strconv"
	"sync"
	"time"
)

// maxSleep bounds how long the player sleeps between evaluations: timers
// run on the monotonic clock, so a wall-clock step (NTP at boot, a
// battery-less board) would otherwise go unnoticed until the next frame.
const maxSleep = 30 * time.Second

// Change is one switch of what the display shows.
type Change struct {
	// At is the corrected (server) time the switch happened.
	At      time.Time
	Screen  string
	Version string
	// Frame is the frame's key; Shown says whether it has content.
	Frame   string
	Shown   bool
	Variant string
	Title   string
	// Cause is "boundary" (a frame began), "start" (first frame shown) or
	// "update" (a new bundle changed the current frame).
	Cause string
	// Late is how long after its validFrom a boundary switch happened.
	Late time.Duration
}

// String is the line printed for a change.
func (c Change) String() string {
	s := c.At.UTC().Format("2006-01-02T15:04:05.000Z07:00") + " " + c.Screen + " frame=" + c.Frame
	if !c.Shown {
		s += " content=none"
	} else {
		s += " variant=" + c.Variant + " title=" + strconv.Quote(c.Title)
	}
	if c.Cause == "boundary" {
		return s + " late=" + c.Late.Round(time.Millisecond).String()
	}
	return s + " cause=" + c.Cause
}

// Player decides which frame of the current bundle is on screen and wakes
// itself at the next boundary, needing nothing but the bundle and a clock.
type Player struct {
	// Now is the local clock (tests inject one).
	Now      func() time.Time
	OnChange func(Change)
	Log      *slog.Logger

	mu       sync.Mutex
	b        *Bundle
	offset   time.Duration // server minus local
	shown    string        // content hash on screen; "" before the first frame
	key      string
	lastEval time.Time
	warned   string // version whose expiry was logged
	wake     chan struct{}
	// keyChanged signals a new frame key on screen (buffered, 1).
	keyChanged chan struct{}
}

// NewPlayer returns a player on the real clock.
func NewPlayer(onChange func(Change), log *slog.Logger) *Player {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Player{Now: time.Now, OnChange: onChange, Log: log, wake: make(chan struct{}, 1), keyChanged: make(chan struct{}, 1)}
}

// Load makes b the bundle played; the caller has verified and ordered it.
func (p *Player) Load(b *Bundle) {
	p.mu.Lock()
	p.b = b
	p.mu.Unlock()
	p.poke()
}

// SetOffset sets the server clock minus the local clock.
func (p *Player) SetOffset(d time.Duration) {
	p.mu.Lock()
	p.offset = d
	p.mu.Unlock()
	p.poke()
}

// Offset is the server clock minus the local clock.
func (p *Player) Offset() time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.offset
}

// Bundle is the bundle played, or nil.
func (p *Player) Bundle() *Bundle {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.b
}

// FrameChanged receives after the key of the frame on screen changed (a
// switch, or a new bundle); several changes may arrive as one.
func (p *Player) FrameChanged() <-chan struct{} { return p.keyChanged }

// Frame is the key of the frame on screen, or "".
func (p *Player) Frame() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.key
}

func (p *Player) poke() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// Step shows the frame for the corrected now and returns how long until
// the next boundary (false: no bundle, nothing to wait for).
func (p *Player) Step() (time.Duration, bool) {
	p.mu.Lock()
	now := p.Now().Add(p.offset)
	b := p.b
	if b == nil {
		p.mu.Unlock()
		return 0, false
	}
	i := b.FrameAt(now)
	switch {
	case i >= 0:
	case now.Before(b.Frames[0].ValidFrom):
		i = 0 // our clock is behind the server's: show what it decided
	default:
		i = len(b.Frames) - 1 // expired: the last frame beats a blank screen
	}
	if !now.Before(b.ExpiresAt) && p.warned != b.Version {
		p.warned = b.Version
		p.Log.Warn("the bundle expired and no newer one arrived; showing its last frame",
			"version", b.Version, "expiresAt", b.ExpiresAt)
	}
	f := &b.Frames[i]
	var ch *Change
	if f.shown != p.shown {
		c := Change{At: now, Screen: b.Screen, Version: b.Version, Frame: f.Key, Shown: f.Content != nil, Cause: "update"}
		if h := f.Hero(); h != nil {
			c.Variant = h.Decision.Variant
			c.Title, _ = h.Fields["title"].(string)
		} else if f.Content != nil {
			c.Variant = f.Content.Decision.Variant
			c.Title, _ = f.Content.Fields["title"].(string)
		}
		switch {
		case p.shown == "":
			c.Cause = "start"
		case i > 0 && f.ValidFrom.After(p.lastEval) && !f.ValidFrom.After(now):
			// A later frame began since we last looked: a timed switch, so
			// its lateness is worth reporting. (A bundle's first frame
			// starts when it was built: that is no boundary.)
			c.Cause, c.Late = "boundary", now.Sub(f.ValidFrom)
		}
		ch = &c
	}
	if f.Key != p.key {
		select { // the heartbeat loop reports the new frame soon
		case p.keyChanged <- struct{}{}:
		default:
		}
	}
	p.shown, p.key, p.lastEval = f.shown, f.Key, now
	next := b.ExpiresAt
	if now.Before(f.ValidFrom) {
		next = f.ValidFrom
	} else if f.ValidUntil.Before(next) && now.Before(f.ValidUntil) {
		next = f.ValidUntil
	}
	p.mu.Unlock()
	if ch != nil && p.OnChange != nil {
		p.OnChange(*ch)
	}
	if !now.Before(next) {
		return 0, false // past expiry: only a new bundle changes anything
	}
	return next.Sub(now), true
}

// Run plays until ctx ends, stepping at every boundary, on Load and on
// SetOffset.
func (p *Player) Run(ctx context.Context) {
	t := time.NewTimer(maxSleep)
	defer t.Stop()
	for {
		wait, ok := p.Step()
		if !ok || wait > maxSleep {
			wait = maxSleep
		}
		t.Reset(wait)
		select {
		case <-ctx.Done():
			return
		case <-p.wake:
		case <-t.C:
		}
	}
}
