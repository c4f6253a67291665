package bundle

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/mosaichq/mosaic/assets"
	"github.com/mosaichq/mosaic/campaign"
	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/delivery"
	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/experience"
	"github.com/mosaichq/mosaic/measurement"
	"github.com/mosaichq/mosaic/measurement/consent"
	"github.com/mosaichq/mosaic/personalization"
)

const (
	// DefaultHorizon is how far ahead a bundle reaches unless asked.
	DefaultHorizon = 72 * time.Hour
	// MaxHorizon bounds the horizon a client may ask for.
	MaxHorizon = 14 * 24 * time.Hour
	// ScreenType is the content type a screen is an entry of.
	ScreenType = "screen"
	// maxFrames bounds the instants one bundle is decided at.
	maxFrames = 500
)

// Bundle is the signed document. Field order is the encoding order, and
// Signature must stay last (see the package comment).
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
	Signature   string    `json:"signature,omitempty"`
}

// Frame is the screen as it is shown during [ValidFrom, ValidUntil).
type Frame struct {
	ValidFrom  time.Time `json:"validFrom"`
	ValidUntil time.Time `json:"validUntil"`
	// Key names what the screen shows from this frame on: a hash of its
	// content and of every later frame with its start. Two frames with the
	// same key show the same thing from then on, whichever bundle they came
	// from, so a screen reports the key it shows and the fleet view compares
	// it with the server's current frame (versions differ as soon as a
	// frame has passed; keys do not).
	Key string `json:"key"`
	// DecisionID names the decision record of this frame when the bundle
	// was decided for a visitor (Request.VisitorID): a screen's view
	// events send it back. Absent from bundles decided for a context.
	DecisionID string `json:"decisionId,omitempty"`
	// Content is nil while the screen is not published.
	Content *Screen `json:"content"`
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

// Block is one decided block, its fields merged with the variant's.
type Block struct {
	ID       string         `json:"id"`
	Type     string         `json:"type"`
	Fields   map[string]any `json:"fields"`
	Decision Decision       `json:"decision"`
	// Budgets are the frequency caps of what the block shows, kept by
	// the screen offline (budget.go); absent without caps.
	Budgets []Budget `json:"budgets,omitempty"`
}

// Decision says which variant was chosen and why.
type Decision struct {
	Variant  string `json:"variant"`
	Reason   string `json:"reason"`
	Campaign string `json:"campaign,omitempty"`
}

// Asset is one manifest entry: what to fetch and how to check it. SHA256
// and Size are those of the bytes at URL (the device's rendition).
type Asset struct {
	ID          string `json:"id"`
	SHA256      string `json:"sha256"`
	Size        int64  `json:"size"`
	Filename    string `json:"filename"`
	ContentType string `json:"contentType"`
	URL         string `json:"url"`
	Width       int    `json:"width,omitempty"`
	Height      int    `json:"height,omitempty"`
	// Alt is the asset's alternative text in the bundle's locale (its
	// fallback chain); absent when none is written.
	Alt string `json:"alt,omitempty"`
}

// Document is a built bundle and its signed encoding.
type Document struct {
	Bundle Bundle
	// JSON is the signed document as served.
	JSON []byte
	// NextChange is the first frame boundary after GeneratedAt (or
	// ExpiresAt): until then, the bundle's version stays the same.
	NextChange time.Time
	// Decisions are the frames' decision records (a bundle decided for a
	// visitor), for whoever serves the document to write: the bundle
	// package writes nothing.
	Decisions []measurement.Decision
}

// AssetSource resolves asset ids to files and per-device renditions
// (*assets.Service).
type AssetSource interface {
	AssetsByIDs(ctx context.Context, ids []string) (map[string]assets.Asset, error)
	// VerifiedDelivery is the device's file with the SHA-256 and size of
	// the bytes its URL serves.
	VerifiedDelivery(ctx context.Context, a assets.Asset, device string) (assets.Delivered, string, int64, error)
}

// Builder builds bundles from the domain services.
type Builder struct {
	Content    *content.Service
	Experience *experience.Service
	Campaigns  *campaign.Service
	// Assets is nil when assets are not configured: the manifest is empty.
	Assets AssetSource
	Signer *Signer
	// Now is the clock (nil: the content service's).
	Now func() time.Time
	// CacheSize bounds the built bundles kept (0: DefaultCacheSize).
	CacheSize int
	// Decisions takes the decision records of bundles built for a
	// visitor (Record); nil: such bundles get no decision ids.
	Decisions delivery.Recorder

	cache bundleCache
}

// Request names the screen and the context it is shown in.
type Request struct {
	Screen  string
	Channel string
	Device  string
	Locale  string
	// Horizon is how far ahead to decide (0: DefaultHorizon).
	Horizon time.Duration
	// VisitorID, when set, is a kiosk session's visitor: the bundle is
	// decided for it (experiments bucket on it), never cached or shared,
	// and each frame gets a decision record and its id.
	VisitorID string
}

// MaxVisitorID bounds a visitor id a bundle is asked for.
const MaxVisitorID = 128

// Build decides the screen now and at every transition in
// [now, now+horizon), and signs the result.
func (b *Builder) Build(ctx context.Context, req Request) (*Document, error) {
	if req.Horizon == 0 {
		req.Horizon = DefaultHorizon
	}
	if req.Horizon < 0 || req.Horizon > MaxHorizon {
		return nil, errs.Invalid("horizon must be between 1 hour and 336 hours (14 days)",
			errs.FieldError{Path: "horizon", Message: "between 1 and 336 hours"})
	}
	if req.Screen == "" {
		return nil, errs.Invalid("screen is required", errs.FieldError{Path: "screen", Message: "required"})
	}
	if len(req.VisitorID) > MaxVisitorID {
		return nil, errs.Invalid(fmt.Sprintf("visitorId is longer than %d characters", MaxVisitorID),
			errs.FieldError{Path: "visitorId", Message: fmt.Sprintf("at most %d characters", MaxVisitorID)})
	}
	if req.Locale == "" {
		req.Locale = b.Content.Locales().Default
	}
	now := b.now().UTC().Truncate(time.Millisecond)
	end := now.Add(req.Horizon)
	instants, err := b.instants(ctx, now, end)
	if err != nil {
		return nil, err
	}
	ctype, err := b.Content.ContentType(ctx, ScreenType)
	if err != nil {
		return nil, err
	}
	var frames []Frame
	var shown [][]byte            // frames[i].Content, encoded
	var decided []*delivery.Entry // frames[i]'s decision
	assetIDs := []string{}
	for i, at := range instants {
		until := end
		if i+1 < len(instants) {
			until = instants[i+1]
		}
		scr, entry, err := b.decide(ctx, req, at)
		if err != nil {
			return nil, err
		}
		if i == 0 && scr == nil {
			return nil, errs.E(errs.NotFound, "no published screen %q in locale %s", req.Screen, req.Locale)
		}
		if scr != nil {
			b.collectAssets(ctx, ctype, scr, &assetIDs)
		}
		// Each decided screen is encoded once: the encoding merges equal
		// neighbours and is what frame keys hash.
		enc, err := json.Marshal(scr)
		if err != nil {
			return nil, fmt.Errorf("encoding a frame: %w", err)
		}
		if n := len(frames); n > 0 && bytes.Equal(shown[n-1], enc) {
			frames[n-1].ValidUntil = until
			continue
		}
		frames = append(frames, Frame{ValidFrom: at, ValidUntil: until, Content: scr})
		shown, decided = append(shown, enc), append(decided, entry)
	}
	frameKeys(frames, shown)
	var records []measurement.Decision
	if b.Decisions != nil {
		records = decisionRecords(req, frames, decided)
	}
	manifest, err := b.manifest(ctx, assetIDs, req.Device, req.Locale)
	if err != nil {
		return nil, err
	}
	epoch, err := b.Content.CurrentEpoch(ctx)
	if err != nil {
		return nil, err
	}
	bun := Bundle{Format: 1, Screen: req.Screen, Channel: req.Channel, Device: req.Device, Locale: req.Locale,
		GeneratedAt: now, ExpiresAt: end, KeyID: b.Signer.KeyID(), Frames: frames, Assets: manifest}
	bun.Version, err = version(epoch, bun)
	if err != nil {
		return nil, err
	}
	doc, err := b.sign(&bun)
	if err != nil {
		return nil, err
	}
	next := end
	if len(frames) > 1 {
		next = frames[1].ValidFrom
	}
	return &Document{Bundle: bun, JSON: doc, NextChange: next, Decisions: records}, nil
}

// Record writes doc's decision records (a bundle built for a visitor),
// when it is sent: a screen answered 304 keeps the ids it has.
func (b *Builder) Record(doc *Document) {
	if b.Decisions == nil {
		return
	}
	for _, d := range doc.Decisions {
		b.Decisions.Record(d)
	}
}

// decisionRecords gives each published frame of a bundle decided for a
// visitor a decision record, timed at the frame's start (the instant it
// was decided for), and its id. A bundle for a context gets none: no
// visitor, no record.
func decisionRecords(req Request, frames []Frame, decided []*delivery.Entry) []measurement.Decision {
	if req.VisitorID == "" {
		return nil
	}
	var out []measurement.Decision
	for i := range frames {
		e := decided[i]
		if e == nil || e.Visitor == nil {
			continue
		}
		d, ok := delivery.NewDecision(e, frames[i].ValidFrom)
		if !ok {
			continue
		}
		frames[i].DecisionID = d.ID
		out = append(out, d)
	}
	return out
}

func (b *Builder) now() time.Time {
	if b.Now != nil {
		return b.Now()
	}
	return b.Content.Now()
}

// instants are now and every campaign transition and scheduled
// publication in (now, end), sorted and distinct.
func (b *Builder) instants(ctx context.Context, now, end time.Time) ([]time.Time, error) {
	out := []time.Time{now}
	if b.Campaigns != nil {
		ts, err := b.Campaigns.Transitions(ctx, now, end)
		if err != nil {
			return nil, err
		}
		for _, t := range ts {
			out = append(out, t.At.UTC())
		}
	}
	for t := now; len(out) < maxFrames; {
		next, ok, err := b.Content.NextPublication(ctx, t)
		if err != nil {
			return nil, err
		}
		if !ok || !next.Before(end) {
			break
		}
		out = append(out, next.UTC())
		t = next
	}
	slices.SortFunc(out, func(a, b time.Time) int { return a.Compare(b) })
	out = slices.CompactFunc(out, func(a, b time.Time) bool { return a.Equal(b) })
	if len(out) > maxFrames {
		out = out[:maxFrames]
	}
	return out, nil
}

// decide reads and decides the screen at instant at, as delivery decides
// every entry; nil: not published.
func (b *Builder) decide(ctx context.Context, req Request, at time.Time) (*Screen, *delivery.Entry, error) {
	res, err := b.Content.EntryAt(ctx, ScreenType, req.Screen, req.Locale, at)
	if err != nil || res == nil {
		return nil, nil, err
	}
	var v *experience.Visitor
	// Caps on a shared screen are the screen's budgets (budget.go):
	// decided with nothing spent, spent by the screen offline.
	c := personalization.Context{Channel: req.Channel, Device: req.Device,
		Locale: req.Locale, At: at, Purposes: consent.All, VisitorID: req.VisitorID, Caps: screenCounter{}}
	if b.Experience != nil {
		v, err = b.Experience.Visitor(ctx, c)
		if err != nil {
			return nil, nil, err
		}
	}
	d := delivery.Decide(res, req.Locale, v, at, false)
	scr := &Screen{ID: res.ID, Type: res.Type, Slug: res.Slug, Locale: res.Locale, Version: res.Version,
		Fields: d.Fields, Decision: decision(d.Decision), Blocks: make([]Block, len(d.Blocks))}
	for i, bl := range d.Blocks {
		scr.Blocks[i] = Block{ID: bl.Stored.ID, Type: bl.Stored.Type, Fields: bl.Fields, Decision: decision(bl.Decision)}
	}
	if v != nil {
		if err := b.budgets(ctx, c, res, d, scr); err != nil {
			return nil, nil, err
		}
	}
	return scr, d, nil
}

// ValidateContext checks channel and device against the registry.
func (b *Builder) ValidateContext(req Request) error {
	if b.Experience == nil {
		return nil
	}
	return b.Experience.Registry().Validate(personalization.Context{Channel: req.Channel, Device: req.Device})
}

func decision(d personalization.Decision) Decision {
	return Decision{Variant: d.Variant, Reason: d.Reason, Campaign: d.Campaign}
}

// version is the content epoch, then a hash of what the screen shows and
// when it changes (not of when the bundle was built) — the first frame's
// key covers every frame — and of the manifest: the same content and
// boundaries give the same version, and a write raises the epoch.
func version(epoch int64, bun Bundle) (string, error) {
	j, err := json.Marshal(struct {
		S, C, D, L, K, F string
		A                []Asset
	}{bun.Screen, bun.Channel, bun.Device, bun.Locale, bun.KeyID, bun.Frames[0].Key, bun.Assets})
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(j)
	return strconv.FormatInt(epoch, 10) + "-" + hex.EncodeToString(sum[:8]), nil
}

// frameKeys sets each frame's Key from its encoded content, from the last
// frame back: a frame's key hashes its content, the next frame's start
// and the next frame's key. The first frame's start and the horizon's end
// are left out, so that the keys of a bundle built later (its first frame
// starting later, its horizon reaching further without a new transition)
// match as long as nothing shown changed.
func frameKeys(frames []Frame, shown [][]byte) {
	next := ""
	for i := len(frames) - 1; i >= 0; i-- {
		h := sha256.New()
		h.Write(shown[i])
		if next != "" {
			fmt.Fprintf(h, "\x00%d\x00%s", frames[i+1].ValidFrom.UnixMilli(), next)
		}
		frames[i].Key = hex.EncodeToString(h.Sum(nil)[:16])
		next = frames[i].Key
	}
}

// sign sets bun.Signature and returns the served document.
func (b *Builder) sign(bun *Bundle) ([]byte, error) {
	bun.Signature = ""
	msg, err := json.Marshal(bun)
	if err != nil {
		return nil, fmt.Errorf("encoding the bundle: %w", err)
	}
	bun.Signature = b.Signer.Sign(msg)
	doc := append(msg[:len(msg)-1:len(msg)-1], `,"signature":"`+bun.Signature+`"}`...)
	return doc, nil
}

// SignedBytes splits a served document into the signed bytes, the
// signature and the key id: the document must end with its signature
// member, which is removed.
func SignedBytes(doc []byte) (msg, sig []byte, kid string, err error) {
	var head struct {
		KeyID     string `json:"keyId"`
		Signature string `json:"signature"`
	}
	if err := json.Unmarshal(doc, &head); err != nil {
		return nil, nil, "", fmt.Errorf("bundle: %w", err)
	}
	suffix := `,"signature":"` + head.Signature + `"}`
	if head.Signature == "" || !bytes.HasSuffix(doc, []byte(suffix)) {
		return nil, nil, "", errors.New("bundle: the signature is not the document's last member")
	}
	sig, err = base64.RawURLEncoding.DecodeString(head.Signature)
	if err != nil {
		return nil, nil, "", errors.New("bundle: the signature is not base64url")
	}
	msg = append(bytes.Clone(doc[:len(doc)-len(suffix)]), '}')
	return msg, sig, head.KeyID, nil
}

// HorizonHours turns a client's horizon in hours (nil: the default) into
// a duration, BAD_USER_INPUT outside 1..336.
func HorizonHours(h *int) (time.Duration, error) {
	if h == nil {
		return DefaultHorizon, nil
	}
	if *h < 1 || time.Duration(*h)*time.Hour > MaxHorizon {
		return 0, errs.Invalid("horizon must be between 1 and 336 hours (14 days)",
			errs.FieldError{Path: "horizon", Message: "between 1 and 336 hours"})
	}
	return time.Duration(*h) * time.Hour, nil
}
