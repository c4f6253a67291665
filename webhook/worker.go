package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// WorkerConfig tunes delivery.
type WorkerConfig struct {
	// MaxAttempts is how many times a delivery is tried before it is
	// marked failed. Default 10.
	MaxAttempts int
	// Backoff is the wait after the first failure; it doubles after each
	// further one (with ±20% jitter) up to MaxBackoff. Defaults 30s, 1h.
	Backoff    time.Duration
	MaxBackoff time.Duration
	// Timeout bounds one HTTP attempt. Default 10s.
	Timeout time.Duration
	// Concurrency is how many deliveries one replica sends at once.
	// Default 4.
	Concurrency int
	// Poll is how often the worker looks for due work unwoken (retries
	// fall due, other replicas' events). Default 1s.
	Poll time.Duration
	// AllowPrivate permits endpoints on loopback, private and link-local
	// addresses. Off by default: a webhook URL must not become a way to
	// reach the cluster's internal services.
	AllowPrivate bool
	// Transport replaces the HTTP transport (tests).
	Transport http.RoundTripper
	Now       func() time.Time
	Log       *slog.Logger
}

func (c WorkerConfig) withDefaults() WorkerConfig {
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 10
	}
	if c.Backoff <= 0 {
		c.Backoff = 30 * time.Second
	}
	if c.MaxBackoff <= 0 {
		c.MaxBackoff = time.Hour
	}
	c.MaxBackoff = max(c.MaxBackoff, c.Backoff)
	if c.Timeout <= 0 {
		c.Timeout = 10 * time.Second
	}
	if c.Concurrency <= 0 {
		c.Concurrency = 4
	}
	if c.Poll <= 0 {
		c.Poll = time.Second
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	return c
}

// maxResponse is how much of a response body the log keeps.
const maxResponse = 1024

// Worker fans events out to endpoints and sends due deliveries. Every
// replica runs one; the store makes them cooperate.
type Worker struct {
	store  Store
	cfg    WorkerConfig
	client *http.Client
	wake   chan struct{}

	stopOnce sync.Once
	cancel   context.CancelFunc
	done     chan struct{}
}

// NewWorker returns a worker; Start begins delivering.
func NewWorker(store Store, cfg WorkerConfig) *Worker {
	cfg = cfg.withDefaults()
	transport := cfg.Transport
	if transport == nil {
		dialer := &net.Dialer{Timeout: cfg.Timeout, Control: refusePrivate(cfg.AllowPrivate)}
		transport = &http.Transport{DialContext: dialer.DialContext, TLSHandshakeTimeout: cfg.Timeout,
			MaxIdleConnsPerHost: 2, IdleConnTimeout: 90 * time.Second, ForceAttemptHTTP2: true}
	}
	client := &http.Client{Transport: transport, Timeout: cfg.Timeout,
		// A redirect is not a delivery: the receiver must fix its URL.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &Worker{store: store, cfg: cfg, client: client, wake: make(chan struct{}, 1), done: make(chan struct{})}
}

// refusePrivate checks the address actually dialled (after DNS), so a
// public name resolving to an internal address is refused too.
func refusePrivate(allow bool) func(network, address string, _ syscall.RawConn) error {
	return func(_, address string, _ syscall.RawConn) error {
		if allow {
			return nil
		}
		host, _, err := net.SplitHostPort(address)
		if err != nil {
			return err
		}
		ip := net.ParseIP(host)
		if ip == nil || ip.IsLoopback() || ip.IsPrivate() || ip.IsUnspecified() || ip.IsLinkLocalUnicast() ||
			ip.IsLinkLocalMulticast() || ip.IsMulticast() {
			return fmt.Errorf("refusing to deliver to %s: a private address (set MOSAIC_WEBHOOK_ALLOW_PRIVATE=true to allow)", host)
		}
		return nil
	}
}

// Start returns at once; the worker runs until Stop.
func (w *Worker) Start(ctx context.Context) {
	ctx, w.cancel = context.WithCancel(context.WithoutCancel(ctx))
	go w.run(ctx)
}

// Stop ends the worker, abandoning requests in flight (their leases run
// out and another worker retries them). Safe to call twice.
func (w *Worker) Stop() {
	w.stopOnce.Do(func() {
		if w.cancel != nil {
			w.cancel()
			<-w.done
		}
	})
}

// Wake makes the worker look for work now; it never blocks.
func (w *Worker) Wake() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

func (w *Worker) run(ctx context.Context) {
	defer close(w.done)
	poll := time.NewTicker(w.cfg.Poll)
	defer poll.Stop()
	for {
		busy := w.step(ctx)
		if busy {
			continue // there may be more: look again at once
		}
		select {
		case <-ctx.Done():
			return
		case <-w.wake:
		case <-poll.C:
		}
	}
}

// step fans out new events and sends one batch of due deliveries; it
// reports whether it had a full batch of either.
func (w *Worker) step(ctx context.Context) bool {
	const dispatchBatch = 200
	n, err := w.store.Dispatch(ctx, dispatchBatch)
	if err != nil {
		if ctx.Err() == nil {
			w.cfg.Log.ErrorContext(ctx, "webhooks: fanning out events", "error", err)
		}
		return false
	}
	// The lease outlasts the request, so a live worker never loses a
	// delivery to another one.
	jobs, err := w.store.Claim(ctx, w.cfg.Concurrency, 2*w.cfg.Timeout+5*time.Second)
	if err != nil {
		if ctx.Err() == nil {
			w.cfg.Log.ErrorContext(ctx, "webhooks: claiming deliveries", "error", err)
		}
		return false
	}
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Go(func() { w.deliver(ctx, j) })
	}
	wg.Wait()
	return n == dispatchBatch || len(jobs) == w.cfg.Concurrency
}

func (w *Worker) deliver(ctx context.Context, j Job) {
	body := j.Event.JSON()
	msgID := "evt_" + strconv.FormatInt(j.Event.ID, 10)
	start := w.cfg.Now()
	res := Result{Attempt: Attempt{Attempt: j.Attempt, At: start}}
	code, snippet, err := w.send(ctx, j, msgID, body, start)
	res.Duration = w.cfg.Now().Sub(start)
	if ctx.Err() != nil {
		return // shutting down: the lease expires and someone retries
	}
	if code != 0 {
		res.StatusCode = &code
	}
	if snippet != "" {
		res.Response = &snippet
	}
	switch {
	case err == nil && code >= 200 && code < 300:
		res.Status = StatusSucceeded
	default:
		msg := fmt.Sprintf("HTTP %d", code)
		if err != nil {
			msg = err.Error()
		}
		res.Error = &msg
		res.Status, res.Next = StatusPending, w.backoff(j.Attempt)
		if j.Attempt >= w.cfg.MaxAttempts {
			res.Status, res.Next = StatusFailed, 0
		}
	}
	if err := w.store.Record(context.WithoutCancel(ctx), j, res); err != nil {
		w.cfg.Log.ErrorContext(ctx, "webhooks: recording an attempt", "delivery", j.DeliveryID, "error", err)
		return
	}
	w.cfg.Log.DebugContext(ctx, "webhook attempt", "delivery", j.DeliveryID, "attempt", j.Attempt,
		"status", res.Status, "code", code, "duration", res.Duration)
}

func (w *Worker) send(ctx context.Context, j Job, msgID string, body []byte, at time.Time) (int, string, error) {
	sig, err := Sign(j.Secret, msgID, at, body)
	if err != nil {
		return 0, "", err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, j.URL, bytes.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Mosaic-Webhooks/1")
	req.Header.Set(HeaderID, msgID)
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(at.Unix(), 10))
	req.Header.Set(HeaderSignature, sig)
	resp, err := w.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // drop the "Post <url>:" prefix the log repeats
		}
		return 0, "", err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // reuse the connection
	// The log is text: PostgreSQL refuses NUL and invalid UTF-8.
	snippet := strings.ReplaceAll(strings.ToValidUTF8(string(raw), "\uFFFD"), "\x00", "")
	return resp.StatusCode, snippet, nil
}

// backoff is the wait after failed attempt n (1-based): Backoff·2^(n-1),
// capped, ±20% so that endpoints coming back are not hit in lockstep.
func (w *Worker) backoff(n int) time.Duration {
	d := w.cfg.Backoff
	for i := 1; i < n && d < w.cfg.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, w.cfg.MaxBackoff)
	return time.Duration(float64(d) * (0.8 + 0.4*rand.Float64()))
}
