package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// UserAgent names this client to the server (and in heartbeats).
const UserAgent = "mosaic-iot/1"

// maxBundleBytes bounds a bundle: 500 frames of a large screen fit.
const maxBundleBytes = 16 << 20

// Config is what one display shows and where it gets it.
type Config struct {
	// API is the server's base URL, e.g. http://127.0.0.1:8080.
	API                             string
	Screen, Channel, Device, Locale string
	// Key is an API key, sent as X-API-Key (needed when public delivery
	// is off).
	Key string
	// ID names this unit in heartbeats (e.g. its hostname).
	ID string
	// StateDir keeps the last good bundle, the keys and the assets; ""
	// keeps nothing.
	StateDir string
	// Horizon is how many hours ahead the bundle reaches (0: server default).
	Horizon int
	// Assets downloads the manifest's files into StateDir/assets, each at
	// most AssetMaxBytes (0: 50 MiB).
	Assets        bool
	AssetMaxBytes int64
	// Out receives one line per change (nil: discarded).
	Out io.Writer
	// OnChange, if set, also receives each change (tests, embedding).
	OnChange func(Change)
	Log      *slog.Logger
	// HTTP is the client used (nil: a default one); Now the local clock.
	HTTP *http.Client
	Now  func() time.Time
}

// Stats counts what the client did, for tests and monitoring.
type Stats struct {
	Fetched, NotModified, Refused, FetchErrors int64
	// Streams counts event streams the server accepted (ready received).
	Streams, Events, Heartbeats int64
}

// Client keeps one display up to date. Run it once.
type Client struct {
	cfg    Config
	base   *url.URL
	http   *http.Client
	log    *slog.Logger
	state  State
	keys   *keyring
	player *Player
	now    func() time.Time

	refetch chan struct{}
	assetCh chan *Bundle
	outMu   sync.Mutex

	fetched, notModified, refused, fetchErrors atomic.Int64
	streams, events, heartbeats                atomic.Int64
}

// New checks cfg and restores the saved state; it does no network I/O.
func New(cfg Config) (*Client, error) {
	base, err := url.Parse(cfg.API)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("the API URL %q is not http(s)://host[:port]", cfg.API)
	}
	if base.Path == "" || base.Path[len(base.Path)-1] != '/' {
		base.Path += "/" // so relative paths resolve below it
	}
	if cfg.Screen == "" {
		return nil, errors.New("a screen slug is required")
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.AssetMaxBytes <= 0 {
		cfg.AssetMaxBytes = 50 << 20
	}
	c := &Client{cfg: cfg, base: base, http: cfg.HTTP, log: cfg.Log, state: State{Dir: cfg.StateDir}, now: cfg.Now,
		refetch: make(chan struct{}, 1), assetCh: make(chan *Bundle, 1)}
	if c.http == nil {
		c.http = &http.Client{}
	}
	c.player = NewPlayer(c.show, cfg.Log)
	c.player.Now = cfg.Now
	c.keys = &keyring{fetch: c.fetchKeys, state: c.state, log: cfg.Log}
	c.restore()
	return c, nil
}

// Player is the client's player (its current bundle and frame).
func (c *Client) Player() *Player { return c.player }

// Stats returns the counters so far.
func (c *Client) Stats() Stats {
	return Stats{Fetched: c.fetched.Load(), NotModified: c.notModified.Load(), Refused: c.refused.Load(),
		FetchErrors: c.fetchErrors.Load(), Streams: c.streams.Load(), Events: c.events.Load(), Heartbeats: c.heartbeats.Load()}
}

func (c *Client) show(ch Change) {
	if c.cfg.Out != nil {
		c.outMu.Lock()
		fmt.Fprintln(c.cfg.Out, ch.String())
		c.outMu.Unlock()
	}
	if c.cfg.OnChange != nil {
		c.cfg.OnChange(ch)
	}
}

// restore loads the saved keys and bundle. The bundle is verified against
// the saved keys without asking the server (it may be down: that is the
// point), so a file edited on disk is refused, not shown.
func (c *Client) restore() {
	ks, err := c.state.LoadKeys()
	if err != nil {
		c.log.Warn("the saved key set is unreadable; ignoring it", "error", err)
	}
	c.keys.set = ks
	doc, err := c.state.LoadBundle()
	if err != nil || doc == nil {
		if err != nil {
			c.log.Warn("the saved bundle is unreadable; ignoring it", "error", err)
		}
		return
	}
	var b *Bundle
	if err = Verify(doc, ks); err == nil {
		b, err = c.check(doc)
	}
	if err != nil {
		c.log.Warn("refusing the saved bundle", "error", err)
		return
	}
	c.log.Info("playing the saved bundle until the server answers", "version", b.Version, "expiresAt", b.ExpiresAt)
	c.player.Load(b)
}

// check parses doc and checks it is for this display.
func (c *Client) check(doc []byte) (*Bundle, error) {
	b, err := Parse(doc)
	if err != nil {
		return nil, err
	}
	return b, b.For(c.cfg.Screen, c.cfg.Channel, c.cfg.Device, c.cfg.Locale)
}

// Run plays, polls, follows events and reports heartbeats until ctx ends.
func (c *Client) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	for _, f := range []func(context.Context){c.player.Run, c.pollLoop, c.eventsLoop, c.heartbeatLoop, c.assetLoop} {
		wg.Go(func() { f(ctx) })
	}
	wg.Wait()
	return ctx.Err()
}

// Refetch asks for the bundle now (an event said it changed).
func (c *Client) Refetch() {
	select {
	case c.refetch <- struct{}{}:
	default:
	}
}

// pollLoop fetches the bundle when its max-age runs out, when an event
// asks, and after failures with backoff.
func (c *Client) pollLoop(ctx context.Context) {
	bo := NewBackoff()
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-c.refetch:
		}
		wait, err := c.Fetch(ctx)
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			c.fetchErrors.Add(1)
			wait = bo.Next()
			c.log.Warn("fetching the bundle failed; still showing the last good one", "error", err, "retryIn", wait.Round(time.Millisecond))
		default:
			bo.Reset()
			wait = pollAfter(wait)
		}
		t.Reset(wait)
	}
}

// Fetch asks for the bundle once and plays it if it is good and newer;
// it returns the answer's max-age.
func (c *Client) Fetch(ctx context.Context) (time.Duration, error) {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	q := url.Values{"channel": {c.cfg.Channel}, "device": {c.cfg.Device}, "locale": {c.cfg.Locale}}
	if c.cfg.Horizon > 0 {
		q.Set("horizon", strconv.Itoa(c.cfg.Horizon))
	}
	for k, v := range q {
		if v[0] == "" {
			delete(q, k)
		}
	}
	hdr := http.Header{}
	if cur := c.player.Bundle(); cur != nil && c.fresh(cur) {
		hdr.Set("If-None-Match", `"`+cur.Version+`"`)
	}
	resp, err := c.do(ctx, http.MethodGet, "screens/"+url.PathEscape(c.cfg.Screen)+"/bundle?"+q.Encode(), nil, hdr)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	age := maxAge(resp.Header.Get("Cache-Control"))
	switch resp.StatusCode {
	case http.StatusNotModified:
		c.notModified.Add(1)
		return age, nil
	case http.StatusOK:
	default:
		return 0, httpError(resp)
	}
	doc, err := readLimited(resp.Body, maxBundleBytes)
	if err != nil {
		return 0, fmt.Errorf("reading the bundle: %w", err)
	}
	if err := c.accept(ctx, doc); err != nil {
		c.refused.Add(1)
		return 0, fmt.Errorf("refusing the bundle: %w", err)
	}
	c.fetched.Add(1)
	return age, nil
}

// fresh reports whether cur may be revalidated. The version hashes what
// is shown, not the horizon, so a screen without transitions keeps its
// version for days while the held copy's expiry comes closer: past half
// its lifetime the client asks for a whole new copy instead.
func (c *Client) fresh(cur *Bundle) bool {
	now := c.now().Add(c.player.Offset())
	return now.Before(cur.GeneratedAt.Add(cur.ExpiresAt.Sub(cur.GeneratedAt) / 2))
}

// accept verifies, orders, saves and plays a served bundle.
func (c *Client) accept(ctx context.Context, doc []byte) error {
	if err := c.keys.verify(ctx, doc); err != nil {
		return err
	}
	b, err := c.check(doc)
	if err != nil {
		return err
	}
	cur := c.player.Bundle()
	if err := b.Supersedes(cur); err != nil {
		// Epochs are only comparable under one signing key's history. When
		// the held bundle's key is no longer published at all, the server
		// was reset or replaced (a fresh dev data dir): refusing would pin
		// the display to a dead schedule until the new epochs caught up.
		// This grants an attacker nothing the key refetch does not already.
		if cur.KeyID == b.KeyID || c.keys.get().Has(cur.KeyID) {
			return err
		}
		c.log.Warn("the held bundle's key is no longer published; accepting the server's lower epoch",
			"held", cur.Version, "heldKey", cur.KeyID, "new", b.Version, "newKey", b.KeyID)
	}
	if err := c.state.SaveBundle(doc); err != nil {
		c.log.Warn("saving the bundle; it plays but will not survive a restart", "error", err)
	}
	if cur == nil || cur.Version != b.Version {
		c.log.Info("new bundle", "version", b.Version, "frames", len(b.Frames), "expiresAt", b.ExpiresAt)
	}
	c.player.Load(b)
	if c.cfg.Assets && c.cfg.StateDir != "" && len(b.Assets) > 0 {
		select { // the newest bundle wins; a pending older one is dropped
		case <-c.assetCh:
		default:
		}
		c.assetCh <- b
	}
	return nil
}
