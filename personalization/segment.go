package personalization

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/measurement/consent"
)

// Segment is an audience. With a Rule, membership is computed by the rule;
// without one, the segment is explicit only: a visitor is in it when the
// client (or a CDP) sends its key in Context.Segments. Either way an
// explicitly sent key always counts.
type Segment struct {
	Key  string
	Name string
	Rule string
}

// SegmentSet is a compiled list of segments, built once when segments
// change and shared by all requests. It is immutable apart from its log
// dedupe bits and safe for concurrent use. A nil *SegmentSet has no rules.
type SegmentSet struct {
	rules  []*compiledSegment
	logger *slog.Logger
}

type compiledSegment struct {
	key  string
	rule *Rule
	// logged has one bit per errorKind already logged for this segment:
	// a rule that fails for every anonymous visitor must not log on every
	// request. The state is bounded by segments × error kinds.
	logged atomic.Uint32
}

// CompileSegments compiles every rule, reporting all problems at once as
// BAD_USER_INPUT with paths "segments.<i>.key" / "segments.<i>.rule".
// Keys must be non-empty and unique. logger receives rule runtime errors,
// once per segment and error kind; nil discards them.
func CompileSegments(segments []Segment, logger *slog.Logger) (*SegmentSet, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	set := &SegmentSet{logger: logger}
	var fields []errs.FieldError
	seen := make(map[string]int, len(segments))
	for i, s := range segments {
		keyPath := fmt.Sprintf("segments.%d.key", i)
		switch prev, dup := seen[s.Key]; {
		case strings.TrimSpace(s.Key) == "":
			fields = append(fields, errs.FieldError{Path: keyPath, Message: "segment key is required"})
		case dup:
			fields = append(fields, errs.FieldError{Path: keyPath,
				Message: fmt.Sprintf("duplicate segment key %q (also segments.%d)", s.Key, prev)})
		default:
			seen[s.Key] = i
		}
		if strings.TrimSpace(s.Rule) == "" {
			continue // explicit-only segment
		}
		rule, err := CompileRule(s.Rule)
		if err != nil {
			e, ok := errs.As(err)
			if !ok {
				return nil, fmt.Errorf("compiling segment %q: %w", s.Key, err)
			}
			for _, f := range e.Fields {
				f.Path = fmt.Sprintf("segments.%d.%s", i, f.Path)
				fields = append(fields, f)
			}
			continue
		}
		set.rules = append(set.rules, &compiledSegment{key: s.Key, rule: rule})
	}
	if len(fields) > 0 {
		return nil, errs.Invalid("invalid segments: "+fields[0].Path+": "+fields[0].Message, fields...)
	}
	return set, nil
}

// ReadsVisitorID says whether any rule may read context.visitorId, or
// the person's behaviour (which the visitor id leads to): when none
// does, the segments are a function of the rest of the context.
func (s *SegmentSet) ReadsVisitorID() bool {
	if s == nil {
		return false
	}
	for _, cs := range s.rules {
		if cs.rule.readsVisitorID || cs.rule.readsBehaviour {
			return true
		}
	}
	return false
}

// ReadsBehaviour says whether any rule reads events or profile.
func (s *SegmentSet) ReadsBehaviour() bool {
	return s != nil && slices.ContainsFunc(s.rules, func(cs *compiledSegment) bool { return cs.rule.readsBehaviour })
}

// Len returns the number of rule segments.
func (s *SegmentSet) Len() int {
	if s == nil {
		return 0
	}
	return len(s.rules)
}

// Evaluate returns the visitor's segments: the explicit ones from
// c.Segments (deduplicated, in order) followed by every rule segment whose
// rule matches, in definition order. Without personalization consent it
// returns nil. A rule
// that fails at run time counts as not matching.
//
// Rules see only explicit segments in context.segments, never other rule
// segments, so the result does not depend on rule order.
func (s *SegmentSet) Evaluate(c Context) []string {
	return s.EvaluateContext(context.Background(), c)
}

// EvaluateContext is Evaluate with the request's context: cancelling ctx
// interrupts a rule that loops over a large list. Each rule is bounded by
// MaxRuleCost anyway; no wall-clock timeout is applied, because a timeout
// would make segment membership depend on machine load.
func (s *SegmentSet) EvaluateContext(ctx context.Context, c Context) []string {
	if !c.Purposes.Has(consent.Personalization) {
		return nil
	}
	n := len(c.Segments) + s.Len()
	if n == 0 {
		return nil
	}
	out := make([]string, 0, n)
	for _, seg := range c.Segments {
		if seg != "" && !slices.Contains(out, seg) {
			out = append(out, seg)
		}
	}
	if s.Len() == 0 {
		return out
	}
	act := newActivation(c)
	for _, cs := range s.rules {
		if slices.Contains(out, cs.key) {
			continue // explicitly sent: no need to evaluate
		}
		ok, err := cs.rule.eval(ctx, act)
		if err != nil {
			s.logOnce(ctx, cs, err)
			continue
		}
		if ok {
			out = append(out, cs.key)
		}
	}
	return out
}

// logOnce logs a rule's runtime error the first time each error kind
// occurs for that segment. Trait values and visitor IDs are never logged:
// they are personal data.
func (s *SegmentSet) logOnce(ctx context.Context, cs *compiledSegment, err error) {
	kind := classify(err)
	bit := uint32(1) << kind
	if cs.logged.Load()&bit != 0 || cs.logged.Or(bit)&bit != 0 {
		return
	}
	level := slog.LevelWarn
	if kind == errInterrupt {
		level = slog.LevelDebug // the request went away; the rule is fine
	}
	s.logger.LogAttrs(ctx, level, "segment rule failed; treated as not matching (logged once per segment and error kind)",
		slog.String("segment", cs.key),
		slog.String("kind", kind.String()),
		slog.String("error", err.Error()),
	)
}
