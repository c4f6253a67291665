package personalization

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/cost"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/ext"
	"cel.dev/cel-go/interpreter"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/measurement/profile"
)

// Limits on segment rules. They are checked when a rule is saved
// (CompileRule) so that evaluation on the request path is bounded.
const (
	// MaxRuleLength is the largest accepted rule source, in bytes.
	MaxRuleLength = 4 << 10
	// MaxRuleCost is the largest accepted worst-case cost estimate, in CEL
	// cost units, and also the hard runtime cost limit per evaluation. The
	// estimate assumes every string, list and map in the input has at most
	// assumedInputSize elements, so a rule that passes the check never hits
	// the runtime limit on inputs of that size.
	MaxRuleCost = 20_000

	assumedInputSize = 1024
	// interruptEvery is how many comprehension iterations run between
	// checks of the request context's cancellation.
	interruptEvery = 64
)

// contextFields are the keys of the `context` variable available to rules.
// Rules naming any other key are rejected at compile time: `context` is a
// map for CEL, so a typo would otherwise only show up as a runtime error.
var contextFields = []string{"channel", "device", "locale", "segments", "visitorId"}

// Rule is a compiled, type-checked segment rule. It is immutable and safe
// for concurrent use.
type Rule struct {
	source  string
	program cel.Program
	cost    uint64
	// readsVisitorID: the rule may read context.visitorId (conservative:
	// any use of context other than naming another field counts).
	readsVisitorID bool
	// readsBehaviour: the rule reads events or profile (behaviour.go).
	readsBehaviour bool
}

// Source returns the rule text as written.
func (r *Rule) Source() string { return r.source }

// EstimatedCost is the worst-case cost computed at compile time.
func (r *Rule) EstimatedCost() uint64 { return r.cost }

// Match evaluates the rule for c. Unlike SegmentSet.Evaluate it ignores
// c.Purposes: it is meant for editors testing a rule against a sample
// context. An evaluation error (missing trait, wrong type, cost limit)
// is returned as is; the SegmentSet treats it as "not matching".
func (r *Rule) Match(c Context) (bool, error) {
	if c.At.IsZero() {
		c.At = time.Now()
	}
	return r.eval(context.Background(), newActivation(c))
}

func (r *Rule) eval(ctx context.Context, act *activation) (bool, error) {
	var (
		out ref.Val
		err error
	)
	if ctx.Done() == nil {
		// Cheaper path: nothing can cancel, the cost limit alone bounds it.
		out, _, err = r.program.Eval(act)
	} else {
		out, _, err = r.program.ContextEval(ctx, act)
	}
	if err != nil {
		return false, err
	}
	b, ok := out.Value().(bool)
	if !ok { // unreachable: the output type is checked at compile time
		return false, fmt.Errorf("rule returned %s, not bool", out.Type())
	}
	return b, nil
}

// CompileRule parses and type-checks a segment rule written in CEL. The
// rule must evaluate to a bool and may read two variables:
//
//	context  map: visitorId (string), segments (list of explicit segment
//	         keys), device, channel, locale (strings)
//	traits   map of string to any JSON value
//	events, profile, now: the person's behaviour (behaviour.go)
//
// Whole numbers in traits are ints and other numbers doubles; comparisons
// across int and double work (traits.visits > 3, traits.cart >= 100.0),
// but arithmetic needs one type: double(traits.cart) * 1.2.
// A missing trait is a runtime error, so the rule does not match; guard
// with has(traits.x) or traits.?x.orValue(0) to make that explicit.
//
// Errors are *errs.Error with code BAD_USER_INPUT and one FieldError per
// problem, Path "rule", Message "line L, column C: message" (1-based).
func CompileRule(rule string) (*Rule, error) {
	e, err := ruleEnv()
	if err != nil {
		return nil, fmt.Errorf("building CEL environment: %w", err)
	}
	if strings.TrimSpace(rule) == "" {
		return nil, ruleError(errs.FieldError{Path: "rule", Message: "rule is required"})
	}
	if len(rule) > MaxRuleLength {
		return nil, ruleError(errs.FieldError{Path: "rule",
			Message: fmt.Sprintf("rule is %d bytes long; the limit is %d", len(rule), MaxRuleLength)})
	}
	// cel-go v0.33.2's checker fills a lazily built catalog in a way the
	// race detector flags when two rules are checked at once; compiling is
	// rare (saves and engine builds), so serialising it costs nothing.
	compileMu.Lock()
	checked, iss := e.Compile(rule)
	compileMu.Unlock()
	if iss.Err() != nil {
		fields := make([]errs.FieldError, 0, len(iss.Errors()))
		for _, ce := range iss.Errors() {
			msg := ce.Message
			if strings.HasPrefix(msg, "undeclared reference") {
				msg += "; rules can use context, traits, events, profile and now"
			}
			msg = behaviourHint(msg, rule)
			fields = append(fields, positioned(ce.Location.Line(), ce.Location.Column(), msg))
		}
		return nil, ruleError(fields...)
	}
	if !checked.OutputType().IsExactType(cel.BoolType) {
		line, col := rootLocation(checked)
		return nil, ruleError(positioned(line, col, fmt.Sprintf(
			"rule must evaluate to bool, not %s; compare explicitly, e.g. traits.vip == true",
			checked.OutputType())))
	}
	est, err := e.EstimateCost(checked, sizeEstimator{})
	if err != nil || est.Max > MaxRuleCost {
		// Cost is a property of the whole rule: no single position to blame.
		return nil, ruleError(errs.FieldError{Path: "rule", Message: fmt.Sprintf(
			"rule is too expensive: worst-case cost %s exceeds %d; use fewer loops over traits lists",
			costString(est.Max, err), MaxRuleCost)})
	}
	prg, err := e.Program(checked,
		cel.CostLimit(MaxRuleCost),
		cel.InterruptCheckFrequency(interruptEvery),
		cel.EvalOptions(cel.OptOptimize),
	)
	if err != nil {
		// Planning can fail on e.g. an invalid regex literal that slipped
		// past validation; it is still the rule's fault.
		return nil, ruleError(errs.FieldError{Path: "rule", Message: err.Error()})
	}
	root := checked.NativeRep().Expr()
	return &Rule{source: rule, program: prg, cost: est.Max, readsVisitorID: readsVisitorID(root), readsBehaviour: readsBehaviour(root)}, nil
}

// readsVisitorID says whether a rule may read context.visitorId: true
// unless every use of context names another field (context.device,
// context["channel"]). A rule that iterates over context or indexes it
// with a computed key counts as reading it. Segments that do not depend
// on the visitor id can be computed once per distinct rest of the context
// (the response cache does).
func readsVisitorID(root ast.Expr) bool {
	uses, named := 0, 0
	isContext := func(e ast.Expr) bool { return e.Kind() == ast.IdentKind && e.AsIdent() == "context" }
	ast.PreOrderVisit(root, ast.NewExprVisitor(func(e ast.Expr) {
		switch e.Kind() {
		case ast.IdentKind:
			if isContext(e) {
				uses++
			}
		case ast.SelectKind:
			if sel := e.AsSelect(); isContext(sel.Operand()) && sel.FieldName() != "visitorId" {
				named++
			}
		case ast.CallKind:
			call := e.AsCall()
			args := call.Args()
			if call.FunctionName() == "_[_]" && len(args) == 2 && isContext(args[0]) && args[1].Kind() == ast.LiteralKind {
				if s, ok := args[1].AsLiteral().Value().(string); ok && s != "visitorId" {
					named++
				}
			}
		}
	}))
	return uses > named
}

func ruleError(fields ...errs.FieldError) *errs.Error {
	return errs.Invalid("invalid rule: "+fields[0].Message, fields...)
}

func positioned(line, col int, msg string) errs.FieldError {
	if line <= 0 { // CEL reports no location for some checker errors
		return errs.FieldError{Path: "rule", Message: msg}
	}
	return errs.FieldError{Path: "rule", Message: fmt.Sprintf("line %d, column %d: %s", line, col+1, msg)}
}

func rootLocation(a *cel.Ast) (line, col int) {
	native := a.NativeRep()
	loc := native.SourceInfo().GetStartLocation(native.Expr().ID())
	return loc.Line(), loc.Column()
}

func costString(c uint64, err error) string {
	if err != nil || c == math.MaxUint64 {
		return "unbounded"
	}
	return fmt.Sprint(c)
}

// ruleEnv is the one CEL environment for all rules. A cel.Env is immutable
// and safe for concurrent use, and building one costs far more than a
// compile, so it is built once; it holds no request state.
var compileMu sync.Mutex

var ruleEnv = sync.OnceValues(func() (*cel.Env, error) {
	base, err := cel.NewEnv(
		cel.Variable("context", cel.MapType(cel.StringType, cel.DynType)),
		cel.Variable("traits", cel.MapType(cel.StringType, cel.DynType)),
		cel.CrossTypeNumericComparisons(true),
		cel.OptionalTypes(),
		ext.Strings(),
		cel.ParserExpressionSizeLimit(MaxRuleLength),
		cel.ASTValidators(
			cel.ValidateRegexLiterals(),
			cel.ValidateTimestampLiterals(),
			cel.ValidateDurationLiterals(),
			// Nested loops over visitor input have quadratic cost.
			cel.ValidateComprehensionNestingLimit(1),
			contextFieldValidator{},
			behaviourValidator{},
		),
	)
	if err != nil {
		return nil, err
	}
	return behaviourEnv(base)
})

// numberAdapter makes JSON numbers behave like the numbers people wrote:
// a float64 (or json.Number) without a fractional part becomes a CEL int,
// so `traits.visits == 4` and `traits.visits + 1 > 4` work on decoded JSON.
// It wraps nested maps and lists with itself so the rule applies at any
// depth, lazily: values are only converted when a rule reads them. Other
// values go to next (the env's registry, which knows the native types of
// behaviour.go), or CEL's default adapter.
type numberAdapter struct{ next types.Adapter }

// maxExactInt is 2^53: beyond it float64 cannot represent every integer.
const maxExactInt = 1 << 53

func (a numberAdapter) NativeToValue(v any) ref.Val {
	switch x := v.(type) {
	case float64:
		return number(x)
	case json.Number:
		if f, err := x.Float64(); err == nil {
			return number(f)
		}
	case map[string]any:
		return types.NewStringInterfaceMap(a, x)
	case []any:
		return types.NewDynamicList(a, x)
	}
	if a.next != nil {
		return a.next.NativeToValue(v)
	}
	return types.DefaultTypeAdapter.NativeToValue(v)
}

func number(f float64) ref.Val {
	if f == math.Trunc(f) && math.Abs(f) <= maxExactInt {
		return types.Int(int64(f))
	}
	return types.Double(f)
}

// sizeEstimator bounds every input value (string length, list or map
// size) at assumedInputSize for the compile-time cost estimate; without
// a bound any loop over visitor input would be "unbounded".
type sizeEstimator struct{}

func (sizeEstimator) EstimateSize(n cost.AstNode) *cost.SizeEstimate {
	if len(n.Path()) == 0 {
		return nil
	}
	return &cost.SizeEstimate{Min: 0, Max: assumedInputSize}
}

func (sizeEstimator) EstimateCallCost(string, string, *cost.AstNode, []cost.AstNode) *cost.CallEstimate {
	return nil
}

// contextFieldValidator rejects context.<unknown> (and context["unknown"])
// at compile time, with the position of the reference.
type contextFieldValidator struct{}

func (contextFieldValidator) Name() string { return "mosaic.context_fields" }

func (contextFieldValidator) Validate(_ *cel.Env, _ cel.ValidatorConfig, a *ast.AST, iss *cel.Issues) {
	check := func(id int64, field string) {
		if !slices.Contains(contextFields, field) {
			iss.ReportErrorAtID(id, "unknown context field %q; known fields: %s",
				field, strings.Join(contextFields, ", "))
		}
	}
	isContext := func(e ast.Expr) bool {
		return e.Kind() == ast.IdentKind && e.AsIdent() == "context"
	}
	ast.PreOrderVisit(a.Expr(), ast.NewExprVisitor(func(e ast.Expr) {
		switch e.Kind() {
		case ast.SelectKind:
			if sel := e.AsSelect(); isContext(sel.Operand()) {
				check(e.ID(), sel.FieldName())
			}
		case ast.CallKind:
			call := e.AsCall()
			args := call.Args()
			if call.FunctionName() != "_[_]" || len(args) != 2 || !isContext(args[0]) {
				return
			}
			if args[1].Kind() == ast.LiteralKind {
				if s, ok := args[1].AsLiteral().Value().(string); ok {
					check(e.ID(), s)
				}
			}
		}
	}))
}

// activation resolves the two rule variables without building a map per
// evaluation: one activation serves every rule of a request.
type activation struct {
	ctx    map[string]any
	traits map[string]any
	// The person's behaviour (behaviour.go): prof is nil for an empty
	// history; view is the profile with this request's device and
	// channel, made when a rule first reads it.
	prof *profile.Profile
	view *profile.Profile
	at   time.Time
	dev  string
	chn  string
}

func newActivation(c Context) *activation {
	traits := c.Traits
	if traits == nil {
		traits = map[string]any{}
	}
	segments := c.Segments
	if segments == nil {
		segments = []string{}
	}
	return &activation{
		ctx: map[string]any{
			"visitorId": c.VisitorID,
			"segments":  segments,
			"device":    c.Device,
			"channel":   c.Channel,
			"locale":    c.Locale,
		},
		traits: traits,
		prof:   c.Profile,
		at:     c.At,
		dev:    c.Device,
		chn:    c.Channel,
	}
}

func (a *activation) ResolveName(name string) (any, bool) {
	switch name {
	case "context":
		return a.ctx, true
	case "traits":
		return a.traits, true
	case "events":
		return eventsVal{p: a.prof, at: a.at}, true
	case "profile":
		if a.view == nil {
			a.view = profileView(a.prof, a.dev, a.chn)
		}
		return a.view, true
	case "now":
		return types.Timestamp{Time: a.at}, true
	}
	return nil, false
}

func (a *activation) Parent() interpreter.Activation { return nil }

// errorKind classifies a rule's runtime error so each kind is logged once
// per segment. The set is small and fixed: it bounds the dedupe state.
type errorKind uint8

const (
	errMissing   errorKind = iota // a key (usually a trait) is absent
	errType                       // no overload: a value has the wrong type
	errCost                       // cost or memory limit exceeded
	errInterrupt                  // the request context was cancelled
	errOther
)

var errorKindNames = [...]string{"missing_value", "wrong_type", "cost_limit", "interrupted", "other"}

func (k errorKind) String() string { return errorKindNames[k] }

func classify(err error) errorKind {
	var cancelled interpreter.EvalCancelledError
	switch {
	case errors.As(err, &cancelled) && cancelled.Cause != interpreter.ContextCancelled:
		return errCost
	case errors.As(err, &cancelled), errors.Is(err, interpreter.InterruptError{}):
		return errInterrupt
	}
	msg := err.Error()
	switch {
	case strings.HasPrefix(msg, "no such key"), strings.HasPrefix(msg, "no such attribute"):
		return errMissing
	case strings.HasPrefix(msg, "no such overload"), strings.Contains(msg, "type conversion"):
		return errType
	}
	return errOther
}
