package client

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestHeartbeatClockOffset(t *testing.T) {
	f := newFake(t)
	var bodies []map[string]any
	var mu sync.Mutex
	f.heartbeat = func(w http.ResponseWriter, r *http.Request) {
		dec := json.NewDecoder(r.Body)
		var b map[string]any
		if err := dec.Decode(&b); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		mu.Lock()
		bodies = append(bodies, b)
		mu.Unlock()
		// The server's clock is 5 s ahead of ours.
		_ = json.NewEncoder(w).Encode(map[string]any{
			"serverTime": time.Now().Add(5 * time.Second).UTC().Format(time.RFC3339Nano), "interval": 12})
	}
	c := f.client(Config{})
	ctx := context.Background()
	if _, err := c.Fetch(ctx); err != nil {
		t.Fatal(err)
	}
	c.Player().Step()
	interval, err := c.Heartbeat(ctx)
	if err != nil || interval != 12*time.Second {
		t.Fatalf("interval %s, %v", interval, err)
	}
	if off := c.Player().Offset(); off < 4950*time.Millisecond || off > 5050*time.Millisecond {
		t.Fatalf("offset %s, want about 5s", off)
	}
	if _, err := c.Heartbeat(ctx); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"screenId": "unit-1", "bundleVersion": "1-0123456789abcdef", "frame": "k0",
		"channel": "kiosk", "device": "kiosk", "locale": "en", "client": "mosaic-iot/1"}
	for k, v := range want {
		if bodies[1][k] != v {
			t.Errorf("%s = %v, want %v", k, bodies[1][k], v)
		}
	}
	if len(bodies[1]) != len(want)+1 {
		t.Errorf("fields %v: want exactly those of the contract", bodies[1])
	}
	// The fleet's convention: device clock minus server clock.
	if ms, _ := bodies[1]["clockOffsetMs"].(float64); ms > -4950 || ms < -5050 {
		t.Errorf("the second heartbeat reports offset %v ms, want about -5000 (this clock is 5 s behind)", bodies[1]["clockOffsetMs"])
	}

	f.heartbeat = nil // an older server: 404
	if _, err := c.Heartbeat(ctx); err != errNoHeartbeat {
		t.Fatalf("got %v, want errNoHeartbeat", err)
	}
}

// An event makes the client refetch at once; a reconnect resumes with
// Last-Event-ID.
func TestEventsRefetchAndResume(t *testing.T) {
	f := newFake(t)
	var mu sync.Mutex
	var lastIDs []string
	f.events = func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		lastIDs = append(lastIDs, r.Header.Get("Last-Event-ID"))
		n := len(lastIDs)
		mu.Unlock()
		w.Header().Set("Content-Type", "text/event-stream")
		if r.URL.Query().Get("screen") != "lobby" || r.URL.Query().Get("channel") != "kiosk" {
			http.Error(w, "bad filter", http.StatusBadRequest)
			return
		}
		sse(w, "", "ready", `{"lastEventId":"7"}`)
		if n == 1 {
			time.Sleep(100 * time.Millisecond)
			f.serve(lobby(2, t0, change{t0.Add(time.Hour), "sale", "Sale"}))
			sse(w, "8", "campaign.started", `{"id":"8","type":"campaign.started"}`)
			time.Sleep(100 * time.Millisecond)
			return // drop the connection
		}
		<-r.Context().Done()
	}
	f.maxAge = 3600 // only events can make it fetch again
	c := f.client(Config{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{})
	go func() { _ = c.Run(ctx); close(done) }()
	eventually(t, 3*time.Second, "the bundle of epoch 2", func() bool {
		b := c.Player().Bundle()
		return b != nil && b.Version == "2-0123456789abcdef"
	})
	eventually(t, 3*time.Second, "a reconnect", func() bool { return c.Stats().Streams >= 2 })
	mu.Lock()
	if lastIDs[0] != "" || lastIDs[1] != "8" {
		t.Errorf("Last-Event-ID sent: %q, want \"\" then \"8\"", lastIDs)
	}
	mu.Unlock()
	cancel()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}
}

func TestAssetDownload(t *testing.T) {
	f := newFake(t)
	img := []byte("not really a png")
	sum := sha256.Sum256(img)
	f.assets["a.png"], f.assets["b.png"], f.assets["big.png"] = img, img, make([]byte, 2048)
	dir := t.TempDir()
	logs := &logBuffer{}
	c := f.client(Config{StateDir: dir, Assets: true, AssetMaxBytes: 1024, Log: logs.logger()})
	ctx := context.Background()
	good := Asset{ID: "a1", SHA256: hex.EncodeToString(sum[:]), Filename: "hero.png", URL: "/assets/a.png"}
	wrong := Asset{ID: "../b2", SHA256: strings.Repeat("0", 64), Filename: "map.png", URL: "/assets/b.png"}
	big := Asset{ID: "c3", Filename: "big.png", URL: "/assets/big.png"}

	path, err := c.downloadAsset(ctx, good)
	if got, _ := os.ReadFile(path); err != nil || string(got) != string(img) {
		t.Fatalf("good asset: %v", err)
	}
	path, err = c.downloadAsset(ctx, wrong)
	if err != nil || !strings.HasPrefix(path, dir) || !strings.Contains(logs.String(), "differs from the manifest") {
		t.Fatalf("a checksum mismatch is kept and logged: %s, %v\n%s", path, err, logs)
	}
	if _, err := c.downloadAsset(ctx, big); err == nil {
		t.Fatal("downloaded an asset over the size limit")
	}
}
