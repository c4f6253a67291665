package personalization

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/mileusna/useragent"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/measurement/consent"
	"github.com/mosaichq/mosaic/measurement/profile"
)

// Context is everything the engine knows about one request's visitor. The
// delivery layer builds it from the GraphQL ExperienceContext input.
//
// Device, Channel and Locale are context-level facts: they are used
// whatever the visitor consented to. Segments and Traits are used only
// with the personalization purpose, and VisitorID buckets experiments
// only with measurement (see the package doc and measurement/consent).
type Context struct {
	// VisitorID is the stable, opaque visitor identifier used for sticky
	// experiment bucketing. Empty means anonymous: never bucketed.
	VisitorID string
	// Segments are explicit segment keys sent by the client or a CDP.
	Segments []string
	// Traits are free-form visitor attributes, as decoded from JSON
	// (numbers may be float64 or json.Number). Segment rules read them as
	// `traits`.
	Traits map[string]any
	// Device is a Registry device token ("mobile", "desktop", ...) or "".
	Device string
	// Channel is a Registry channel token ("web", "app", ...) or "".
	Channel string
	// Locale is a BCP 47-ish tag such as "en" or "en-US", or "".
	Locale string
	// Arms pins experiment arms (experiment key → arm) for a visitor whose
	// person was exposed first on another device: first touch per
	// identity cluster (measurement/identity). A pinned arm that is no
	// longer open is ignored. Used only with measurement consent.
	Arms map[string]string
	// Purposes are what the visitor consented to (measurement/consent
	// reads them from the request); the zero Set grants none.
	Purposes consent.Set
	// Profile is the person's behaviour (measurement/profile): what
	// events and profile read in segment rules. Nil is an empty history.
	// Used only with personalization consent. Not part of a JSON
	// encoding: a request has one profile per visitor id.
	Profile *profile.Profile `json:"-"`
	// Caps counts the person's exposures to capped targets (nil: nobody
	// can be counted, so capped targets are not shown). Delivery sets it
	// from memory (measurement/capcount); it is not part of the class.
	Caps CapCounter `json:"-"`
	// At is the instant to decide at. The delivery layer sets it to the
	// request time (or an editor's preview instant). Zero means "now" as
	// given by Options.Now.
	At time.Time
}

// Registry lists the device and channel tokens the platform knows. Unknown
// values in a request are a client mistake, rejected by Validate, rather
// than silently matching nothing.
type Registry struct {
	Devices  []string
	Channels []string
}

// DefaultRegistry returns the built-in device and channel tokens. It returns
// fresh slices, so callers may append their own.
func DefaultRegistry() Registry {
	return Registry{
		Devices:  []string{"mobile", "tablet", "desktop", "tv", "watch", "kiosk"},
		Channels: []string{"web", "app", "kiosk", "email", "iot"},
	}
}

// Validate reports an unknown device or channel in c as BAD_USER_INPUT, with
// one field error per bad value naming the allowed ones. Empty device and
// channel are fine: they just match no device/channel targeting.
func (r Registry) Validate(c Context) error {
	var fields []errs.FieldError
	if c.Device != "" && !slices.Contains(r.Devices, c.Device) {
		fields = append(fields, unknownToken("context.device", "device", c.Device, r.Devices))
	}
	if c.Channel != "" && !slices.Contains(r.Channels, c.Channel) {
		fields = append(fields, unknownToken("context.channel", "channel", c.Channel, r.Channels))
	}
	if len(fields) == 0 {
		return nil
	}
	return errs.Invalid(fields[0].Message, fields...)
}

func unknownToken(path, what, got string, allowed []string) errs.FieldError {
	return errs.FieldError{
		Path:    path,
		Message: fmt.Sprintf("unknown %s %q; allowed: %s", what, got, strings.Join(allowed, ", ")),
	}
}

// TV and watch user agents are not classified by the useragent library
// (Android TVs and watches report as mobile), so we look for their
// well-known markers first. Matching is on the lower-cased string.
var (
	tvMarkers = []string{
		"smarttv", "smart-tv", "smart tv", "googletv", "google tv", "android tv",
		"appletv", "apple tv", "crkey", "hbbtv", "bravia", "roku", "web0s",
		"netcast", "; aftb", "; afts", "; aftm", "; aftt", "fire tv", "tizen tv",
	}
	watchMarkers = []string{"watchos", "watch os", "wear os", "wearos", "apple watch", "wearable"}
)

// DeviceFromUserAgent maps a User-Agent header to a DefaultRegistry device:
// "tv" or "watch" when a known marker is present, otherwise "mobile",
// "tablet" or "desktop" as classified by github.com/mileusna/useragent.
// It returns "" for bots and for agents it cannot classify, so that no
// device targeting matches them.
func DeviceFromUserAgent(ua string) string {
	if strings.TrimSpace(ua) == "" {
		return ""
	}
	parsed := useragent.Parse(ua)
	if parsed.Bot {
		return ""
	}
	lower := strings.ToLower(ua)
	for _, m := range tvMarkers {
		if strings.Contains(lower, m) {
			return "tv"
		}
	}
	for _, m := range watchMarkers {
		if strings.Contains(lower, m) {
			return "watch"
		}
	}
	switch {
	case parsed.Tablet:
		return "tablet"
	case parsed.Mobile:
		return "mobile"
	case parsed.Desktop:
		return "desktop"
	}
	return ""
}
