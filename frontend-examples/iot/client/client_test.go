package client

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"
)

func TestFetchHonoursETagAndCacheControl(t *testing.T) {
	f := newFake(t)
	f.maxAge = 7
	clk := &clock{t: t0.Add(time.Minute)}
	c := f.client(Config{Key: "secret", Now: clk.Now})
	ctx := context.Background()

	age, err := c.Fetch(ctx)
	if err != nil || age != 7*time.Second {
		t.Fatalf("first fetch: max-age %s, %v; want 7s", age, err)
	}
	age, err = c.Fetch(ctx)
	if err != nil || age != 7*time.Second {
		t.Fatalf("revalidation: max-age %s, %v", age, err)
	}
	reqs := f.requests()
	if got := reqs[0].Header.Get("If-None-Match"); got != "" {
		t.Fatalf("first request sent If-None-Match %q", got)
	}
	if got := reqs[1].Header.Get("If-None-Match"); got != `"1-0123456789abcdef"` {
		t.Fatalf("second request sent If-None-Match %q", got)
	}
	if got := reqs[0].Header.Get("X-API-Key"); got != "secret" {
		t.Fatalf("X-API-Key %q", got)
	}
	q := reqs[0].URL.Query()
	if q.Get("channel") != "kiosk" || q.Get("device") != "kiosk" || q.Get("locale") != "en" {
		t.Fatalf("query %s", reqs[0].URL.RawQuery)
	}
	if s := c.Stats(); s.Fetched != 1 || s.NotModified != 1 {
		t.Fatalf("stats %+v, want 1 fetched and 1 not modified", s)
	}

	// Past half its lifetime the copy is fetched whole, not revalidated,
	// so its expiry moves on even when the content does not change.
	clk.Set(t0.Add(40 * time.Hour))
	f.serve(lobby(1, t0.Add(40*time.Hour)))
	if _, err := c.Fetch(ctx); err != nil {
		t.Fatal(err)
	}
	if got := f.requests()[2].Header.Get("If-None-Match"); got != "" {
		t.Fatalf("an aging copy was revalidated (If-None-Match %q)", got)
	}
	if b := c.Player().Bundle(); !b.GeneratedAt.Equal(t0.Add(40 * time.Hour)) {
		t.Fatalf("holding the bundle generated %s", b.GeneratedAt)
	}
}

func TestFetchRefusesReplayAndOtherScreens(t *testing.T) {
	f := newFake(t)
	c := f.client(Config{})
	ctx := context.Background()
	f.serve(lobby(5, t0))
	if _, err := c.Fetch(ctx); err != nil {
		t.Fatal(err)
	}
	f.serve(lobby(4, t0.Add(time.Hour)))
	if _, err := c.Fetch(ctx); !errors.Is(err, ErrReplay) {
		t.Fatalf("got %v, want a replay refusal", err)
	}
	other := lobby(6, t0)
	other.Screen = "entrance"
	f.serve(other)
	if _, err := c.Fetch(ctx); err == nil {
		t.Fatal("took another screen's bundle")
	}
	if v := c.Player().Bundle().Version; v != "5-0123456789abcdef" || c.Stats().Refused != 2 {
		t.Fatalf("holding %s after %d refusals", v, c.Stats().Refused)
	}
}

// A fresh server (a new signing key, its old one withdrawn) restarts the
// epochs: the display follows it instead of waiting for them to catch up.
func TestFetchFollowsAServerReset(t *testing.T) {
	f := newFake(t)
	c := f.client(Config{})
	f.serve(lobby(50, t0))
	if _, err := c.Fetch(context.Background()); err != nil {
		t.Fatal(err)
	}
	f.key = newKey(t)
	f.published = keySet(f.key)
	f.serve(lobby(3, t0.Add(time.Hour)))
	if _, err := c.Fetch(context.Background()); err != nil {
		t.Fatalf("refused the reset server's bundle: %v", err)
	}
}

func TestFetchErrorAndBackoff(t *testing.T) {
	f := newFake(t)
	f.fail = 3
	c := f.client(Config{})
	_, err := c.Fetch(context.Background())
	var se *StatusError
	if !errors.As(err, &se) || se.Status != http.StatusServiceUnavailable || se.Code != "UNAVAILABLE" || se.Message != "try later" {
		t.Fatalf("got %#v", err)
	}
	// The poll loop retries with backoff (≤0.5 s, ≤1 s) until it gets it.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go c.pollLoop(ctx)
	eventually(t, 3*time.Second, "the bundle after two more failures", func() bool { return c.Stats().Fetched == 1 })
	if n := c.Stats().FetchErrors; n != 2 {
		t.Fatalf("%d fetch errors, want 2", n)
	}
}

func TestBackoffBounds(t *testing.T) {
	b := NewBackoff()
	b.rand = func(n int64) int64 { return n - 1 } // always the ceiling
	want := []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second,
		8 * time.Second, 16 * time.Second, 30 * time.Second, 30 * time.Second}
	for i, w := range want {
		if got := b.Next(); got != w-1 {
			t.Fatalf("attempt %d: ceiling %s, want %s", i, got+1, w)
		}
	}
	for range 100 {
		b.Next() // no overflow however long the server is away
	}
	if got := b.Next(); got != 30*time.Second-1 {
		t.Fatalf("after many attempts: %s", got)
	}
	b.Reset()
	if got := b.Next(); got != 500*time.Millisecond-1 {
		t.Fatalf("after reset: %s", got)
	}
	real := NewBackoff()
	for i := range 50 {
		ceil := min(30*time.Second, 500*time.Millisecond<<min(i, 20))
		if d := real.Next(); d < 0 || d >= ceil {
			t.Fatalf("attempt %d: %s outside [0, %s)", i, d, ceil)
		}
	}
}

func TestPollAfter(t *testing.T) {
	for _, c := range []struct{ maxAge, lo, hi time.Duration }{
		{0, time.Second, time.Second + 100*time.Millisecond},
		{5 * time.Second, 5 * time.Second, 5*time.Second + 500*time.Millisecond},
		{time.Hour, 10 * time.Minute, 10*time.Minute + 2*time.Second},
	} {
		for range 20 {
			if got := pollAfter(c.maxAge); got < c.lo || got >= c.hi {
				t.Fatalf("pollAfter(%s) = %s, want in [%s, %s)", c.maxAge, got, c.lo, c.hi)
			}
		}
	}
	for cc, want := range map[string]time.Duration{"max-age=42, must-revalidate": 42 * time.Second,
		"no-store": time.Minute, "": time.Minute, "public, MAX-AGE=0": 0} {
		if got := maxAge(cc); got != want {
			t.Errorf("maxAge(%q) = %s, want %s", cc, got, want)
		}
	}
}

// The key goes to the API only, never to another host an asset URL names.
func TestAPIKeyStaysOnTheAPI(t *testing.T) {
	var got []string
	other := newFake(t)
	other.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.Header.Get("X-API-Key"))
	})
	f := newFake(t)
	c := f.client(Config{Key: "secret"})
	resp, err := c.do(context.Background(), http.MethodGet, other.srv.URL+"/x.png", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if len(got) != 1 || got[0] != "" {
		t.Fatalf("another host received X-API-Key %q", got)
	}
}
