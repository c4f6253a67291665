package client

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"
)

const (
	// idleTimeout drops a stream silent for this long: the server sends a
	// heartbeat every 15 s, so silence means a dead (half-open) connection
	// that TCP alone may not notice for many minutes.
	idleTimeout = 45 * time.Second
	// healthyAfter is how long a stream must have lived for the backoff to
	// start over; a server that accepts and drops at once is backed off.
	healthyAfter = 10 * time.Second
)

// eventsLoop follows /events: any content or campaign event makes the
// bundle be fetched at once, instead of at its max-age. The display does
// not need it to switch on time (the bundle holds the schedule); it makes
// changes made now, and kill switches, show within a second.
func (c *Client) eventsLoop(ctx context.Context) {
	bo := NewBackoff()
	last := ""
	for {
		start := time.Now()
		err := c.stream(ctx, &last)
		if ctx.Err() != nil {
			return
		}
		if time.Since(start) >= healthyAfter {
			bo.Reset()
		}
		wait := bo.Next()
		c.log.Info("the event stream ended; reconnecting", "error", err, "retryIn", wait.Round(time.Millisecond))
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

// stream reads one connection until it fails; *last follows event ids so
// a reconnect resumes after them (Last-Event-ID).
func (c *Client) stream(ctx context.Context, last *string) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	q := url.Values{"screen": {c.cfg.Screen}}
	if c.cfg.Channel != "" {
		q.Set("channel", c.cfg.Channel)
	}
	if c.cfg.Device != "" {
		q.Set("device", c.cfg.Device)
	}
	hdr := http.Header{"Accept": {"text/event-stream"}}
	if *last != "" {
		hdr.Set("Last-Event-ID", *last)
	}
	errIdle := errors.New("no event or heartbeat for " + idleTimeout.String())
	watchdog := time.AfterFunc(idleTimeout, func() { cancel(errIdle) })
	defer watchdog.Stop()
	resp, err := c.do(ctx, http.MethodGet, "events?"+q.Encode(), nil, hdr)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return httpError(resp)
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	var typ, id string
	var data strings.Builder
	for sc.Scan() {
		watchdog.Reset(idleTimeout)
		line := sc.Text()
		if line == "" { // end of one event
			if id != "" {
				*last = id
			}
			c.dispatch(typ, data.String(), last)
			typ, id = "", ""
			data.Reset()
			continue
		}
		field, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch field {
		case "event":
			typ = value
		case "data":
			if data.Len() > 0 {
				data.WriteByte('\n')
			}
			data.WriteString(value)
		case "id":
			id = value
		}
	}
	if err := context.Cause(ctx); err != nil {
		return err
	}
	if err := sc.Err(); err != nil {
		return err
	}
	return errors.New("the server closed the stream")
}

func (c *Client) dispatch(typ, data string, last *string) {
	switch typ {
	case "ready":
		c.streams.Add(1)
		// A first connection has no id yet: take the server's position so
		// a reconnect replays what happened while it was away.
		var r struct {
			LastEventID string `json:"lastEventId"`
		}
		if json.Unmarshal([]byte(data), &r) == nil && *last == "" {
			*last = r.LastEventID
		}
		// Events may have been missed before this stream (or the server
		// just came back): revalidate, which costs a 304 if nothing did.
		c.Refetch()
		c.log.Debug("event stream ready", "lastEventId", *last)
	case "campaign.started", "campaign.ended", "campaign.stopped", "changed":
		c.events.Add(1)
		c.log.Debug("event", "type", typ, "data", data)
		c.Refetch()
	}
}
