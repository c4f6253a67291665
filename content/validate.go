package content

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mosaichq/mosaic/errs"
)

// maxBlockDepth bounds blocks nested in blocks so a hostile document cannot
// make validation or delivery recurse without end.
const maxBlockDepth = 4

var (
	blockIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
	uuidPattern    = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
)

// Link is a reference from an entry to another entry that must exist and be
// of one of AllowedTypes (any type when empty; any block type when Block).
type Link struct {
	Path         string
	ID           string
	AllowedTypes []string
	Block        bool
}

// UniqueValue is a value of a unique field that no other entry of the type
// may hold in the same locale.
type UniqueValue struct {
	Field string
	Value any
}

// validation collects every problem in one pass so an editor sees them all.
type validation struct {
	types     func(key string) (ContentType, bool)
	isDefault bool
	problems  []errs.FieldError
	links     []Link
	assets    []Link // asset fields: Path and the asset ID
	uniques   []UniqueValue
	blockIDs  map[string]bool
	patterns  map[string]*regexp.Regexp
	// checkVariants is Config.CheckVariants (nil: shape checks only).
	checkVariants func([]any) []errs.FieldError
}

func (v *validation) add(path, format string, args ...any) {
	v.problems = append(v.problems, errs.FieldError{Path: path, Message: fmt.Sprintf(format, args...)})
}

// fields validates an entry's or a block's fields against ct. partial skips
// required checks (variant overrides, non-default locales).
func (v *validation) fields(path string, ct ContentType, fields map[string]any, partial bool, depth int) {
	for k := range fields {
		if _, ok := ct.Field(k); !ok {
			v.add(join(path, k), "unknown field; %q has no field %q", ct.Key, k)
		}
	}
	for _, f := range ct.Fields {
		p := join(path, f.Key)
		val, present := fields[f.Key]
		if present && val == nil {
			delete(fields, f.Key)
			present = false
		}
		if depth == 0 && !v.isDefault && !f.Localized && present {
			v.add(p, "field is not localized: set it on the default locale")
			continue
		}
		if !present {
			// A non-default locale row holds only localized fields, and
			// each one it omits falls back along the chain: only the
			// default locale (and every block, wherever it lives) must
			// carry its required fields.
			if f.Required && !partial && (depth > 0 || v.isDefault) {
				v.add(p, "is required")
			}
			continue
		}
		v.value(p, f, val, depth)
		if f.Unique && depth == 0 {
			v.uniques = append(v.uniques, UniqueValue{Field: f.Key, Value: val})
		}
	}
}

func (v *validation) value(p string, f Field, val any, depth int) {
	if f.List && f.Kind != KindBlocks {
		items, ok := val.([]any)
		if !ok {
			v.add(p, "must be a list")
			return
		}
		v.bounds(p, f, float64(len(items)), "items")
		for i, it := range items {
			single := f
			single.List, single.Min, single.Max = false, nil, nil
			v.value(fmt.Sprintf("%s.%d", p, i), single, it, depth)
		}
		return
	}
	switch f.Kind {
	case KindText:
		s, ok := val.(string)
		if !ok {
			v.add(p, "must be a string")
			return
		}
		v.bounds(p, f, float64(utf8.RuneCountInString(s)), "characters")
		if f.Pattern != "" && !v.pattern(f.Pattern).MatchString(s) {
			v.add(p, "does not match pattern %s", f.Pattern)
		}
	case KindRichText:
		n, err := richTextLength(val)
		if err != nil {
			v.add(p, "invalid rich text: %v", err)
			return
		}
		v.bounds(p, f, float64(n), "characters")
	case KindNumber:
		n, ok := val.(float64)
		if !ok || math.IsNaN(n) || math.IsInf(n, 0) {
			v.add(p, "must be a number")
			return
		}
		v.bounds(p, f, n, "")
	case KindBoolean:
		if _, ok := val.(bool); !ok {
			v.add(p, "must be true or false")
		}
	case KindDateTime:
		s, ok := val.(string)
		if !ok {
			v.add(p, "must be an RFC 3339 date-time string")
			return
		}
		if _, err := time.Parse(time.RFC3339Nano, s); err != nil {
			v.add(p, "must be an RFC 3339 date-time such as 2026-12-01T09:00:00Z")
		}
	case KindEnum:
		s, ok := val.(string)
		if !ok || !slices.Contains(f.Values, s) {
			v.add(p, "must be one of %v", f.Values)
		}
	case KindReference:
		s, ok := val.(string)
		if !ok || !uuidPattern.MatchString(s) {
			v.add(p, "must be an entry id")
			return
		}
		v.links = append(v.links, Link{Path: p, ID: s, AllowedTypes: f.AllowedTypes})
	case KindAsset:
		s, ok := val.(string)
		if !ok || !uuidPattern.MatchString(s) {
			v.add(p, "must be an asset id")
			return
		}
		v.assets = append(v.assets, Link{Path: p, ID: s})
	case KindBlocks:
		v.blocks(p, f, val, depth)
	case KindJSON:
		// Any JSON value is accepted; its size is bounded by the request limit.
	}
}

func (v *validation) bounds(p string, f Field, n float64, unit string) {
	suffix := ""
	if unit != "" {
		suffix = " " + unit
	}
	if f.Min != nil && n < *f.Min {
		v.add(p, "must be at least %v%s", *f.Min, suffix)
	}
	if f.Max != nil && n > *f.Max {
		v.add(p, "must be at most %v%s", *f.Max, suffix)
	}
}

func (v *validation) pattern(expr string) *regexp.Regexp {
	if re, ok := v.patterns[expr]; ok {
		return re
	}
	re := regexp.MustCompile(expr) // compiled successfully when the type was saved
	if v.patterns == nil {
		v.patterns = map[string]*regexp.Regexp{}
	}
	v.patterns[expr] = re
	return re
}

func (v *validation) blocks(p string, f Field, val any, depth int) {
	items, ok := val.([]any)
	if !ok {
		v.add(p, "must be a list of blocks")
		return
	}
	if depth >= maxBlockDepth {
		v.add(p, "blocks nest at most %d levels deep", maxBlockDepth)
		return
	}
	v.bounds(p, f, float64(len(items)), "blocks")
	for i, it := range items {
		bp := fmt.Sprintf("%s.%d", p, i)
		b, ok := it.(map[string]any)
		if !ok {
			v.add(bp, "a block must be an object")
			continue
		}
		v.block(bp, f, b, depth)
	}
}

func (v *validation) block(bp string, f Field, b map[string]any, depth int) {
	id, _ := b["id"].(string)
	if _, has := b["id"]; !has {
		id = newBlockID()
		b["id"] = id
	}
	switch {
	case !blockIDPattern.MatchString(id):
		v.add(bp+".id", "must be 1-64 letters, digits, _ or -")
	case v.blockIDs[id]:
		v.add(bp+".id", "duplicate block id %q", id)
	}
	v.blockIDs[id] = true
	for k := range b {
		if k != "id" && k != "type" && k != "fields" && k != "ref" && k != "variants" {
			v.add(bp+"."+k, "unknown block property; a block has id, type, fields, variants or id, ref")
		}
	}
	if ref, isRef := b["ref"]; isRef {
		_, hasType := b["type"]
		_, hasFields := b["fields"]
		_, hasVariants := b["variants"]
		if hasType || hasFields || hasVariants {
			v.add(bp, "a global block reference has an id and a ref only: its type, fields and variants are the global block's")
			return
		}
		s, ok := ref.(string)
		if !ok || !uuidPattern.MatchString(s) {
			v.add(bp+".ref", "must be the id of a global block entry")
			return
		}
		v.links = append(v.links, Link{Path: bp + ".ref", ID: s, AllowedTypes: f.AllowedTypes, Block: true})
		return
	}
	typ, _ := b["type"].(string)
	bt, ok := v.types(typ)
	switch {
	case !ok:
		v.add(bp+".type", "unknown block type %q", typ)
		return
	case bt.Kind != TypeBlock:
		v.add(bp+".type", "%q is not a block type", typ)
		return
	case len(f.AllowedTypes) > 0 && !slices.Contains(f.AllowedTypes, typ):
		v.add(bp+".type", "must be one of %v", f.AllowedTypes)
		return
	}
	fields, ok := b["fields"].(map[string]any)
	if !ok {
		if b["fields"] != nil {
			v.add(bp+".fields", "must be an object")
			return
		}
		fields = map[string]any{}
		b["fields"] = fields
	}
	v.fields(bp+".fields", bt, fields, false, depth+1)
	v.variants(bp+".variants", bt, b["variants"], depth+1)
}

// variants checks the shape every variant shares: a unique key and field
// overrides valid for the block type. Targeting is the personalization
// package's to validate.
func (v *validation) variants(p string, bt ContentType, raw any, depth int) {
	if raw == nil {
		return
	}
	list, ok := raw.([]any)
	if !ok {
		v.add(p, "must be a list of variants")
		return
	}
	keys := map[string]bool{}
	for i, it := range list {
		vp := fmt.Sprintf("%s.%d", p, i)
		m, ok := it.(map[string]any)
		if !ok {
			v.add(vp, "a variant must be an object")
			continue
		}
		key, _ := m["key"].(string)
		switch {
		case !blockIDPattern.MatchString(key):
			v.add(vp+".key", "must be 1-64 letters, digits, _ or -")
		case key == "default":
			v.add(vp+".key", `"default" is reserved for the block itself`)
		case keys[key]:
			v.add(vp+".key", "duplicate variant key %q", key)
		}
		keys[key] = true
		if ov, has := m["fields"]; has {
			fields, ok := ov.(map[string]any)
			if !ok {
				v.add(vp+".fields", "must be an object")
				continue
			}
			v.fields(vp+".fields", bt, fields, true, depth)
		}
	}
	if v.checkVariants != nil {
		for _, f := range v.checkVariants(list) {
			v.add(p+"."+f.Path, "%s", f.Message)
		}
	}
}

func join(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

func newBlockID() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return "b" + hex.EncodeToString(b[:])
}

// trimSlug normalises what editors type; the pattern then rejects the rest.
func trimSlug(s string) string { return strings.TrimSpace(s) }
