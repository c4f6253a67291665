package client

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// fake is a Mosaic server as far as this client sees it.
type fake struct {
	t   *testing.T
	srv *httptest.Server

	mu         sync.Mutex
	key        testKey
	published  KeySet
	doc        []byte
	version    string
	maxAge     int
	fail       int // answer this many bundle requests with 503
	bundleReqs []*http.Request
	keyFetches int
	heartbeat  http.HandlerFunc
	events     http.HandlerFunc
	assets     map[string][]byte
}

func newFake(t *testing.T) *fake {
	f := &fake{t: t, key: newKey(t), maxAge: 60, assets: map[string][]byte{}}
	f.published = keySet(f.key)
	f.serve(lobby(1, t0))
	mux := http.NewServeMux()
	mux.HandleFunc("GET /screens/{slug}/bundle", f.bundle)
	mux.HandleFunc("GET "+KeysPath, func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.keyFetches++
		_ = json.NewEncoder(w).Encode(f.published)
	})
	mux.HandleFunc("POST /screens/{slug}/heartbeat", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		h := f.heartbeat
		f.mu.Unlock()
		if h == nil {
			http.NotFound(w, r)
			return
		}
		h(w, r)
	})
	mux.HandleFunc("GET /events", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		h := f.events
		f.mu.Unlock()
		if h == nil {
			http.NotFound(w, r)
			return
		}
		h(w, r)
	})
	mux.HandleFunc("GET /assets/{name}", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		b, ok := f.assets[r.PathValue("name")]
		f.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write(b)
	})
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

// serve makes w (signed with the current key) the bundle served.
func (f *fake) serve(w wire) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.doc, f.version = f.key.sign(f.t, w), w.Version
}

func (f *fake) bundle(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.bundleReqs = append(f.bundleReqs, r)
	if f.fail > 0 {
		f.fail--
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprint(w, `{"error":{"code":"UNAVAILABLE","message":"try later"}}`)
		return
	}
	etag := `"` + f.version + `"`
	w.Header().Set("ETag", etag)
	w.Header().Set("Cache-Control", fmt.Sprintf("max-age=%d, must-revalidate", f.maxAge))
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	_, _ = w.Write(f.doc)
}

func (f *fake) requests() []*http.Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]*http.Request(nil), f.bundleReqs...)
}

// client is a client of f; cfg fields left zero get the test defaults.
func (f *fake) client(cfg Config) *Client {
	f.t.Helper()
	if cfg.API == "" {
		cfg.API = f.srv.URL
	}
	cfg.Screen, cfg.Channel, cfg.Device, cfg.Locale = "lobby", "kiosk", "kiosk", "en"
	if cfg.ID == "" {
		cfg.ID = "unit-1"
	}
	if cfg.Log == nil {
		cfg.Log = (&logBuffer{}).logger()
	}
	c, err := New(cfg)
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}

// eventually polls cond for up to d.
func eventually(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out after %s waiting for %s", d, what)
}

// sse writes one event and flushes it.
func sse(w http.ResponseWriter, id, typ, data string) {
	if id != "" {
		fmt.Fprintf(w, "id: %s\n", id)
	}
	fmt.Fprintf(w, "event: %s\ndata: %s\n\n", typ, strings.ReplaceAll(data, "\n", "\ndata: "))
	w.(http.Flusher).Flush()
}
