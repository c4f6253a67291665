package delivery

import (
	"context"
	"strings"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/errs"
)

// Policy is the server's delivery setting.
type Policy struct {
	// RequireAPIKey refuses anonymous delivery (MOSAIC_PUBLIC_DELIVERY
	// off, the default outside dev).
	RequireAPIKey bool
}

// Authorize is the one rule for reading published content: a credential
// that was sent but refused (expired token, revoked key, an outage while
// verifying it) is that refusal — it must not quietly read as anonymous —
// and an anonymous caller is refused when public delivery is off.
func (p Policy) Authorize(ctx context.Context) error {
	if err := auth.ErrorFromContext(ctx); err != nil {
		return err
	}
	if _, ok := auth.FromContext(ctx); ok || !p.RequireAPIKey {
		return nil
	}
	return errs.E(errs.Unauthenticated, "an API key is required: send X-API-Key: <key> (public delivery is off on this server)")
}

// Channel applies an API key's channel scope to the channel a request
// asks for: a key limited to one channel speaks for it when the request
// names none; any other channel is FORBIDDEN. param says where the request
// names its channel ("context.channel", "channel="), for the refusal.
func Channel(ctx context.Context, channel, param string) (string, error) {
	p, ok := auth.FromContext(ctx)
	if !ok || p.ChannelAllowed(channel) {
		return channel, nil
	}
	if channel == "" {
		if len(p.Channels) == 1 {
			return p.Channels[0], nil
		}
		return "", errs.E(errs.Forbidden, "this API key is limited to channels %s: set %s to one of them",
			strings.Join(p.Channels, ", "), param)
	}
	return "", errs.E(errs.Forbidden, "this API key may not be used on channel %q (allowed: %s)", channel, strings.Join(p.Channels, ", "))
}

// Preview refuses reading drafts (preview) or another instant (time
// travel, `at`) to callers without the preview permission.
func Preview(ctx context.Context) error {
	if err := auth.ErrorFromContext(ctx); err != nil {
		return err
	}
	if p, ok := auth.FromContext(ctx); !ok || !p.Can(auth.PermPreview) {
		return errs.E(errs.Forbidden,
			"context.at and context.preview need a token with permission %s (preview or editor tokens)", auth.PermPreview)
	}
	return nil
}
