package content

import (
	"fmt"
	"regexp"
	"slices"
	"time"

	"github.com/mosaichq/mosaic/errs"
)

// FieldKind is the type of a field's value.
type FieldKind string

const (
	KindText      FieldKind = "text"
	KindRichText  FieldKind = "richText"
	KindNumber    FieldKind = "number"
	KindBoolean   FieldKind = "boolean"
	KindDateTime  FieldKind = "dateTime"
	KindEnum      FieldKind = "enum"
	KindReference FieldKind = "reference"
	KindAsset     FieldKind = "asset"
	KindBlocks    FieldKind = "blocks"
	KindJSON      FieldKind = "json"
)

var fieldKinds = []FieldKind{KindText, KindRichText, KindNumber, KindBoolean, KindDateTime,
	KindEnum, KindReference, KindAsset, KindBlocks, KindJSON}

// TypeKind separates types editors deliver as documents (pages, screens)
// from block types, which only live inside a blocks field or as global blocks.
type TypeKind string

const (
	TypeEntry TypeKind = "entry"
	TypeBlock TypeKind = "block"
)

// Field defines one field of a content type and its validations.
//
// Min and Max bound a text's length, a number's value, and the count of a
// list or blocks field. AllowedTypes limits what a reference or blocks field
// may point at or hold.
type Field struct {
	Key          string    `json:"key"`
	Name         string    `json:"name,omitempty"`
	Description  string    `json:"description,omitempty"`
	Kind         FieldKind `json:"kind"`
	Required     bool      `json:"required,omitempty"`
	Localized    bool      `json:"localized,omitempty"`
	Unique       bool      `json:"unique,omitempty"`
	List         bool      `json:"list,omitempty"`
	Min          *float64  `json:"min,omitempty"`
	Max          *float64  `json:"max,omitempty"`
	Pattern      string    `json:"pattern,omitempty"`
	Values       []string  `json:"values,omitempty"`
	AllowedTypes []string  `json:"allowedTypes,omitempty"`
	// Recommend makes a reference list deliver recommended entries, the
	// stored value being the fallback (recommend.go).
	Recommend *Recommend `json:"recommend,omitempty"`
}

// ContentType is a named schema defined at run time.
type ContentType struct {
	Key         string    `json:"key"`
	Name        string    `json:"name"`
	Description string    `json:"description,omitempty"`
	Kind        TypeKind  `json:"kind"`
	Fields      []Field   `json:"fields"`
	Version     int       `json:"-"`
	CreatedAt   time.Time `json:"-"`
	UpdatedAt   time.Time `json:"-"`
}

// Field returns the field with key k.
func (ct ContentType) Field(k string) (Field, bool) {
	for _, f := range ct.Fields {
		if f.Key == k {
			return f, true
		}
	}
	return Field{}, false
}

// BlocksField returns the first blocks field, the one Entry.blocks serves.
func (ct ContentType) BlocksField() (Field, bool) {
	for _, f := range ct.Fields {
		if f.Kind == KindBlocks {
			return f, true
		}
	}
	return Field{}, false
}

var (
	keyPattern  = regexp.MustCompile(`^[a-z][a-zA-Z0-9_]{0,63}$`)
	maxFields   = 100
	maxPattern  = 512
	maxEnumVals = 200
)

// validateDefinition checks a type on its own; checks that need other types
// (allowedTypes naming real types) happen in the service.
func (ct ContentType) validateDefinition() error {
	var fe []errs.FieldError
	add := func(path, format string, args ...any) {
		fe = append(fe, errs.FieldError{Path: path, Message: fmt.Sprintf(format, args...)})
	}
	if !keyPattern.MatchString(ct.Key) {
		add("key", "must start with a lowercase letter and hold only letters, digits and _ (max 64)")
	}
	if ct.Name == "" {
		add("name", "is required")
	}
	if ct.Kind != TypeEntry && ct.Kind != TypeBlock {
		add("kind", "must be %q or %q", TypeEntry, TypeBlock)
	}
	if len(ct.Fields) > maxFields {
		add("fields", "at most %d fields", maxFields)
	}
	seen := map[string]bool{}
	for i, f := range ct.Fields {
		p := fmt.Sprintf("fields.%d", i)
		if keyPattern.MatchString(f.Key) && seen[f.Key] {
			add(p+".key", "duplicate field key %q", f.Key)
		}
		seen[f.Key] = true
		fe = append(fe, validateField(p, f)...)
	}
	if len(fe) > 0 {
		return errs.Invalid(fmt.Sprintf("content type %q is invalid", ct.Key), fe...)
	}
	return nil
}

// validateField checks one field definition on its own; path prefixes the
// problems ("fields.2", "addFields.0").
func validateField(p string, f Field) []errs.FieldError {
	var fe []errs.FieldError
	add := func(path, format string, args ...any) {
		fe = append(fe, errs.FieldError{Path: path, Message: fmt.Sprintf(format, args...)})
	}
	if !keyPattern.MatchString(f.Key) {
		add(p+".key", "must start with a lowercase letter and hold only letters, digits and _ (max 64)")
	}
	if !slices.Contains(fieldKinds, f.Kind) {
		add(p+".kind", "unknown kind %q; one of %v", f.Kind, fieldKinds)
		return fe
	}
	if f.Pattern != "" {
		if f.Kind != KindText {
			add(p+".pattern", "only text fields take a pattern")
		} else if len(f.Pattern) > maxPattern {
			add(p+".pattern", "at most %d characters", maxPattern)
		} else if _, err := regexp.Compile(f.Pattern); err != nil {
			add(p+".pattern", "invalid regular expression: %v", err)
		}
	}
	if f.Kind == KindEnum && (len(f.Values) == 0 || len(f.Values) > maxEnumVals) {
		add(p+".values", "an enum needs between 1 and %d values", maxEnumVals)
	}
	if f.Kind != KindEnum && len(f.Values) > 0 {
		add(p+".values", "only enum fields take values")
	}
	if len(f.AllowedTypes) > 0 && f.Kind != KindReference && f.Kind != KindBlocks {
		add(p+".allowedTypes", "only reference and blocks fields take allowedTypes")
	}
	if f.List && f.Kind != KindReference && f.Kind != KindAsset && f.Kind != KindText {
		add(p+".list", "only text, reference and asset fields can be lists")
	}
	if f.Unique && (f.List || (f.Kind != KindText && f.Kind != KindNumber && f.Kind != KindEnum)) {
		add(p+".unique", "only single text, number and enum fields can be unique")
	}
	fe = append(fe, validateRecommend(p, f)...)
	if f.Min != nil && f.Max != nil && *f.Min > *f.Max {
		add(p+".min", "min %v is greater than max %v", *f.Min, *f.Max)
	}
	if (f.Min != nil || f.Max != nil) && (f.Kind == KindBoolean || f.Kind == KindJSON || f.Kind == KindEnum || f.Kind == KindDateTime) {
		add(p+".min", "%s fields take no min/max", f.Kind)
	}
	return fe
}
