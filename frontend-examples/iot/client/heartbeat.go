package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"time"
)

const (
	defaultInterval = 30 * time.Second
	// maxRTT is the slowest round trip whose clock reading is used: the
	// offset's error is up to half the round trip.
	maxRTT = 2 * time.Second
	// changeReportSpread bounds the random delay of the report after the
	// frame on screen changed.
	changeReportSpread = 2 * time.Second
)

// errNoHeartbeat is a server without the heartbeat endpoint (404/405).
var errNoHeartbeat = errors.New("the server has no heartbeat endpoint")

type heartbeatBody struct {
	ScreenID      string `json:"screenId"`
	BundleVersion string `json:"bundleVersion"`
	Frame         string `json:"frame"`
	ClockOffsetMs int64  `json:"clockOffsetMs"`
	Channel       string `json:"channel"`
	Device        string `json:"device"`
	Locale        string `json:"locale"`
	Client        string `json:"client"`
}

// heartbeatLoop reports what is on screen every interval the server asks
// for, and soon after the frame on screen changes (so the fleet view does
// not call this unit stale for a whole interval after a boot or a
// switch), and keeps the clock offset the player corrects its clock with.
func (c *Client) heartbeatLoop(ctx context.Context) {
	bo := NewBackoff()
	missing := false
	for {
		interval, err := c.Heartbeat(ctx)
		if ctx.Err() != nil {
			return
		}
		switch {
		case errors.Is(err, errNoHeartbeat):
			// Older servers: keep asking, quietly, so an upgrade is picked up.
			if !missing {
				c.log.Info("the server does not take heartbeats yet; the display plays without them", "error", err)
			}
			missing, interval = true, defaultInterval
		case err != nil:
			// The first offset matters for switching on time: retry
			// sooner than the interval, but never more often than backoff.
			interval = min(bo.Next(), defaultInterval)
			level := slog.LevelDebug // the server is away: the poll loop says so
			if _, refused := errors.AsType[*StatusError](err); refused {
				level = slog.LevelWarn // it answered no: a configuration problem
			}
			c.log.Log(ctx, level, "heartbeat failed", "error", err, "retryIn", interval)
		default:
			missing = false
			bo.Reset()
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(interval):
		case <-c.player.FrameChanged():
			// Every screen switches at the same instant: spread their
			// reports over a couple of seconds rather than all at once.
			select {
			case <-ctx.Done():
				return
			case <-time.After(rand.N(changeReportSpread)):
			}
		}
	}
}

// Heartbeat reports once, updates the clock offset, and returns the
// interval the server asks for.
func (c *Client) Heartbeat(ctx context.Context) (time.Duration, error) {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	body := heartbeatBody{ScreenID: c.cfg.ID, Frame: c.player.Frame(), Channel: c.cfg.Channel,
		Device: c.cfg.Device, Locale: c.cfg.Locale, Client: UserAgent,
		// The player's offset is server minus device; the fleet reports
		// device minus server (positive: this clock is ahead).
		ClockOffsetMs: -c.player.Offset().Milliseconds()}
	if b := c.player.Bundle(); b != nil {
		body.BundleVersion = b.Version
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return 0, err
	}
	t0 := c.now()
	resp, err := c.do(ctx, http.MethodPost, "screens/"+url.PathEscape(c.cfg.Screen)+"/heartbeat",
		bytes.NewReader(raw), http.Header{"Content-Type": {"application/json"}})
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusNotFound, http.StatusMethodNotAllowed:
		return 0, errNoHeartbeat
	default:
		return 0, httpError(resp)
	}
	var out struct {
		ServerTime time.Time `json:"serverTime"`
		Interval   int       `json:"interval"`
	}
	b, err := readLimited(resp.Body, 16<<10)
	t1 := c.now()
	if err != nil {
		return 0, err
	}
	if err := json.Unmarshal(b, &out); err != nil {
		return 0, err
	}
	c.heartbeats.Add(1)
	// NTP-style: the server read its clock about halfway through the
	// round trip.
	if rtt := t1.Sub(t0); !out.ServerTime.IsZero() && rtt <= maxRTT {
		offset := out.ServerTime.Sub(t0.Add(rtt / 2))
		c.player.SetOffset(offset)
		c.log.Debug("heartbeat", "offset", offset, "rtt", rtt)
	}
	interval := time.Duration(out.Interval) * time.Second
	if interval <= 0 {
		interval = defaultInterval
	}
	return min(max(interval, time.Second), 10*time.Minute), nil
}
