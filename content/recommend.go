package content

import (
	"fmt"
	"slices"
	"time"

	"github.com/mosaichq/mosaic/errs"
)

// Recommend is a reference-list field's recommendation source, set in the
// field's settings of its content type: every block (or entry) of the type
// delivers the recommended entries in that field, and the value editors
// stored there is the fallback — shown when there are no recommendations,
// and filling the list up to Limit when there are fewer. Delivery computes
// it per visitor (delivery/recommend.go, measurement/recommend).
type Recommend struct {
	// Source is popular, alsoViewed or recentlyViewed.
	Source string `json:"source"`
	// By is popular's audience: "" (everyone), device, channel or segment
	// (the visitor's own device, channel, or first segment).
	By string `json:"by,omitempty"`
	// Window is popular's, a Go duration: whole hours up to 24h, whole
	// days up to 720h (default 168h).
	Window string `json:"window,omitempty"`
	// Limit is how many entries are delivered (default: the field's max,
	// else 4; at most MaxRecommendLimit).
	Limit int `json:"limit,omitempty"`
	// Types keeps entries of these content types only; Tags keeps entries
	// whose "tags" field (text list) holds one of these.
	Types []string `json:"types,omitempty"`
	Tags  []string `json:"tags,omitempty"`
	// ExcludePurchased leaves out what the visitor's person bought.
	ExcludePurchased bool `json:"excludePurchased,omitempty"`
}

// Recommendation sources, audiences and bounds.
const (
	SourcePopular        = "popular"
	SourceAlsoViewed     = "alsoViewed"
	SourceRecentlyViewed = "recentlyViewed"
	MaxRecommendLimit    = 50
	// DefaultRecommendWindow is popular's window when none is set.
	DefaultRecommendWindow = 7 * 24 * time.Hour
)

var (
	recommendSources = []string{SourcePopular, SourceAlsoViewed, SourceRecentlyViewed}
	recommendBy      = []string{"", "device", "channel", "segment"}
)

// WindowDuration is popular's window (the default when unset; the
// definition was validated).
func (r Recommend) WindowDuration() time.Duration {
	if d, err := time.ParseDuration(r.Window); err == nil && r.Window != "" {
		return d
	}
	return DefaultRecommendWindow
}

// LimitFor is how many entries the field f delivers.
func (r Recommend) LimitFor(f Field) int {
	switch {
	case r.Limit > 0:
		return r.Limit
	case f.Max != nil && *f.Max >= 1:
		return min(int(*f.Max), MaxRecommendLimit)
	}
	return 4
}

// validateRecommend checks a field's recommendation source; p is the
// field's path ("fields.2").
func validateRecommend(p string, f Field) []errs.FieldError {
	r := f.Recommend
	if r == nil {
		return nil
	}
	p += ".recommend"
	var fe []errs.FieldError
	add := func(path, format string, args ...any) {
		fe = append(fe, errs.FieldError{Path: path, Message: fmt.Sprintf(format, args...)})
	}
	if f.Kind != KindReference || !f.List {
		add(p, "only a reference list field (kind reference, list true) takes a recommendation source; this is a %s%s field",
			map[bool]string{true: "list of ", false: ""}[f.List], f.Kind)
		return fe
	}
	if !slices.Contains(recommendSources, r.Source) {
		add(p+".source", "unknown source %q; one of %v", r.Source, recommendSources)
	}
	if !slices.Contains(recommendBy, r.By) {
		add(p+".by", "unknown audience %q; one of device, channel, segment (or none: everyone)", r.By)
	} else if r.By != "" && r.Source != SourcePopular {
		add(p+".by", "only popular takes an audience")
	}
	if r.Window != "" {
		d, err := time.ParseDuration(r.Window)
		switch {
		case r.Source != SourcePopular:
			add(p+".window", "only popular takes a window")
		case err != nil:
			add(p+".window", "not a duration: %q (e.g. 24h, 168h)", r.Window)
		case !validWindow(d):
			add(p+".window", "%s: whole hours up to 24h, or whole days up to 720h", r.Window)
		}
	}
	if r.Limit < 0 || r.Limit > MaxRecommendLimit {
		add(p+".limit", "between 1 and %d", MaxRecommendLimit)
	}
	for i, t := range r.Types {
		if !keyPattern.MatchString(t) {
			add(fmt.Sprintf("%s.types.%d", p, i), "not a content type key: %q", t)
		}
	}
	for i, t := range r.Tags {
		if t == "" || len(t) > 100 {
			add(fmt.Sprintf("%s.tags.%d", p, i), "a tag is 1 to 100 characters")
		}
	}
	return fe
}

// validWindow is measurement/recommend.ValidWindow (content imports no
// measurement): whole hours up to a day, whole days up to 30.
func validWindow(w time.Duration) bool {
	switch {
	case w <= 0:
		return false
	case w <= 24*time.Hour:
		return w%time.Hour == 0
	default:
		return w%(24*time.Hour) == 0 && w <= 30*24*time.Hour
	}
}

// RecommendedFields lists ct's fields with a recommendation source.
func (ct ContentType) RecommendedFields() []Field {
	var out []Field
	for _, f := range ct.Fields {
		if f.Recommend != nil {
			out = append(out, f)
		}
	}
	return out
}
