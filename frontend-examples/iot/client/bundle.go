package client

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Bundle is the part of a served bundle the display reads. It is decoded
// only after its bytes verified; Raw keeps those bytes for the state dir.
type Bundle struct {
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

	Raw   []byte `json:"-"`
	epoch int64
}

// Frame is the screen as shown during [ValidFrom, ValidUntil).
type Frame struct {
	ValidFrom  time.Time `json:"validFrom"`
	ValidUntil time.Time `json:"validUntil"`
	// Key is the server's hash of this frame and all later ones; older
	// servers omit it and Parse derives one from the content.
	Key string `json:"key"`
	// Content is nil while the screen is not published.
	Content *Screen `json:"content"`

	shown string // hash of Content alone: what the display shows
}

// Screen is the decided screen entry.
type Screen struct {
	ID       string         `json:"id"`
	Type     string         `json:"type"`
	Slug     string         `json:"slug"`
	Locale   string         `json:"locale"`
	Version  int            `json:"version"`
	Fields   map[string]any `json:"fields"`
	Decision Decision       `json:"decision"`
	Blocks   []Block        `json:"blocks"`
}

// Block is one decided block.
type Block struct {
	ID       string         `json:"id"`
	Type     string         `json:"type"`
	Fields   map[string]any `json:"fields"`
	Decision Decision       `json:"decision"`
}

// Decision says which variant was chosen and why.
type Decision struct {
	Variant  string `json:"variant"`
	Reason   string `json:"reason"`
	Campaign string `json:"campaign,omitempty"`
}

// Asset is one manifest entry.
type Asset struct {
	ID          string `json:"id"`
	SHA256      string `json:"sha256"`
	Size        int64  `json:"size"`
	Filename    string `json:"filename"`
	ContentType string `json:"contentType"`
	URL         string `json:"url"`
	Width       int    `json:"width,omitempty"`
	Height      int    `json:"height,omitempty"`
}

// ErrReplay is a bundle older than the one already held: an attacker (or
// a stale cache) serving a validly signed old schedule.
var ErrReplay = errors.New("bundle: older than the current one (replay)")

// Parse decodes a verified document and checks it is usable: known
// format, a parsable version, contiguous frames inside its lifetime.
func Parse(doc []byte) (*Bundle, error) {
	var b Bundle
	if err := json.Unmarshal(doc, &b); err != nil {
		return nil, fmt.Errorf("bundle: %w", err)
	}
	if b.Format != 1 {
		return nil, fmt.Errorf("bundle: unsupported format %d", b.Format)
	}
	epoch, err := Epoch(b.Version)
	if err != nil {
		return nil, err
	}
	if len(b.Frames) == 0 {
		return nil, errors.New("bundle: no frames")
	}
	for i := range b.Frames {
		f := &b.Frames[i]
		if !f.ValidFrom.Before(f.ValidUntil) {
			return nil, fmt.Errorf("bundle: frame %d ends before it starts", i)
		}
		if i > 0 && !f.ValidFrom.Equal(b.Frames[i-1].ValidUntil) {
			return nil, fmt.Errorf("bundle: frame %d does not start where frame %d ends", i, i-1)
		}
		c, _ := json.Marshal(f.Content)
		sum := sha256.Sum256(c)
		f.shown = hex.EncodeToString(sum[:])
		if f.Key == "" {
			f.Key = f.shown[:16]
		}
	}
	b.Raw, b.epoch = doc, epoch
	return &b, nil
}

// Epoch reads the content epoch from a version "<epoch>-<hash>".
func Epoch(version string) (int64, error) {
	head, _, ok := strings.Cut(version, "-")
	n, err := strconv.ParseInt(head, 10, 64)
	if !ok || err != nil || n < 0 {
		return 0, fmt.Errorf("bundle: version %q is not <epoch>-<hash>", version)
	}
	return n, nil
}

// Supersedes reports whether b may replace cur: (epoch, generatedAt) must
// not go backwards. Equal is accepted, so a refetch of the same document
// is harmless.
func (b *Bundle) Supersedes(cur *Bundle) error {
	if cur == nil {
		return nil
	}
	if b.epoch < cur.epoch || b.epoch == cur.epoch && b.GeneratedAt.Before(cur.GeneratedAt) {
		return fmt.Errorf("%w: %s generated %s, holding %s generated %s", ErrReplay,
			b.Version, b.GeneratedAt.Format(time.RFC3339Nano), cur.Version, cur.GeneratedAt.Format(time.RFC3339Nano))
	}
	return nil
}

// For checks that b is the screen and context asked for: a validly signed
// bundle of another screen must not be shown in its place.
func (b *Bundle) For(screen, channel, device, locale string) error {
	if b.Screen != screen || b.Channel != channel || b.Device != device || !sameLocale(b.Locale, locale) {
		return fmt.Errorf("bundle: it is for %s/%s/%s/%s, not %s/%s/%s/%s",
			b.Screen, b.Channel, b.Device, b.Locale, screen, channel, device, locale)
	}
	return nil
}

// sameLocale accepts the server's resolution of an empty locale to its
// default; any locale asked for must come back as asked.
func sameLocale(got, want string) bool { return want == "" || strings.EqualFold(got, want) }

// FrameAt is the index of the frame whose [validFrom, validUntil) holds
// t, or -1.
func (b *Bundle) FrameAt(t time.Time) int {
	for i, f := range b.Frames {
		if !t.Before(f.ValidFrom) && t.Before(f.ValidUntil) {
			return i
		}
	}
	return -1
}

// Hero is the first hero block of a frame, or nil.
func (f *Frame) Hero() *Block {
	if f.Content == nil {
		return nil
	}
	for i := range f.Content.Blocks {
		if f.Content.Blocks[i].Type == "hero" {
			return &f.Content.Blocks[i]
		}
	}
	return nil
}
