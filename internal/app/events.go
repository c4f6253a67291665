package app

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/mosaichq/mosaic/campaign"
	"github.com/mosaichq/mosaic/delivery"
	"github.com/mosaichq/mosaic/events"
	"github.com/mosaichq/mosaic/scheduler"
	"github.com/mosaichq/mosaic/storage/postgres"
	"github.com/mosaichq/mosaic/webhook"
)

// live is this process's part in live events: its hub over the shared
// event log, its webhook worker, and its bid to lead the campaign scheduler.
type live struct {
	Log       *postgres.EventLog
	Hub       *events.Hub
	Webhooks  *webhook.Service
	worker    *webhook.Worker
	scheduler *scheduler.Scheduler
	listener  *postgres.Listener
}

// openEvents starts the event hub, the webhook worker, the scheduler (when
// campaigns can be read) and the listener that wakes them. Every replica
// runs all of them; the database decides who announces and who delivers.
func (a *App) openEvents(ctx context.Context) error {
	cfg, log := a.Config, a.Log.With("component", "events")
	ctx = context.WithoutCancel(ctx)
	l := &a.Live
	l.Log = postgres.NewEventLog(a.Pool)
	l.Hub = events.NewHub(l.Log, events.HubConfig{Log: log})
	if err := l.Hub.Start(ctx); err != nil {
		return fmt.Errorf("starting the event hub: %w", err)
	}
	a.closers = append(a.closers, l.Hub.Stop)

	store := postgres.NewWebhookStore(a.Pool)
	l.Webhooks = webhook.NewService(store, log)
	l.worker = webhook.NewWorker(store, webhook.WorkerConfig{MaxAttempts: cfg.WebhookMaxAttempts,
		Backoff: cfg.WebhookBackoff, Timeout: cfg.WebhookTimeout, AllowPrivate: cfg.WebhookAllowPrivate,
		Log: a.Log.With("component", "webhooks")})
	l.worker.Start(ctx)
	a.closers = append(a.closers, l.worker.Stop)

	if src := a.campaignSource(); src != nil {
		elector := postgres.NewLeader(a.Pool, "scheduler", time.Second, log)
		m := a.startMaterializer(ctx)
		l.scheduler = scheduler.New(src, l.Log, elector, scheduler.Config{Retention: cfg.EventsRetention,
			Log: a.Log.With("component", "scheduler"), Announced: m.announced, Delayed: a.ops.transitionDelayed})
		l.scheduler.Start(ctx)
		a.closers = append(a.closers, l.scheduler.Stop)
	} else {
		log.Warn("no campaign source: campaign transitions will not be announced")
	}

	l.listener = postgres.NewListener(a.Pool, log, []string{postgres.EventsChannel, postgres.ChangesChannel},
		a.eventNotified, a.wakeEvents)
	l.listener.Start(ctx)
	a.closers = append(a.closers, l.listener.Stop)
	return nil
}

// eventNotified routes a notification: a new event wakes the hub and the
// webhook worker; a campaign write wakes the scheduler, which may now have
// a sooner transition (or a stop) to announce.
func (a *App) eventNotified(channel, payload string) {
	switch channel {
	case postgres.EventsChannel:
		a.Live.Hub.Wake()
		a.Live.worker.Wake()
	case postgres.ChangesChannel:
		var c struct {
			Action string `json:"action"`
		}
		if json.Unmarshal([]byte(payload), &c) != nil || c.Action != "campaign" {
			return
		}
		// This connection hears notifications in commit order, so a
		// campaign write arrives here before the announcement it causes.
		// Bringing the engine up to date now means no client that reacts
		// to that announcement can refetch and still see the old state
		// (the change feed's own connection is not ordered with this one).
		a.campaignsChanged(context.Background())
		if a.Live.scheduler != nil {
			a.Live.scheduler.Wake()
		}
	}
}

// wakeEvents runs after every (re)connection of the listener: whatever was
// notified while it was away is read now.
func (a *App) wakeEvents() {
	a.Live.Hub.Wake()
	a.Live.worker.Wake()
	if a.Live.scheduler != nil {
		a.Live.scheduler.Wake()
	}
}

// eventsHandler serves GET /events, refusing channels and devices the
// registry does not know.
func (a *App) eventsHandler() http.Handler {
	reg, _ := a.Config.Registry() // validated with the config
	return a.Live.Hub.Handler(events.HandlerConfig{Heartbeat: a.Config.EventsHeartbeat,
		Registry: events.Registry{Channels: reg.Channels, Devices: reg.Devices}, Authorize: a.authorizeStream,
		Log: a.Log.With("component", "events")})
}

// authorizeStream applies delivery's credential rule to /events: a refused
// credential is refused, without public delivery a stream needs an API
// key (or a token) like a delivery query does, and a key limited to
// channels follows only one of them (delivery.Channel: the one it is
// limited to when the stream names none) — a stream of every channel
// would tell it when another channel's campaigns start.
func (a *App) authorizeStream(r *http.Request) (string, error) {
	ctx := r.Context()
	if err := (delivery.Policy{RequireAPIKey: !a.Config.Security.PublicDelivery}).Authorize(ctx); err != nil {
		return "", err
	}
	return delivery.Channel(ctx, r.URL.Query().Get("channel"), "channel=<one of them> on the stream")
}

// campaignSource adapts the campaign service to the scheduler.
func (a *App) campaignSource() scheduler.Source {
	if a.Campaigns == nil {
		return nil
	}
	return campaignTransitions{a.Campaigns}
}

// campaignTransitions is campaign.Service as a scheduler.Source.
type campaignTransitions struct{ svc *campaign.Service }

func (c campaignTransitions) Transitions(ctx context.Context, from, to time.Time) ([]scheduler.Transition, error) {
	ts, err := c.svc.Transitions(ctx, from, to)
	if err != nil {
		return nil, err
	}
	out := make([]scheduler.Transition, len(ts))
	for i, t := range ts {
		out[i] = scheduler.Transition{CampaignID: t.CampaignID, CampaignKey: t.Key, Kind: scheduler.Kind(t.Kind),
			At: t.At, Channels: t.Channels}
	}
	return out, nil
}

// materializer folds releases that became visible into the live
// publications after the leader announced a start (campaign.Service
// MaterializeDue). Reads never wait for it; it runs beside the scheduler so
// that announcing the next transition does not wait for it either, and
// coalesces starts that come together.
type materializer struct {
	kick chan struct{}
	stop context.CancelFunc
	done chan struct{}
}

func (a *App) startMaterializer(ctx context.Context) *materializer {
	ctx, cancel := context.WithCancel(ctx)
	m := &materializer{kick: make(chan struct{}, 1), stop: cancel, done: make(chan struct{})}
	go func() {
		defer close(m.done)
		for {
			select {
			case <-ctx.Done():
				return
			case <-m.kick:
			}
			if _, err := a.Campaigns.MaterializeDue(ctx); err != nil && ctx.Err() == nil {
				a.Log.ErrorContext(ctx, "materializing releases after a campaign start", "error", err)
			}
		}
	}()
	a.closers = append(a.closers, func() { m.stop(); <-m.done })
	return m
}

// announced is the scheduler's hook: a start may have made a release due.
func (m *materializer) announced(e events.Event) {
	if e.Type == events.TypeCampaignStarted {
		select {
		case m.kick <- struct{}{}:
		default:
		}
	}
}
