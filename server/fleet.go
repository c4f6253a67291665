package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/delivery"
	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/fleet"
	"github.com/mosaichq/mosaic/ratelimit"
)

// maxHeartbeatBytes bounds a heartbeat body: the largest valid one is
// well under 1 KiB.
const maxHeartbeatBytes = 4 << 10

// heartbeatBody is the wire form of POST /screens/{slug}/heartbeat.
type heartbeatBody struct {
	ScreenID      string   `json:"screenId"`
	BundleVersion string   `json:"bundleVersion"`
	Frame         string   `json:"frame"`
	ClockOffsetMs *float64 `json:"clockOffsetMs"`
	Channel       string   `json:"channel"`
	Device        string   `json:"device"`
	Locale        string   `json:"locale"`
	Client        string   `json:"client"`
}

// heartbeatHandler serves POST /screens/{slug}/heartbeat: a kiosk or IoT
// display reports what it shows. It is authorised as the bundle it
// reports on (bundleHandler): without public delivery an anonymous caller is
// refused, a refused credential always is, and a key limited to channels
// reports only for them. The answer carries the server's clock, read as
// late as possible, for the unit's NTP-style offset, and the interval it
// should report at.
func heartbeatHandler(svc *fleet.Service, policy delivery.Policy, log *slog.Logger) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if err := policy.Authorize(ctx); err != nil {
			assetError(w, r, log, err, 0)
			return
		}
		if svc == nil {
			assetError(w, r, log, errs.E(errs.ServiceUnavailable, "the screen fleet is not configured on this server"), 0)
			return
		}
		h, status, err := readHeartbeat(w, r)
		if err != nil {
			assetError(w, r, log, err, status)
			return
		}
		if h.Channel, err = delivery.Channel(ctx, h.Channel, "the channel"); err != nil {
			assetError(w, r, log, err, 0)
			return
		}
		if err := svc.Record(ctx, h); err != nil {
			assetError(w, r, log, err, 0)
			return
		}
		hdr := w.Header()
		hdr.Set("Content-Type", "application/json")
		hdr.Set("Cache-Control", "no-store")
		// Last thing before writing: the unit takes the midpoint of its
		// send and receive as this instant.
		body := fmt.Appendf(nil, `{"serverTime":%q,"interval":%d}`,
			svc.Now().UTC().Format(time.RFC3339Nano), int(svc.Interval()/time.Second))
		hdr.Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(body)
	}
}

// readHeartbeat decodes the body: one JSON object of known fields, at
// most maxHeartbeatBytes. The status is 413 for a body too large, else 0
// (derived from the error's code).
func readHeartbeat(w http.ResponseWriter, r *http.Request) (fleet.Heartbeat, int, error) {
	tooLarge := errs.E(errs.BadUserInput, "the heartbeat exceeds %d bytes", maxHeartbeatBytes)
	if r.ContentLength > maxHeartbeatBytes {
		return fleet.Heartbeat{}, http.StatusRequestEntityTooLarge, tooLarge
	}
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxHeartbeatBytes))
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return fleet.Heartbeat{}, http.StatusRequestEntityTooLarge, tooLarge
		}
		return fleet.Heartbeat{}, http.StatusBadRequest, errs.Wrap(errs.BadUserInput, err, "the heartbeat could not be read")
	}
	// null and non-objects would decode into an empty body without error.
	if t := bytes.TrimLeft(raw, " \t\r\n"); len(t) == 0 || t[0] != '{' {
		return fleet.Heartbeat{}, 0, errs.E(errs.BadUserInput, "the heartbeat must be a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var b heartbeatBody
	if err := dec.Decode(&b); err != nil {
		return fleet.Heartbeat{}, 0, decodeError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return fleet.Heartbeat{}, 0, errs.E(errs.BadUserInput, "the heartbeat must be one JSON object, with nothing after it")
	}
	h := fleet.Heartbeat{ScreenID: b.ScreenID, Screen: r.PathValue("slug"), Channel: b.Channel, Device: b.Device,
		Locale: b.Locale, BundleVersion: b.BundleVersion, Frame: b.Frame, ClockOffsetMs: b.ClockOffsetMs,
		Client: b.Client, Address: ratelimit.ClientIP(r.Context())}
	if p, ok := auth.FromContext(r.Context()); ok {
		h.Caller = string(p.Kind) + ":" + p.Subject
	}
	return h, 0, nil
}

// decodeError words a decoding failure in the body's terms (not Go's).
func decodeError(err error) error {
	if te, ok := errors.AsType[*json.UnmarshalTypeError](err); ok && te.Field != "" {
		want := "a string"
		if te.Field == "clockOffsetMs" {
			want = "a number"
		}
		return errs.Wrap(errs.BadUserInput, err, "%s must be %s", te.Field, want)
	}
	return errs.Wrap(errs.BadUserInput, err, "the heartbeat is not a valid JSON object: %s", strings.TrimPrefix(err.Error(), "json: "))
}

// screensScrapeTimeout bounds the count a scrape runs: a slow database
// must not hold /metrics up for the scraper's whole timeout.
const screensScrapeTimeout = 2 * time.Second

// screenCounter is what the screens gauge reads ([fleet.Service.Counts]).
type screenCounter interface {
	Counts(ctx context.Context) (online, offline int, err error)
}

// screensCollector reports mosaic_screens{state="online"|"offline"},
// counted at scrape time with one query, so operators can alert on kiosks
// going quiet without asking GraphQL. STALE needs a bundle build per
// screen and context, so it is only in screenFleet: online here is ONLINE
// and STALE together. When the count fails the gauge is left out of that
// scrape (and logged) rather than failing the whole page.
type screensCollector struct {
	src  screenCounter
	log  *slog.Logger
	desc *prometheus.Desc
}

func newScreensCollector(src screenCounter, log *slog.Logger) *screensCollector {
	return &screensCollector{src: src, log: log, desc: prometheus.NewDesc("mosaic_screens",
		"Kiosks and IoT displays in the fleet view: online reported within MOSAIC_SCREEN_OFFLINE_AFTER "+
			"(ONLINE or STALE; STALE needs bundle builds and is only in GraphQL screenFleet), offline did not.",
		[]string{"state"}, nil)}
}

// Describe implements prometheus.Collector.
func (c *screensCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

// Collect implements prometheus.Collector.
func (c *screensCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), screensScrapeTimeout)
	defer cancel()
	online, offline, err := c.src.Counts(ctx)
	if err != nil {
		c.log.WarnContext(ctx, "counting screens for /metrics: mosaic_screens left out of this scrape", "error", err)
		return
	}
	ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(online), "online")
	ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(offline), "offline")
}
