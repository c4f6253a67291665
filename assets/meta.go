package assets

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/mosaichq/mosaic/errs"
)

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// Bounds of editor metadata.
const (
	MaxAltLength = 1000
	MaxTags      = 32
	MaxTagLength = 64
)

// checkMeta validates m, normalising tags (trimmed, lower case, unique,
// sorted). Paths are relative to the mutation's input.
func (s *Service) checkMeta(m *Meta) error {
	var fe []errs.FieldError
	add := func(path, format string, args ...any) {
		fe = append(fe, errs.FieldError{Path: path, Message: fmt.Sprintf(format, args...)})
	}
	if m.Filename != nil {
		if err := CheckFilename(*m.Filename); err != nil {
			e, _ := errs.As(err)
			add("input.filename", "%s", e.Fields[0].Message)
		}
	}
	for loc, text := range m.Alt {
		p := "input.alt." + loc
		if err := s.cfg.CheckLocale(loc); err != nil {
			add(p, "unknown locale %q", loc)
		}
		if utf8.RuneCountInString(text) > MaxAltLength {
			add(p, "must be at most %d characters", MaxAltLength)
		}
	}
	if f := m.Focal; f != nil {
		if math.IsNaN(f.X) || math.IsNaN(f.Y) || f.X < 0 || f.X > 1 || f.Y < 0 || f.Y > 1 {
			add("input.focalPoint", "x and y must be between 0 and 1 (fractions of the width and height from the top-left corner)")
		}
	}
	if m.Tags != nil {
		tags := make([]string, 0, len(m.Tags))
		for i, t := range m.Tags {
			t = strings.ToLower(strings.TrimSpace(t))
			switch {
			case t == "" || utf8.RuneCountInString(t) > MaxTagLength:
				add(fmt.Sprintf("input.tags.%d", i), "must be 1-%d characters", MaxTagLength)
			case strings.ContainsFunc(t, func(r rune) bool { return r < 0x20 || r == 0x7f }):
				add(fmt.Sprintf("input.tags.%d", i), "must not contain control characters")
			case !slices.Contains(tags, t):
				tags = append(tags, t)
			}
		}
		if len(tags) > MaxTags {
			add("input.tags", "at most %d tags", MaxTags)
		}
		slices.Sort(tags)
		m.Tags = tags
	}
	if len(fe) > 0 {
		return errs.Invalid("asset metadata is invalid", fe...)
	}
	return nil
}

// apply sets m's fields on a.
func (m Meta) apply(a *Asset) {
	if m.Filename != nil {
		a.Filename = *m.Filename
	}
	if m.Alt != nil {
		alt := make(map[string]string, len(a.Alt)+len(m.Alt))
		for k, v := range a.Alt {
			alt[k] = v
		}
		for k, v := range m.Alt {
			if strings.TrimSpace(v) == "" {
				delete(alt, k)
			} else {
				alt[k] = v
			}
		}
		a.Alt = alt
	}
	if m.ClearFocal {
		a.Focal = nil
	}
	if m.Focal != nil {
		f := *m.Focal
		a.Focal = &f
	}
	if m.Tags != nil {
		a.Tags = m.Tags
	}
}

// AltText returns the alt text for the first locale of chain that has one.
func (a Asset) AltText(chain []string) (string, bool) {
	for _, l := range chain {
		if t, ok := a.Alt[l]; ok {
			return t, true
		}
	}
	return "", false
}
