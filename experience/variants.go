package experience

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/personalization"
)

// maxPriority bounds Variant.Priority so it survives JSON (float64) and
// every client language's integers unchanged.
const maxPriority = 1 << 30

// ParseVariants reads variants in their stored JSON form (as decoded by
// encoding/json: map[string]any, []any, float64) strictly: unknown
// properties, wrong types and fractional priorities are reported, one
// FieldError per problem, with paths relative to the list ("2.targeting.
// devices.0"). It returns one Variant per element, in order; an element
// with problems comes back as far as it could be read.
//
// Shape only: keys, registry tokens and experiment arms are checked by
// Service.CheckVariants and personalization.ValidateVariants.
func ParseVariants(raw []any) ([]personalization.Variant, []errs.FieldError) {
	out := make([]personalization.Variant, len(raw))
	var p parser
	for i, it := range raw {
		out[i] = p.variant(fmt.Sprintf("%d", i), it)
	}
	// Properties are read in map order; report them in a stable one.
	slices.SortStableFunc(p.problems, func(a, b errs.FieldError) int { return strings.Compare(a.Path, b.Path) })
	return out, p.problems
}

// deliverable is how delivery reads stored variants, over their decoded
// form, leniently: they were checked when saved, so a variant that no
// longer parses (hand-edited data, an older format) is skipped rather than
// failing the page. So is one without a usable key: a decision must name a
// variant. Delivery reads them from their JSON (stored.go), with exactly
// this result; this form is the reference its tests hold it to.
func deliverable(raw []any) []personalization.Variant {
	if len(raw) == 0 {
		return nil
	}
	out := make([]personalization.Variant, 0, len(raw))
	for _, it := range raw {
		p := parser{lenient: true}
		v := p.variant("", it)
		if len(p.problems) == 0 && v.Key != "" && v.Key != personalization.DefaultVariant {
			out = append(out, v)
		}
	}
	return out
}

// parser reads stored variants. Lenient (delivery) it only needs to know
// whether there was a problem, not where: it builds no paths, which were
// most of what parsing a page's variants allocated on every response-cache
// miss.
type parser struct {
	problems []errs.FieldError
	lenient  bool
}

// at is the path of member k below path ("" when lenient).
func (p *parser) at(path, k string) string {
	if p.lenient {
		return ""
	}
	return path + "." + k
}

func (p *parser) add(path, format string, args ...any) {
	if p.lenient {
		p.problems = append(p.problems, errs.FieldError{})
		return
	}
	p.problems = append(p.problems, errs.FieldError{Path: path, Message: fmt.Sprintf(format, args...)})
}

func (p *parser) variant(path string, it any) personalization.Variant {
	var v personalization.Variant
	m, ok := it.(map[string]any)
	if !ok {
		p.add(path, "a variant must be an object")
		return v
	}
	for k, val := range m {
		vp := p.at(path, k)
		switch k {
		case "key":
			v.Key = p.str(vp, val)
		case "campaign":
			v.Campaign = p.str(vp, val)
		case "experiment":
			v.Experiment = p.str(vp, val)
		case "arm":
			v.Arm = p.str(vp, val)
		case "priority":
			v.Priority = p.priority(vp, val)
		case "targeting":
			v.Targeting = p.targeting(vp, val)
		case "cap":
			v.Cap = p.cap(vp, val)
		case "fields":
			if val == nil {
				continue
			}
			f, ok := val.(map[string]any)
			if !ok {
				p.add(vp, "must be an object")
				continue
			}
			v.Fields = f
		default:
			p.add(vp, "unknown variant property; a variant has key, targeting, campaign, experiment, arm, priority, cap and fields")
		}
	}
	return v
}

func (p *parser) str(path string, val any) string {
	if val == nil {
		return ""
	}
	s, ok := val.(string)
	if !ok {
		p.add(path, "must be a string")
	}
	return s
}

func (p *parser) priority(path string, val any) int {
	if val == nil {
		return 0
	}
	f, ok := val.(float64)
	if !ok || f != math.Trunc(f) || math.Abs(f) > maxPriority {
		p.add(path, "must be a whole number between -%d and %d", maxPriority, maxPriority)
		return 0
	}
	return int(f)
}

func (p *parser) targeting(path string, val any) personalization.Targeting {
	var t personalization.Targeting
	if val == nil {
		return t
	}
	m, ok := val.(map[string]any)
	if !ok {
		p.add(path, "must be an object")
		return t
	}
	for k, list := range m {
		tp := p.at(path, k)
		switch k {
		case "segments":
			t.Segments = p.strings(tp, list)
		case "devices":
			t.Devices = p.strings(tp, list)
		case "channels":
			t.Channels = p.strings(tp, list)
		case "locales":
			t.Locales = p.strings(tp, list)
		default:
			p.add(tp, "unknown targeting dimension; use segments, devices, channels or locales")
		}
	}
	return t
}

func (p *parser) strings(path string, val any) []string {
	if val == nil {
		return nil
	}
	list, ok := val.([]any)
	if !ok {
		p.add(path, "must be a list of strings")
		return nil
	}
	out := make([]string, 0, len(list))
	for i, it := range list {
		s, ok := it.(string)
		if !ok {
			p.add(p.at(path, strconv.Itoa(i)), "must be a string")
			continue
		}
		out = append(out, s)
	}
	return out
}

// VariantJSON is the stored JSON form of v, the inverse of ParseVariants:
// lists as []any and numbers as float64, the shape content validates.
// Empty members are left out.
func VariantJSON(v personalization.Variant) map[string]any {
	m := map[string]any{"key": v.Key}
	t := map[string]any{}
	for _, d := range []struct {
		name string
		vals []string
	}{{"segments", v.Targeting.Segments}, {"devices", v.Targeting.Devices},
		{"channels", v.Targeting.Channels}, {"locales", v.Targeting.Locales}} {
		if len(d.vals) > 0 {
			list := make([]any, len(d.vals))
			for i, s := range d.vals {
				list[i] = s
			}
			t[d.name] = list
		}
	}
	if len(t) > 0 {
		m["targeting"] = t
	}
	for k, s := range map[string]string{"campaign": v.Campaign, "experiment": v.Experiment, "arm": v.Arm} {
		if s != "" {
			m[k] = s
		}
	}
	if v.Priority != 0 {
		m["priority"] = float64(v.Priority)
	}
	if v.Fields != nil {
		m["fields"] = v.Fields
	}
	if v.Cap != nil {
		m["cap"] = CapJSON(*v.Cap)
	}
	return m
}

// CheckVariants is the content service's save-time hook
// (content.Config.CheckVariants): it checks the variants of one block or
// entry beyond their shape — registry tokens for devices and channels,
// experiment and arm set together and known to this service. Keys and field
// overrides are content's to check, so their problems are not repeated.
// Paths are relative to the list.
//
// Segment keys must name a stored segment, as campaign keys must name a
// stored campaign (archived ones included) when the service has a campaign
// source: a typo ("vipp") would otherwise save a variant no visitor ever
// sees. Explicit segments a client or a CDP sends are declared once as a
// segment without a rule.
func (s *Service) CheckVariants(raw []any) []errs.FieldError {
	parsed, problems := ParseVariants(raw)
	snap := s.snap.Load()
	for i, v := range parsed {
		prefix := fmt.Sprintf("%d.", i)
		if err := personalization.ValidateVariants([]personalization.Variant{v}, s.cfg.Registry); err != nil {
			e, _ := errs.As(err)
			for _, f := range e.Fields {
				rel := strings.TrimPrefix(f.Path, "variants.0.")
				if rel == "key" {
					continue // content checks keys, with the list in view
				}
				problems = append(problems, errs.FieldError{Path: prefix + rel, Message: f.Message})
			}
		}
		if snap != nil {
			problems = append(problems, snap.unknownSegments(prefix, v.Targeting.Segments)...)
		}
		if v.Campaign != "" && snap != nil && s.cfg.Campaigns != nil && !snap.engine.HasCampaign(v.Campaign) {
			problems = append(problems, errs.FieldError{Path: prefix + "campaign",
				Message: fmt.Sprintf("unknown campaign %q: create it first", v.Campaign)})
		}
		if v.Experiment == "" || v.Arm == "" || snap == nil {
			continue
		}
		switch x, ok := snap.experiments[v.Experiment]; {
		case !ok:
			problems = append(problems, errs.FieldError{Path: prefix + "experiment",
				Message: fmt.Sprintf("unknown experiment %q: create it first", v.Experiment)})
		case !x.hasArm(v.Arm):
			problems = append(problems, errs.FieldError{Path: prefix + "arm",
				Message: fmt.Sprintf("experiment %q has no arm %q", v.Experiment, v.Arm)})
		}
	}
	return problems
}

// unknownSegments reports the keys in segs that name no stored segment.
func (s *snapshot) unknownSegments(prefix string, segs []string) []errs.FieldError {
	var out []errs.FieldError
	for j, key := range segs {
		if _, found := slices.BinarySearch(s.segments, key); found || strings.TrimSpace(key) == "" {
			continue // an empty key is the shape check's to report
		}
		msg := fmt.Sprintf("unknown segment %q: create it first (a segment without a rule declares one that clients or a CDP send)", key)
		if n := len(s.segments); n > 0 && n <= 20 {
			msg += "; defined: " + strings.Join(s.segments, ", ")
		}
		out = append(out, errs.FieldError{Path: fmt.Sprintf("%stargeting.segments.%d", prefix, j), Message: msg})
	}
	return out
}
