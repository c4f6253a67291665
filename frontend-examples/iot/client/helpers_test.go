package client

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"strconv"
	"sync"
	"testing"
	"time"
)

// wire is the server's bundle.Bundle, field for field, so tests sign
// exactly what the server would.
type wire struct {
	Format      int       `json:"format"`
	Screen      string    `json:"screen"`
	Channel     string    `json:"channel"`
	Device      string    `json:"device"`
	Locale      string    `json:"locale"`
	Version     string    `json:"version"`
	GeneratedAt time.Time `json:"generatedAt"`
	ExpiresAt   time.Time `json:"expiresAt"`
	KeyID       string    `json:"keyId"`
	Frames      []Frame   `json:"frames"`
	Assets      []Asset   `json:"assets"`
	Signature   string    `json:"signature,omitempty"`
}

type testKey struct {
	priv ed25519.PrivateKey
	kid  string
}

func newKey(t testing.TB) testKey {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(pub)
	return testKey{priv: priv, kid: base64.RawURLEncoding.EncodeToString(sum[:])[:16]}
}

func (k testKey) jwk() JWK {
	return JWK{Kid: k.kid, Kty: "OKP", Crv: "Ed25519", Use: "sig", Alg: "EdDSA",
		X: base64.RawURLEncoding.EncodeToString(k.priv.Public().(ed25519.PublicKey))}
}

func keySet(ks ...testKey) KeySet {
	out := KeySet{Keys: []JWK{}}
	for _, k := range ks {
		out.Keys = append(out.Keys, k.jwk())
	}
	return out
}

// sign encodes w as the server does: the signature appended last.
func (k testKey) sign(t testing.TB, w wire) []byte {
	t.Helper()
	w.KeyID, w.Signature = k.kid, ""
	msg, err := json.Marshal(w)
	if err != nil {
		t.Fatal(err)
	}
	sig := base64.RawURLEncoding.EncodeToString(ed25519.Sign(k.priv, msg))
	return append(msg[:len(msg)-1:len(msg)-1], `,"signature":"`+sig+`"}`...)
}

var t0 = time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC)

// screen is a lobby screen whose hero shows title under variant.
func screen(variant, title string) *Screen {
	d := Decision{Variant: variant, Reason: "test"}
	return &Screen{ID: "e1", Type: "screen", Slug: "lobby", Locale: "en", Version: 1,
		Fields: map[string]any{"title": "Lobby"}, Decision: Decision{Variant: "default", Reason: "test"},
		Blocks: []Block{{ID: "lobby-hero", Type: "hero", Fields: map[string]any{"title": title}, Decision: d}}}
}

// lobby is a bundle generated at gen with epoch, showing "Welcome" and
// the titles given at each boundary after it.
func lobby(epoch int64, gen time.Time, changes ...change) wire {
	w := wire{Format: 1, Screen: "lobby", Channel: "kiosk", Device: "kiosk", Locale: "en",
		Version: strconv.FormatInt(epoch, 10) + "-0123456789abcdef", GeneratedAt: gen,
		ExpiresAt: gen.Add(72 * time.Hour), Assets: []Asset{}}
	w.Frames = []Frame{{ValidFrom: gen, ValidUntil: w.ExpiresAt, Key: "k0", Content: screen("kiosk", "Welcome")}}
	for i, ch := range changes {
		last := &w.Frames[len(w.Frames)-1]
		last.ValidUntil = ch.at
		w.Frames = append(w.Frames, Frame{ValidFrom: ch.at, ValidUntil: w.ExpiresAt,
			Key: "k" + strconv.Itoa(i+1), Content: screen(ch.variant, ch.title)})
	}
	return w
}

type change struct {
	at             time.Time
	variant, title string
}

// clock is a settable local clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// logBuffer captures a logger's output.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func (l *logBuffer) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug}))
}
