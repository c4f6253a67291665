package personalization

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/ext"

	"github.com/mosaichq/mosaic/measurement/profile"
)

// Behavioural rules read the visitor's person (its identity cluster):
//
//	events.count(name[, window])        int: events named name in [now−window, now]
//	events.sum(name, field[, window])   double: field ("value" or a numeric property) summed
//	events.last(name)                   Event: the latest (name, time, value, properties);
//	                                    an empty one (name "") when there is none
//	profile.known, .visitors, .devices, .channels, .firstSeen, .lastSeen, .traits
//	now                                 timestamp: the decision's instant
//
// A window is a duration literal, duration("168h"), of at most
// profile.MaxWindow (90 days); without one, the whole MaxWindow. A
// profile that is not loaded yet, or any visitor without personalization
// consent, is an empty history (counts 0, sums 0, last is empty, known
// false): never an error. measurement/profile says where events come
// from and how fresh they are.

var (
	eventsType  = cel.OpaqueType("mosaic.Events")
	eventType   = cel.ObjectType("mosaic.Event")
	profileType = cel.ObjectType("mosaic.Profile")
)

// behaviourVars are the variables that make a rule behavioural.
var behaviourVars = []string{"events", "profile"}

// eventsFunctions are the member functions of events, for error hints.
const eventsFunctions = "events.count(name[, window]), events.sum(name, field[, window]), events.last(name)"

// behaviourEnv declares events, profile and now: the native types first,
// then numberAdapter over the registry they made (so traits keep their
// number rule and native values still convert), then the functions,
// whose last() needs that adapter to wrap an Event. Numbers inside a
// profile's properties and traits are read by the native types' own
// getters: measurement/profile stores whole numbers as ints for that.
func behaviourEnv(base *cel.Env) (*cel.Env, error) {
	env, err := base.Extend(
		ext.NativeTypes(
			types.NativeTypeFor[profile.Profile](types.NativeTypeAlias("mosaic.Profile"), types.ParseStructTags(true)),
			types.NativeTypeFor[profile.Event](types.NativeTypeAlias("mosaic.Event"), types.ParseStructTags(true)),
		),
		cel.Variable("events", eventsType),
		cel.Variable("profile", profileType),
		cel.Variable("now", cel.TimestampType),
	)
	if err != nil {
		return nil, err
	}
	adapter := numberAdapter{next: env.CELTypeAdapter()}
	str, dur := cel.StringType, cel.DurationType
	return env.Extend(
		cel.CustomTypeAdapter(adapter),
		cel.Function("count",
			cel.MemberOverload("mosaic_events_count", []*cel.Type{eventsType, str}, cel.IntType,
				cel.BinaryBinding(func(ev, name ref.Val) ref.Val {
					e := ev.(eventsVal)
					return types.Int(e.p.Count(string(name.(types.String)), e.at, profile.MaxWindow))
				})),
			cel.MemberOverload("mosaic_events_count_window", []*cel.Type{eventsType, str, dur}, cel.IntType,
				cel.FunctionBinding(func(args ...ref.Val) ref.Val {
					e := args[0].(eventsVal)
					return types.Int(e.p.Count(string(args[1].(types.String)), e.at, window(args[2])))
				})),
		),
		cel.Function("sum",
			cel.MemberOverload("mosaic_events_sum", []*cel.Type{eventsType, str, str}, cel.DoubleType,
				cel.FunctionBinding(func(args ...ref.Val) ref.Val {
					e := args[0].(eventsVal)
					return types.Double(e.p.Sum(string(args[1].(types.String)), string(args[2].(types.String)), e.at, profile.MaxWindow))
				})),
			cel.MemberOverload("mosaic_events_sum_window", []*cel.Type{eventsType, str, str, dur}, cel.DoubleType,
				cel.FunctionBinding(func(args ...ref.Val) ref.Val {
					e := args[0].(eventsVal)
					return types.Double(e.p.Sum(string(args[1].(types.String)), string(args[2].(types.String)), e.at, window(args[3])))
				})),
		),
		cel.Function("last",
			cel.MemberOverload("mosaic_events_last", []*cel.Type{eventsType, str}, eventType,
				cel.BinaryBinding(func(ev, name ref.Val) ref.Val {
					e := ev.(eventsVal)
					last, _ := e.p.Last(string(name.(types.String)), e.at)
					if last.Properties == nil {
						last.Properties = map[string]any{}
					}
					return adapter.NativeToValue(&last)
				})),
		),
	)
}

// window is a duration argument, never more than MaxWindow (the
// validator refuses longer literals; a computed one is clamped).
func window(v ref.Val) time.Duration {
	d := v.(types.Duration).Duration
	return min(max(d, 0), profile.MaxWindow)
}

// eventsVal is the runtime value of `events`: the profile and the
// instant windows end at.
type eventsVal struct {
	p  *profile.Profile
	at time.Time
}

func (eventsVal) ConvertToNative(reflect.Type) (any, error) {
	return nil, fmt.Errorf("events cannot be converted")
}
func (e eventsVal) ConvertToType(t ref.Type) ref.Val {
	if t == types.TypeType {
		return eventsType
	}
	return types.NewErr("events cannot be converted to %s", t)
}
func (e eventsVal) Equal(o ref.Val) ref.Val {
	x, ok := o.(eventsVal)
	return types.Bool(ok && x == e)
}
func (eventsVal) Type() ref.Type { return eventsType }
func (e eventsVal) Value() any   { return e }

// behaviourValidator checks the window of every events call at compile
// time: a duration literal, positive and at most MaxWindow. Unknown
// event functions are the checker's (no overload), with a hint added by
// CompileRule.
type behaviourValidator struct{}

func (behaviourValidator) Name() string { return "mosaic.behaviour_windows" }

func (behaviourValidator) Validate(_ *cel.Env, _ cel.ValidatorConfig, a *ast.AST, iss *cel.Issues) {
	ast.PreOrderVisit(a.Expr(), ast.NewExprVisitor(func(e ast.Expr) {
		if e.Kind() != ast.CallKind {
			return
		}
		call := e.AsCall()
		if !call.IsMemberFunction() || call.Target().Kind() != ast.IdentKind || call.Target().AsIdent() != "events" {
			return
		}
		args := call.Args()
		at := map[string]int{"count": 1, "sum": 2}[call.FunctionName()]
		if at == 0 || len(args) <= at {
			return
		}
		w := args[at]
		lit, ok := durationLiteral(w)
		if !ok {
			iss.ReportErrorAtID(w.ID(), "the window of events.%s must be a duration literal, e.g. duration(\"168h\")", call.FunctionName())
			return
		}
		d, err := time.ParseDuration(lit)
		switch {
		case err != nil: // cel.ValidateDurationLiterals reports it too
		case d <= 0:
			iss.ReportErrorAtID(w.ID(), "the window of events.%s must be positive, not %q", call.FunctionName(), lit)
		case d > profile.MaxWindow:
			iss.ReportErrorAtID(w.ID(), "the window of events.%s is at most %s (90 days of history are kept), not %q",
				call.FunctionName(), profile.MaxWindow, lit)
		}
	}))
}

func durationLiteral(e ast.Expr) (string, bool) {
	if e.Kind() != ast.CallKind {
		return "", false
	}
	c := e.AsCall()
	if c.FunctionName() != "duration" || c.IsMemberFunction() || len(c.Args()) != 1 || c.Args()[0].Kind() != ast.LiteralKind {
		return "", false
	}
	s, ok := c.Args()[0].AsLiteral().Value().(string)
	return s, ok
}

// readsBehaviour says whether a rule reads events or profile: its result
// then depends on the person, not only on what the request sent.
func readsBehaviour(root ast.Expr) bool {
	found := false
	ast.PreOrderVisit(root, ast.NewExprVisitor(func(e ast.Expr) {
		if e.Kind() == ast.IdentKind && slices.Contains(behaviourVars, e.AsIdent()) {
			found = true
		}
	}))
	return found
}

// behaviourHint helps with a checker message about the behavioural
// variables, e.g. events.counts(...) in a rule using events.
func behaviourHint(msg, rule string) string {
	if strings.Contains(msg, "mosaic.Events") || strings.HasPrefix(msg, "undeclared reference") && strings.Contains(rule, "events.") {
		return msg + "; events has " + eventsFunctions
	}
	return msg
}

// profileView is what `profile` reads: p (or an empty, unknown profile)
// with the request's own device and channel among its devices and
// channels — the person is seen on it now, before any record of it is
// stored.
func profileView(p *profile.Profile, device, channel string) *profile.Profile {
	if p == nil {
		p = &profile.Profile{}
	}
	addDev := device != "" && !slices.Contains(p.Devices, device)
	addChn := channel != "" && !slices.Contains(p.Channels, channel)
	if !addDev && !addChn {
		return p
	}
	q := *p
	if addDev {
		q.Devices = append(slices.Clip(q.Devices), device)
	}
	if addChn {
		q.Channels = append(slices.Clip(q.Channels), channel)
	}
	return &q
}
