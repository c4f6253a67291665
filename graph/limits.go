package graph

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/complexity"
	"github.com/99designs/gqlgen/graphql"
	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/lexer"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/mosaichq/mosaic/delivery"
	"github.com/mosaichq/mosaic/errs"
)

// Defaults for the shape limits (Limits.MaxDepth, Limits.MaxAliases).
const (
	// DefaultMaxDepth fits every query the clients and GraphiQL's
	// introspection (13 levels) send, and refuses recursion through linked
	// entries and blocks long before it costs anything.
	DefaultMaxDepth = 15
	// DefaultMaxAliases: a page asks for a few entries under names; a
	// thousand aliases of one field is an amplification attack.
	DefaultMaxAliases = 30
	// parserTokenLimit bounds parsing itself (a 1 MiB body could hold
	// ~300k tokens); Mosaic's own largest queries are a few hundred.
	parserTokenLimit = 15_000
	// maxExpandedFields bounds fragment expansion when no complexity
	// limit is set.
	maxExpandedFields = 10_000
	// maxExpandedSpreads bounds fragment spreads once expanded: GraphiQL's
	// introspection query makes 10, a page with a fragment per block type
	// a few dozen; a fragment chain that doubles at each link makes 2^N.
	maxExpandedSpreads = 250
	// measuredDocuments is how many accepted documents the guard
	// remembers, as gqlgen's parsed-query cache does.
	measuredDocuments = 1000
)

// Cost is what an operation was measured at, reported in every answered
// response under extensions.cost, and in refusals.
type Cost struct {
	Complexity    int `json:"complexity"`
	MaxComplexity int `json:"maxComplexity"`
	Depth         int `json:"depth"`
	MaxDepth      int `json:"maxDepth"`
	Aliases       int `json:"aliases"`
	MaxAliases    int `json:"maxAliases"`
}

const costKey = "cost"

// guard is the handler extension that enforces Limits on every operation:
// a lexical check of depth and aliases before the document is parsed (so
// an abusive document costs no parse or validation), the exact checks
// through fragments after validation, weighted complexity, introspection,
// and the API-key requirement. It reports the cost in extensions.
type guard struct {
	limits   Limits
	es       graphql.ExecutableSchema
	measured *lru.Cache[string, struct{}]
}

var (
	_ graphql.HandlerExtension          = (*guard)(nil)
	_ graphql.OperationParameterMutator = (*guard)(nil)
	_ graphql.OperationContextMutator   = (*guard)(nil)
	_ graphql.ResponseInterceptor       = (*guard)(nil)
)

func newGuard(l Limits) *guard {
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultMaxDepth
	}
	if l.MaxAliases <= 0 {
		l.MaxAliases = DefaultMaxAliases
	}
	measured, _ := lru.New[string, struct{}](measuredDocuments) // errs only for a size < 1
	return &guard{limits: l, measured: measured}
}

func (g *guard) ExtensionName() string { return "MosaicGuard" }

func (g *guard) Validate(es graphql.ExecutableSchema) error { g.es = es; return nil }

// MutateOperationParameters runs before gqlgen parses and validates the
// document. It first scans the raw tokens (braces outside argument lists
// are selection sets, "name :" outside them is an alias: lower bounds of
// the real figures, so a refusal there is always right and costs no
// parse), then parses the document and measures it with every fragment
// expanded, each fragment once (docshape.go): a document that expands
// past the limits is refused before validation, which would walk it
// expanded. Measured documents are remembered, as gqlgen remembers parsed
// ones, so a repeated query is not parsed twice.
func (g *guard) MutateOperationParameters(_ context.Context, p *graphql.RawParams) *gqlerror.Error {
	depth, aliases := lexicalShape(p.Query)
	if err := g.checkShape(depth, int64(aliases)); err != nil {
		return err
	}
	if p.Query == "" || g.measured.Contains(p.Query) {
		return nil
	}
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: p.Query}, parserTokenLimit)
	if err != nil {
		return nil // gqlgen parses it again and reports the syntax error
	}
	s := measureDocument(doc)
	if err := g.checkShape(s.depth, s.aliases); err != nil {
		return err
	}
	if err := g.checkExpansion(s.fields, s.spreads); err != nil {
		return err
	}
	g.measured.Add(p.Query, struct{}{})
	return nil
}

// checkExpansion bounds the fields a document expands to. Every field
// costs at least 1 in the complexity calculation, so with a complexity
// limit the same limit applies: a document refused here would be refused
// after validation anyway, at exponential cost.
func (g *guard) checkExpansion(fields, spreads int64) *gqlerror.Error {
	if spreads > maxExpandedSpreads {
		return tooComplex(fmt.Sprintf("the document spreads fragments %s times once expanded, more than the limit of %d: spread each fragment where it is needed, not in chains",
			count(spreads), maxExpandedSpreads), map[string]any{"spreads": spreads, "limit": maxExpandedSpreads})
	}
	limit := int64(g.limits.MaxComplexity)
	if limit <= 0 {
		limit = maxExpandedFields
	}
	if fields <= limit {
		return nil
	}
	return tooComplex(fmt.Sprintf("the document expands to %s fields through its fragments, more than the limit of %d", count(fields), limit),
		map[string]any{"fields": fields, "limit": limit})
}

func count(n int64) string {
	if n >= saturated {
		return "more than a trillion"
	}
	return fmt.Sprint(n)
}

func (g *guard) checkShape(depth int, aliases int64) *gqlerror.Error {
	switch {
	case depth > g.limits.MaxDepth:
		return tooComplex(fmt.Sprintf("query depth %d exceeds the limit of %d", depth, g.limits.MaxDepth),
			map[string]any{"depth": depth, "limit": g.limits.MaxDepth})
	case aliases > int64(g.limits.MaxAliases):
		return tooComplex(fmt.Sprintf("query has %d aliases, more than the limit of %d", aliases, g.limits.MaxAliases),
			map[string]any{"aliases": aliases, "limit": g.limits.MaxAliases})
	}
	return nil
}

// MutateOperationContext runs after parsing and validation.
func (g *guard) MutateOperationContext(ctx context.Context, op *graphql.OperationContext) *gqlerror.Error {
	if err := g.checkCredentials(ctx, op.Operation); err != nil {
		return err
	}
	shape := measureOperation(op.Doc, op.Operation)
	if !g.limits.Introspection && shape.introspection {
		return coded(errs.Forbidden, "introspection is disabled on this server (MOSAIC_INTROSPECTION=true enables it)", nil)
	}
	if hasNUL(op.Variables) || shape.nul {
		// PostgreSQL cannot store U+0000 in text or jsonb: refuse it up front
		// as the client's mistake rather than fail deep down.
		return coded(errs.BadUserInput, "strings may not contain the NUL character (U+0000)", nil)
	}
	depth, aliases := shape.depth, int(shape.aliases)
	if err := g.checkShape(depth, shape.aliases); err != nil {
		return err
	}
	cost := &Cost{Complexity: complexity.Calculate(ctx, g.es, op.Operation, op.Variables), MaxComplexity: g.limits.MaxComplexity,
		Depth: depth, MaxDepth: g.limits.MaxDepth, Aliases: aliases, MaxAliases: g.limits.MaxAliases}
	op.Stats.SetExtension(costKey, cost)
	if g.limits.MaxComplexity > 0 && cost.Complexity > g.limits.MaxComplexity {
		return tooComplex(fmt.Sprintf("operation has complexity %d, which exceeds the limit of %d (lists weigh by first)",
			cost.Complexity, g.limits.MaxComplexity), map[string]any{"cost": cost.Complexity, "limit": g.limits.MaxComplexity})
	}
	return nil
}

// InterceptResponse adds extensions.cost to every answered operation.
func (g *guard) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if resp == nil || !graphql.HasOperationContext(ctx) {
		return resp
	}
	if cost, ok := graphql.GetOperationContext(ctx).Stats.GetExtension(costKey).(*Cost); ok {
		if resp.Extensions == nil {
			resp.Extensions = map[string]any{}
		}
		resp.Extensions[costKey] = cost
	}
	return resp
}

// checkCredentials refuses an operation whose credential was refused (an
// expired token or a revoked key must not quietly read as anonymous), and,
// with RequireAPIKey, an anonymous one. Logging in (and __typename) is
// always allowed: it is how a client with an expired token gets a new one.
func (g *guard) checkCredentials(ctx context.Context, op *ast.OperationDefinition) *gqlerror.Error {
	if onlyLogin(op) {
		return nil
	}
	err := delivery.Policy{RequireAPIKey: g.limits.RequireAPIKey}.Authorize(ctx)
	if err == nil {
		return nil
	}
	if errs.CodeOf(err) == errs.ServiceUnavailable {
		retryLater(ctx)
	}
	return gqlerror.WrapIfUnwrapped(err)
}

func onlyLogin(op *ast.OperationDefinition) bool {
	for _, sel := range op.SelectionSet {
		f, ok := sel.(*ast.Field)
		if !ok || (f.Name != "__typename" && !(op.Operation == ast.Mutation && f.Name == "login")) {
			return false
		}
	}
	return true
}

func tooComplex(msg string, ext map[string]any) *gqlerror.Error {
	return coded(errs.QueryTooComplex, msg, ext)
}

// coded is a gqlerror carrying one of Mosaic's codes and details; the error
// presenter passes such errors through unchanged.
func coded(code errs.Code, msg string, ext map[string]any) *gqlerror.Error {
	e := &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": string(code)}}
	for k, v := range ext {
		e.Extensions[k] = v
	}
	return e
}

// lexicalShape measures a query without parsing it. A lexing error stops
// the scan: the parser will report it properly. Inline fragments ("... on
// T {" and "... {") open a brace but not a level of fields.
func lexicalShape(query string) (depth, aliases int) {
	l := lexer.New(&ast.Source{Input: query})
	levels, parens := 0, 0
	var open []bool // per open selection set: whether it is a level
	inline := false // after "...", until its "{" or a fragment's name
	var prev lexer.Type
	for {
		tok, err := l.ReadToken()
		if err != nil || tok.Kind == lexer.EOF {
			return depth, aliases
		}
		switch tok.Kind {
		case lexer.Spread:
			inline = true
		case lexer.Name:
			if prev == lexer.Spread && tok.Value != "on" {
				inline = false // a named fragment spread
			}
		case lexer.ParenL:
			parens++
		case lexer.ParenR:
			parens--
		case lexer.BraceL:
			if parens == 0 {
				open = append(open, !inline)
				if !inline {
					levels++
					depth = max(depth, levels)
				}
				inline = false
			}
		case lexer.BraceR:
			if parens == 0 && len(open) > 0 {
				if open[len(open)-1] {
					levels--
				}
				open = open[:len(open)-1]
			}
		case lexer.Colon:
			if parens == 0 && prev == lexer.Name {
				aliases++
			}
		case lexer.Comment:
			continue
		}
		prev = tok.Kind
	}
}
