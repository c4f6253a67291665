package events

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/mosaichq/mosaic/errs"
)

// HandlerConfig tunes the /events handler.
type HandlerConfig struct {
	// Heartbeat is the interval of heartbeat events on an idle stream, so
	// clients and proxies see the connection alive. Default 15s.
	Heartbeat time.Duration
	// WriteTimeout bounds one write to a client; a client that stops
	// reading is disconnected. Default 10s.
	WriteTimeout time.Duration
	// Retry is the reconnection delay suggested to EventSource clients.
	// Default 2s.
	Retry    time.Duration
	Registry Registry
	// Authorize, when set, may refuse a request (a missing API key when
	// public delivery is off): the stream is answered 401 (403 for a
	// FORBIDDEN error) with its safe message. Otherwise it returns the
	// channel the caller is held to ("" for none): a stream that names no
	// channel follows that one, as delivery answers for it.
	Authorize func(r *http.Request) (channel string, err error)
	Log       *slog.Logger
}

func (c HandlerConfig) withDefaults() HandlerConfig {
	if c.Heartbeat <= 0 {
		c.Heartbeat = 15 * time.Second
	}
	if c.WriteTimeout <= 0 {
		c.WriteTimeout = 10 * time.Second
	}
	if c.Retry <= 0 {
		c.Retry = 2 * time.Second
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	return c
}

// Handler serves the hub's events as Server-Sent Events (GET /events).
func (h *Hub) Handler(cfg HandlerConfig) http.Handler {
	return &sseHandler{hub: h, cfg: cfg.withDefaults()}
}

type sseHandler struct {
	hub *Hub
	cfg HandlerConfig
}

func (s *sseHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var held string
	if s.cfg.Authorize != nil {
		var err error
		if held, err = s.cfg.Authorize(r); err != nil {
			msg, status := "unauthorized", http.StatusUnauthorized
			if e, ok := errs.As(err); ok {
				msg = e.Message // the safe message, never the cause
				if e.Code == errs.Forbidden {
					status = http.StatusForbidden
				}
			}
			http.Error(w, msg, status)
			return
		}
	}
	f, err := ParseFilter(r.URL.Query(), s.cfg.Registry)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if held != "" {
		f.Channel = held
	}
	last, resume, err := lastEventID(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	sub := s.hub.Subscribe(f)
	defer s.hub.Unsubscribe(sub)

	st := &stream{w: bufio.NewWriter(w), rc: http.NewResponseController(w), timeout: s.cfg.WriteTimeout}
	// The server's WriteTimeout is meant for ordinary responses: left in
	// place it would cut every stream after a minute. Each write gets its
	// own deadline instead (stream.printf). (net/http already lifts the
	// read deadline once a bodiless request is read.)
	hdr := w.Header()
	hdr.Set("Content-Type", "text/event-stream")
	hdr.Set("Cache-Control", "no-store")
	hdr.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	w.WriteHeader(http.StatusOK)
	st.printf("retry: %d\n\n", s.cfg.Retry.Milliseconds())

	through := sub.From
	if resume {
		if through, err = s.replay(r.Context(), st, f, last, sub.From); err != nil {
			s.cfg.Log.WarnContext(r.Context(), "replaying events", "after", last, "error", err)
			return
		}
	}
	ready, _ := json.Marshal(map[string]string{"lastEventId": strconv.FormatInt(through, 10)})
	st.printf("event: ready\ndata: %s\n\n", ready)
	if st.flush() != nil {
		return
	}

	heartbeat := time.NewTicker(s.cfg.Heartbeat)
	defer heartbeat.Stop()
	for {
		select {
		case <-r.Context().Done(): // client gone, or server shutting down
			return
		case e, ok := <-sub.C:
			if !ok { // lagged, or hub stopped: the client resumes elsewhere
				return
			}
			if e.ID <= through {
				continue // already sent by the replay
			}
			st.event(e)
		case now := <-heartbeat.C:
			st.printf("event: heartbeat\ndata: {\"time\":%q}\n\n", now.UTC().Format(time.RFC3339Nano))
		}
		if st.flush() != nil {
			return
		}
		heartbeat.Reset(s.cfg.Heartbeat)
	}
}

// replay sends the logged events after last that match f and returns the
// last id it read. The subscription is already registered, so anything
// committed after this read reaches it live.
func (s *sseHandler) replay(ctx context.Context, st *stream, f Filter, last, from int64) (int64, error) {
	pruned, head, err := s.hub.store.Bounds(ctx)
	if err != nil {
		return 0, err
	}
	if last < pruned || last > head {
		// History the client needs is gone, or its id is from another log:
		// it must refetch everything, then follow from here.
		st.event(Event{Type: TypeChanged, At: time.Now(), Change: &Change{Reason: "resync"}})
		return max(head, from), st.flush()
	}
	through := last
	for {
		evs, err := s.hub.store.After(ctx, through, pageSize)
		if err != nil {
			return 0, err
		}
		for _, e := range evs {
			through = e.ID
			if f.Match(e) {
				st.event(e)
			}
		}
		if err := st.flush(); err != nil {
			return 0, err
		}
		if len(evs) < pageSize {
			return through, nil
		}
	}
}

// lastEventID reads Last-Event-ID (sent by EventSource on reconnect) or,
// for a first connection that resumes a saved position, ?lastEventId=.
func lastEventID(r *http.Request) (int64, bool, error) {
	v := r.Header.Get("Last-Event-ID")
	if v == "" {
		v = r.URL.Query().Get("lastEventId")
	}
	if v = strings.TrimSpace(v); v == "" {
		return 0, false, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id < 0 {
		return 0, false, fmt.Errorf("the Last-Event-ID %q is not an event id", v)
	}
	return id, true, nil
}

// stream writes SSE frames; the first error sticks and ends the stream.
type stream struct {
	w       *bufio.Writer
	rc      *http.ResponseController
	timeout time.Duration
	err     error
}

func (st *stream) printf(format string, args ...any) {
	if st.err == nil {
		if err := st.rc.SetWriteDeadline(time.Now().Add(st.timeout)); err != nil && !errors.Is(err, http.ErrNotSupported) {
			st.err = err
			return
		}
		_, st.err = fmt.Fprintf(st.w, format, args...)
	}
}

func (st *stream) event(e Event) {
	if e.ID > 0 {
		st.printf("id: %d\n", e.ID)
	}
	st.printf("event: %s\ndata: %s\n\n", e.Type, e.JSON())
}

func (st *stream) flush() error {
	if st.err == nil {
		if st.err = st.w.Flush(); st.err == nil {
			st.err = st.rc.Flush()
		}
	}
	return st.err
}
