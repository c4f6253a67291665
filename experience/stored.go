package experience

import (
	"encoding/json"
	"math"
	"strconv"
	"sync/atomic"
	"unicode/utf8"

	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/internal/jsonscan"
	"github.com/mosaichq/mosaic/personalization"
)

// Delivered entries carry their variants as stored, in JSON
// (content.Variants): decoding every variant of a page into maps, to show
// a visitor at most one per block, was most of what reading a page cost
// and most of what the content cache held. They are parsed here straight
// from the JSON, once per cached entry (content.Memo), into what the
// engine decides from — without their fields, whose JSON is decoded only
// for a variant that is chosen, once per cached entry too.
//
// The result is exactly deliverable's over the decoded JSON: a variant of
// the usual shape (plain member names, strings, numbers, a targeting
// object of string lists, a fields object) is read here; anything else —
// a member of the wrong type, an unknown one, an escape in a name — is
// decoded and handed to the lenient parser, which decides as it always
// did (TestStoredVariantsReadAsDecoded). The engine names a chosen variant
// by its key: keys are unique within a block (content checks it on save);
// should stored data repeat one, that block's fields are decoded up front
// and the engine's own Overrides stand.

// stored are one block's (or entry's own) deliverable variants.
type stored struct {
	// list is what the engine decides from; Fields is nil unless eager.
	list []personalization.Variant
	// fields are each variant's fields as JSON (nil: none), decoded on
	// first choice into decoded.
	fields  [][]byte
	decoded []atomic.Pointer[map[string]any]
	eager   bool
}

// storedVariants are the deliverable variants of a block's (or an
// entry's own) stored variants, parsed once per memo. Shared by every
// caller: read only.
func storedVariants(raw content.Variants, memo *content.Memo) *stored {
	if len(raw) == 0 {
		return nil
	}
	s, _ := memo.Get(func() any { return parseStored(raw) }).(*stored)
	return s
}

// variants is what the engine decides from (nil: none).
func (s *stored) variants() []personalization.Variant {
	if s == nil {
		return nil
	}
	return s.list
}

// overrides completes d, the engine's decision over s.variants(), with
// the chosen variant's fields (the engine only sees them when eager).
func (s *stored) overrides(d *personalization.Decision) {
	if s == nil || s.eager || d.Variant == personalization.DefaultVariant {
		return
	}
	for i := range s.list {
		if s.list[i].Key == d.Variant {
			d.Overrides = s.fieldsOf(i)
			return
		}
	}
}

func (s *stored) fieldsOf(i int) map[string]any {
	if s.fields[i] == nil {
		return nil
	}
	if m := s.decoded[i].Load(); m != nil {
		return *m
	}
	var m map[string]any
	if json.Unmarshal(s.fields[i], &m) != nil {
		return nil // cannot happen: fastVariant checked it is an object
	}
	s.decoded[i].CompareAndSwap(nil, &m)
	return *s.decoded[i].Load()
}

// parseStored is deliverable over raw decoded, fields apart.
func parseStored(raw []byte) *stored {
	s := &stored{}
	ok := jsonscan.EachElement(raw, func(elem []byte) bool {
		v, fields, fast := fastVariant(elem)
		if !fast {
			fields = nil
			var it any
			if json.Unmarshal(elem, &it) != nil {
				return true
			}
			p := parser{lenient: true}
			if v = p.variant("", it); len(p.problems) > 0 {
				return true
			}
			if v.Fields != nil {
				// Already decoded: kept as JSON like the others.
				if fields, _ = json.Marshal(v.Fields); fields == nil {
					return true
				}
			}
		}
		if v.Key == "" || v.Key == personalization.DefaultVariant {
			return true
		}
		v.Fields = nil
		s.list = append(s.list, v)
		s.fields = append(s.fields, fields)
		return true
	})
	if !ok || len(s.list) == 0 {
		return &stored{} // not a list, or nothing deliverable: no variants
	}
	s.decoded = make([]atomic.Pointer[map[string]any], len(s.list))
	for i := range s.list {
		for j := range i {
			if s.list[j].Key == s.list[i].Key {
				s.eager = true
			}
		}
	}
	if s.eager {
		for i := range s.list {
			s.list[i].Fields = s.fieldsOf(i)
		}
	}
	return s
}

// fastVariant reads a variant of the usual shape, its fields left as
// JSON (nil: none); false leaves it to the lenient parser (which may still
// accept it).
func fastVariant(elem []byte) (personalization.Variant, []byte, bool) {
	var v personalization.Variant
	var fields []byte
	ok := jsonscan.EachMember(elem, func(name, val []byte) bool {
		switch string(name) {
		case "key":
			return fastStr(val, &v.Key)
		case "campaign":
			return fastStr(val, &v.Campaign)
		case "experiment":
			return fastStr(val, &v.Experiment)
		case "arm":
			return fastStr(val, &v.Arm)
		case "priority":
			return fastPriority(val, &v.Priority)
		case "targeting":
			return fastTargeting(val, &v.Targeting)
		case "fields":
			if jsonscan.IsNull(val) {
				fields = nil // a member repeated: the last one counts
				return true
			}
			if val[0] != '{' {
				return false
			}
			fields = val
			return true
		case "cap":
			if jsonscan.IsNull(val) {
				v.Cap = nil
				return true
			}
			var c any
			if json.Unmarshal(val, &c) != nil {
				return false
			}
			p := parser{lenient: true}
			v.Cap = p.cap("", c)
			return len(p.problems) == 0
		default:
			return false
		}
	})
	return v, fields, ok
}

// fastStr reads a string member (null: ""), as encoding/json would.
func fastStr(val []byte, into *string) bool {
	if jsonscan.IsNull(val) {
		*into = ""
		return true
	}
	if s, ok := jsonscan.PlainString(val); ok && utf8.Valid(s) {
		*into = string(s)
		return true
	}
	if len(val) == 0 || val[0] != '"' {
		return false
	}
	return json.Unmarshal(val, into) == nil
}

// fastPriority reads a priority as the parser does: a whole number within
// ±maxPriority, or null.
func fastPriority(val []byte, into *int) bool {
	if jsonscan.IsNull(val) {
		*into = 0
		return true
	}
	if len(val) == 0 || (val[0] != '-' && (val[0] < '0' || val[0] > '9')) {
		return false
	}
	f, err := strconv.ParseFloat(string(val), 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > maxPriority {
		return false
	}
	*into = int(f)
	return true
}

func fastTargeting(val []byte, into *personalization.Targeting) bool {
	var t personalization.Targeting
	if jsonscan.IsNull(val) {
		*into = t
		return true
	}
	ok := jsonscan.EachMember(val, func(name, list []byte) bool {
		switch string(name) {
		case "segments":
			return fastStrings(list, &t.Segments)
		case "devices":
			return fastStrings(list, &t.Devices)
		case "channels":
			return fastStrings(list, &t.Channels)
		case "locales":
			return fastStrings(list, &t.Locales)
		default:
			return false
		}
	})
	*into = t
	return ok
}

// fastStrings reads a list of strings (null: nil; empty: empty, as the
// parser makes it).
func fastStrings(val []byte, into *[]string) bool {
	if jsonscan.IsNull(val) {
		*into = nil
		return true
	}
	out := make([]string, 0, 4)
	ok := jsonscan.EachElement(val, func(elem []byte) bool {
		var s string
		if !fastStr(elem, &s) || jsonscan.IsNull(elem) {
			return false
		}
		out = append(out, s)
		return true
	})
	*into = out
	return ok
}
