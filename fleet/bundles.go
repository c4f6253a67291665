package fleet

import (
	"context"
	"strings"
	"time"

	"github.com/mosaichq/mosaic/bundle"
	"github.com/mosaichq/mosaic/errs"
)

// BundleSource is the Source of a bundle builder: the same registry and
// locales the bundle endpoint checks, the same bundle it would serve.
type BundleSource struct{ Builder *bundle.Builder }

// CheckContext implements Source.
func (s BundleSource) CheckContext(channel, device, locale string) error {
	if err := s.Builder.ValidateContext(bundle.Request{Channel: channel, Device: device}); err != nil {
		return bodyPaths(err)
	}
	if locale != "" {
		if _, err := s.Builder.Content.Locales().Chain(locale); err != nil {
			return err
		}
	}
	return nil
}

// Current implements Source.
func (s BundleSource) Current(ctx context.Context, k Key) (Current, error) {
	doc, err := s.Builder.Get(ctx, bundle.Request{Screen: k.Screen, Channel: k.Channel, Device: k.Device, Locale: k.Locale})
	if err != nil {
		return Current{}, err
	}
	c := Current{Version: doc.Bundle.Version}
	if len(doc.Bundle.Frames) > 0 {
		c.Frame = doc.Bundle.Frames[0].Key
	}
	return c, nil
}

// Published implements Source, from the published-content cache.
func (s BundleSource) Published(ctx context.Context, screen, locale string) error {
	r, err := s.Builder.Content.EntryAt(ctx, bundle.ScreenType, screen, locale, time.Time{})
	if err != nil {
		return err
	}
	if r == nil {
		return errs.E(errs.NotFound, "no published screen %q: heartbeats are accepted only for published screens", screen)
	}
	return nil
}

// bodyPaths renames the registry's field paths (context.channel) to the
// heartbeat body's (channel), so a client sees the field it sent.
func bodyPaths(err error) error {
	e, ok := errs.As(err)
	if !ok {
		return err
	}
	out := *e
	out.Fields = make([]errs.FieldError, len(e.Fields))
	for i, f := range e.Fields {
		out.Fields[i] = errs.FieldError{Path: strings.TrimPrefix(f.Path, "context."), Message: f.Message}
	}
	return &out
}
