package app

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/mosaichq/mosaic/storage/postgres"
)

// Read replicas (issue 20): published reads, reports and search rebuilds
// go to the standbys in MOSAIC_DATABASE_READ_URLS (storage/postgres,
// reads.go decides per query); this file opens them, tells them about
// changes and editors' writes, and exports their state.

// openReads opens the standbys, if any. Without them a.reads stays nil
// and every read goes to the primary.
func (a *App) openReads(ctx context.Context) error {
	urls := a.Config.ReadURLs()
	if len(urls) == 0 || a.servicesOnly {
		return nil
	}
	r, err := postgres.OpenReads(ctx, a.Pool, postgres.ReadConfig{URLs: urls, MaxLag: a.Config.DatabaseReadMaxLag, Logger: a.Log})
	if err != nil {
		return err
	}
	r.Start()
	r.Hold() // until the change feed listens (releaseReads)
	a.reads = r
	a.closers = append(a.closers, r.Stop)
	return nil
}

// releaseReads lets the standbys serve once the change feed listens:
// before, a change they had not replayed could be cached here and no
// notification would ever come to drop it.
func (a *App) releaseReads() {
	if a.reads == nil {
		return
	}
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		select {
		case <-a.Feed.Ready():
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			a.reads.Release(ctx)
		case <-quit:
		}
	}()
	a.closers = append(a.closers, func() { close(quit); <-done })
}

// advanceReads raises the routed reads' floor to the primary's position:
// the change feed calls it for each change, on its goroutine, bounded.
func (a *App) advanceReads() {
	if a.reads == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	a.reads.Advance(ctx)
}

// The position after an editor's write travels back to them in a cookie
// (the studio) and a header (API clients, which send it back in the same
// header), so their next request reads it on whichever replica it lands.
const (
	readAfterHeader = "Mosaic-Read-After"
	readAfterCookie = "mosaic_read_after"
)

// readSessions gives each authenticated GraphQL request a read session:
// its reads see the position the client sent back, and if it writes, the
// response carries the position after its writes. Visitors' requests (no
// Authorization) and other routes have none: they never pay the query
// that reads the position, and read whatever a current standby has.
func (a *App) readSessions(next http.Handler) http.Handler {
	if a.reads == nil {
		return next
	}
	maxAge := strconv.Itoa(int(max(time.Minute, 2*a.Config.DatabaseReadMaxLag).Seconds()))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A websocket subscription hijacks the connection and writes nothing
		// to pin: it needs the bare writer.
		if r.URL.Path != "/graphql" || r.Header.Get("Authorization") == "" || r.Header.Get("Upgrade") != "" {
			next.ServeHTTP(w, r)
			return
		}
		ctx := postgres.WithReadSession(r.Context(), readAfter(r))
		pw := &pinWriter{ResponseWriter: w, ctx: ctx, a: a, maxAge: maxAge, secure: r.TLS != nil}
		next.ServeHTTP(pw, r.WithContext(ctx))
	})
}

// readAfter is the position the client sent back: the header, else the
// cookie; nothing (zero) when absent or not a position.
func readAfter(r *http.Request) postgres.LSN {
	v := r.Header.Get(readAfterHeader)
	if v == "" {
		if c, err := r.Cookie(readAfterCookie); err == nil {
			v = c.Value
		}
	}
	lsn, _ := postgres.ParseLSN(v)
	return lsn
}

// pinWriter adds the position after the request's writes to the response
// headers, just before they go out: by then a GraphQL mutation has
// committed.
type pinWriter struct {
	http.ResponseWriter
	ctx    context.Context
	a      *App
	maxAge string
	secure bool
	once   sync.Once
}

func (w *pinWriter) pin() {
	w.once.Do(func() {
		lsn, wrote, err := w.a.reads.Written(w.ctx)
		if err != nil {
			w.a.Log.WarnContext(w.ctx, "reading the position after a write; the editor's next reads go where the floor allows", "error", err)
		}
		if !wrote {
			return
		}
		h := w.Header()
		h.Set(readAfterHeader, lsn.String())
		cookie := readAfterCookie + "=" + lsn.String() + "; Path=/graphql; Max-Age=" + w.maxAge + "; HttpOnly; SameSite=Strict"
		if w.secure {
			cookie += "; Secure"
		}
		h.Add("Set-Cookie", cookie)
	})
}

func (w *pinWriter) WriteHeader(code int) {
	w.pin()
	w.ResponseWriter.WriteHeader(code)
}

func (w *pinWriter) Write(b []byte) (int, error) {
	w.pin()
	return w.ResponseWriter.Write(b)
}

// Flush keeps streamed answers (GraphQL over SSE, incremental delivery)
// working: gqlgen asks the writer for http.Flusher directly.
func (w *pinWriter) Flush() {
	w.pin()
	_ = http.NewResponseController(w.ResponseWriter).Flush()
}

// Unwrap lets http.ResponseController reach the real writer.
func (w *pinWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

var (
	standbyUpDesc = prometheus.NewDesc("mosaic_db_standby_up",
		"1 when the standby serves reads (answering, in recovery, within database-read-max-lag), 0 when it is skipped.", []string{"standby"}, nil)
	standbyLagDesc = prometheus.NewDesc("mosaic_db_standby_lag_seconds",
		"How long ago the primary wrote the oldest WAL the standby has not replayed, at its last check.", []string{"standby"}, nil)
	routedReadsDesc = prometheus.NewDesc("mosaic_db_routed_reads_total",
		"Routed reads (published content, reports, search rebuilds) by where they ran: a standby, or the primary (no standby usable or current enough, or inside a write).",
		[]string{"target"}, nil)
	standbyFallbacksDesc = prometheus.NewDesc("mosaic_db_standby_fallbacks_total",
		"Reads a standby failed (gone, shutting down, conflict) and the primary answered instead.", nil, nil)
)

// readsCollector exports the standbys' state at scrape time.
type readsCollector struct{ r *postgres.Reads }

// Describe implements prometheus.Collector.
func (readsCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{standbyUpDesc, standbyLagDesc, routedReadsDesc, standbyFallbacksDesc} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (c readsCollector) Collect(ch chan<- prometheus.Metric) {
	standbys, primary, fallbacks := c.r.Stats()
	for _, s := range standbys {
		up := 0.0
		if s.Usable {
			up = 1
		}
		ch <- prometheus.MustNewConstMetric(standbyUpDesc, prometheus.GaugeValue, up, s.Name)
		ch <- prometheus.MustNewConstMetric(standbyLagDesc, prometheus.GaugeValue, s.Lag.Seconds(), s.Name)
		ch <- prometheus.MustNewConstMetric(routedReadsDesc, prometheus.CounterValue, float64(s.Reads), s.Name)
	}
	ch <- prometheus.MustNewConstMetric(routedReadsDesc, prometheus.CounterValue, float64(primary), "primary")
	ch <- prometheus.MustNewConstMetric(standbyFallbacksDesc, prometheus.CounterValue, float64(fallbacks))
}
