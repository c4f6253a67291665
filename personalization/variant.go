package personalization

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/mosaichq/mosaic/errs"
)

// DefaultVariant is the variant key of a block's own fields. It is reserved:
// no variant may use it.
const DefaultVariant = "default"

// Targeting says who a variant is for. Dimensions combine with AND, values
// within one dimension with OR, and an empty dimension matches everyone:
// {Segments: [vip, gold], Devices: [mobile]} means "(vip OR gold) AND mobile".
//
// Locales match a context locale that is equal ignoring case, or that
// extends the targeted tag: "en" matches "en", "en-US" and "en_GB".
type Targeting struct {
	Segments []string `json:"segments,omitempty"`
	Devices  []string `json:"devices,omitempty"`
	Channels []string `json:"channels,omitempty"`
	Locales  []string `json:"locales,omitempty"`
}

// Variant is an alternative version of a block. See the package doc for
// how one variant is chosen among several eligible ones.
type Variant struct {
	// Key identifies the variant within its block; "default" is reserved.
	Key       string    `json:"key"`
	Targeting Targeting `json:"targeting"`
	// Campaign, when set, is the key of the campaign owning the variant:
	// the variant is eligible only while that campaign is live.
	Campaign string `json:"campaign,omitempty"`
	// Experiment and Arm, set together, make the variant eligible only for
	// visitors bucketed into that arm of that experiment.
	Experiment string `json:"experiment,omitempty"`
	Arm        string `json:"arm,omitempty"`
	// Priority breaks ties between equally specific variants: higher wins.
	Priority int `json:"priority,omitempty"`
	// Fields are overrides applied to the block's default fields (Merge).
	Fields map[string]any `json:"fields,omitempty"`
	// Cap limits how often one person is shown the variant (cap.go).
	Cap *Cap `json:"cap,omitempty"`
}

// Block is the unit the engine decides for: an ID and its variants, in
// editor order. The block's own fields are the "default" variant.
type Block struct {
	ID       string
	Variants []Variant
	// CapID, when set, is the id a variant cap of this block is counted
	// on instead of ID: a global block's variants are its entry's, so
	// their caps count on that entry wherever it is placed (and when it is
	// delivered on its own).
	CapID string
}

// capID is the id b's variant caps are counted on.
func (b *Block) capID() string {
	if b.CapID != "" {
		return b.CapID
	}
	return b.ID
}

// ValidateVariants checks a block's variants when they are saved: keys are
// non-empty, unique and not "default" (nor "holdout" in a campaign); devices and channels are known to
// reg; experiment and arm are set together. All problems are reported at
// once as BAD_USER_INPUT with paths like "variants.2.targeting.devices.0".
func ValidateVariants(variants []Variant, reg Registry) error {
	var fields []errs.FieldError
	add := func(path, format string, args ...any) {
		fields = append(fields, errs.FieldError{Path: path, Message: fmt.Sprintf(format, args...)})
	}
	seen := make(map[string]int, len(variants))
	for i, v := range variants {
		p := fmt.Sprintf("variants.%d.", i)
		switch prev, dup := seen[v.Key]; {
		case strings.TrimSpace(v.Key) == "":
			add(p+"key", "variant key is required")
		case v.Key == DefaultVariant:
			add(p+"key", "variant key %q is reserved for the block's own fields", DefaultVariant)
		case v.Key == HoldoutArm && v.Campaign != "":
			// The campaign's reports count its held-out people under it.
			add(p+"key", "variant key %q is reserved for the campaign's holdout", HoldoutArm)
		case dup:
			add(p+"key", "duplicate variant key %q (also variants.%d)", v.Key, prev)
		default:
			seen[v.Key] = i
		}
		for j, d := range v.Targeting.Devices {
			if !slices.Contains(reg.Devices, d) {
				add(fmt.Sprintf("%stargeting.devices.%d", p, j), "unknown device %q; allowed: %s",
					d, strings.Join(reg.Devices, ", "))
			}
		}
		for j, c := range v.Targeting.Channels {
			if !slices.Contains(reg.Channels, c) {
				add(fmt.Sprintf("%stargeting.channels.%d", p, j), "unknown channel %q; allowed: %s",
					c, strings.Join(reg.Channels, ", "))
			}
		}
		for j, s := range v.Targeting.Segments {
			if strings.TrimSpace(s) == "" {
				add(fmt.Sprintf("%stargeting.segments.%d", p, j), "segment key is empty")
			}
		}
		for j, l := range v.Targeting.Locales {
			if strings.TrimSpace(l) == "" {
				add(fmt.Sprintf("%stargeting.locales.%d", p, j), "locale is empty")
			}
		}
		if v.Cap != nil {
			for _, f := range v.Cap.Validate(p+"cap.", v.Campaign != "") {
				add(f.Path, "%s", f.Message)
			}
		}
		switch {
		case v.Experiment != "" && v.Arm == "":
			add(p+"arm", "arm is required when experiment is set")
		case v.Experiment == "" && v.Arm != "":
			add(p+"experiment", "experiment is required when arm is set")
		}
	}
	if len(fields) == 0 {
		return nil
	}
	return errs.Invalid("invalid variants: "+fields[0].Path+": "+fields[0].Message, fields...)
}

// Merge returns the fields to render for a chosen variant: a new map with
// defaultFields overlaid by overrides, key by key (shallow: an override of
// a nested object replaces it whole). Neither input is modified.
func Merge(defaultFields, overrides map[string]any) map[string]any {
	out := make(map[string]any, len(defaultFields)+len(overrides))
	maps.Copy(out, defaultFields)
	maps.Copy(out, overrides)
	return out
}

// matchLocale reports whether the context locale want is covered by the
// targeted tag: equal ignoring case, or want extends tag ("en" → "en-US").
func matchLocale(tag, want string) bool {
	if len(want) < len(tag) || !strings.EqualFold(want[:len(tag)], tag) {
		return false
	}
	return len(want) == len(tag) || want[len(tag)] == '-' || want[len(tag)] == '_'
}
