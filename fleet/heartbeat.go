package fleet

import (
	"fmt"
	"regexp"
	"time"

	"github.com/mosaichq/mosaic/errs"
)

// Bounds of what a heartbeat may carry. An open public endpoint writes
// these into a table, so everything is bounded and printable.
const (
	// MaxText bounds bundleVersion, frame and client.
	MaxText = 128
	// MaxClockOffsetMs is one year: a device further off than that has no
	// meaningful clock, and the bound keeps the value out of float noise.
	MaxClockOffsetMs = float64(365 * 24 * time.Hour / time.Millisecond)
	// maxSlug is content's bound on slugs.
	maxSlug = 200
)

var (
	screenIDPattern = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,64}$`)
	// slugPattern is content's rule for entry slugs (content/entry.go): a
	// heartbeat naming anything else could never match a screen.
	slugPattern = regexp.MustCompile(`^[a-z0-9]+(?:[-/][a-z0-9]+)*$`)
)

// Heartbeat is what one unit reports. Empty strings are absent values.
type Heartbeat struct {
	// ScreenID names the physical unit; many units may show one screen.
	ScreenID string
	// Screen is the slug of the screen entry shown.
	Screen        string
	Channel       string
	Device        string
	Locale        string
	BundleVersion string
	// Frame is the key of the bundle frame on display (bundle.Frame.Key).
	Frame string
	// ClockOffsetMs is the device clock minus the server clock; nil when
	// the device did not measure it.
	ClockOffsetMs *float64
	Client        string
	// Address is the client address the server saw, Caller the
	// credential's subject ("" anonymous): not reported, they decide whose
	// budget a new screenId is charged to.
	Address string
	Caller  string
}

// ValidSlug reports whether s could be a screen's slug.
func ValidSlug(s string) bool { return len(s) <= maxSlug && slugPattern.MatchString(s) }

// Validate checks the heartbeat's shape; the channel, device and locale are
// checked against the configuration by [Service.Record]. Every problem is
// listed, each under the field's name in the JSON body.
func (h Heartbeat) Validate() error {
	var fields []errs.FieldError
	add := func(path, msg string) { fields = append(fields, errs.FieldError{Path: path, Message: msg}) }
	if msg := screenIDProblem(h.ScreenID); msg != "" {
		add("screenId", msg)
	}
	if !ValidSlug(h.Screen) {
		add("screen", "not a slug (lower-case letters and digits, joined by '-' or '/', at most 200)")
	}
	for _, f := range []struct{ path, v string }{{"bundleVersion", h.BundleVersion}, {"frame", h.Frame}, {"client", h.Client}} {
		if msg := checkText(f.v); msg != "" {
			add(f.path, msg)
		}
	}
	if o := h.ClockOffsetMs; o != nil && (*o > MaxClockOffsetMs || *o < -MaxClockOffsetMs) {
		add("clockOffsetMs", fmt.Sprintf("must be between %.0f and %.0f (one year)", -MaxClockOffsetMs, MaxClockOffsetMs))
	}
	if len(fields) == 0 {
		return nil
	}
	return errs.Invalid("invalid heartbeat: "+fields[0].Path+": "+fields[0].Message, fields...)
}

// screenIDProblem returns why id cannot name a unit, or "": the rule of
// heartbeats, and of everything else that names a unit.
func screenIDProblem(id string) string {
	switch {
	case id == "":
		return "required"
	case !screenIDPattern.MatchString(id):
		return "1 to 64 characters of A-Z, a-z, 0-9, '.', '_', ':' or '-'"
	}
	return ""
}

// checkText returns why s is not a short printable ASCII string, or "".
func checkText(s string) string {
	if len(s) > MaxText {
		return fmt.Sprintf("at most %d characters", MaxText)
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return "printable ASCII only"
		}
	}
	return ""
}
