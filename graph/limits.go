package graph

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/complexity"
	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/lexer"

	"github.com/mosaichq/mosaic/auth"
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
	limits Limits
	es     graphql.ExecutableSchema
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
	return &guard{limits: l}
}

func (g *guard) ExtensionName() string { return "MosaicGuard" }

func (g *guard) Validate(es graphql.ExecutableSchema) error { g.es = es; return nil }

// MutateOperationParameters scans the raw query's tokens: braces outside
// argument lists are selection sets, "name :" outside them is an alias.
// Both are lower bounds of the real figures (fragments are not expanded
// here), so a refusal here is always right.
func (g *guard) MutateOperationParameters(_ context.Context, p *graphql.RawParams) *gqlerror.Error {
	depth, aliases := lexicalShape(p.Query)
	return g.checkShape(depth, aliases)
}

func (g *guard) checkShape(depth, aliases int) *gqlerror.Error {
	switch {
	case depth > g.limits.MaxDepth:
		return tooComplex(fmt.Sprintf("query depth %d exceeds the limit of %d", depth, g.limits.MaxDepth),
			map[string]any{"depth": depth, "limit": g.limits.MaxDepth})
	case aliases > g.limits.MaxAliases:
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
	if !g.limits.Introspection && selectsIntrospection(op.Operation.SelectionSet, op.Doc, 0) {
		return coded(errs.Forbidden, "introspection is disabled on this server (MOSAIC_INTROSPECTION=true enables it)", nil)
	}
	if hasNUL(op.Variables) || selectionHasNUL(op.Operation.SelectionSet, op.Doc, 0) {
		// PostgreSQL cannot store U+0000 in text or jsonb: refuse it up front
		// as the client's mistake rather than fail deep down.
		return coded(errs.BadUserInput, "strings may not contain the NUL character (U+0000)", nil)
	}
	depth, aliases := shape(op.Operation.SelectionSet, op.Doc, 0)
	if err := g.checkShape(depth, aliases); err != nil {
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
	if err := auth.ErrorFromContext(ctx); err != nil {
		return gqlerror.WrapIfUnwrapped(err)
	}
	if _, ok := auth.FromContext(ctx); ok || !g.limits.RequireAPIKey {
		return nil
	}
	return coded(errs.Unauthenticated, "an API key is required: send X-API-Key: <key> (public delivery is off on this server)", nil)
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

// shape returns the depth of a selection set and the aliases in it,
// expanding fragments (validation has refused fragment cycles already; the
// level bound is a second guard).
func shape(set ast.SelectionSet, doc *ast.QueryDocument, level int) (depth, aliases int) {
	if level > 1000 {
		return level, 0
	}
	for _, sel := range set {
		var d, a int
		switch s := sel.(type) {
		case *ast.Field:
			d, a = shape(s.SelectionSet, doc, level+1)
			d++
			if s.Alias != "" && s.Alias != s.Name {
				a++
			}
		case *ast.InlineFragment:
			d, a = shape(s.SelectionSet, doc, level)
		case *ast.FragmentSpread:
			if f := doc.Fragments.ForName(s.Name); f != nil {
				d, a = shape(f.SelectionSet, doc, level)
			}
		}
		depth, aliases = max(depth, d), aliases+a
	}
	return depth, aliases
}

// selectsIntrospection reports whether the root selection asks for __schema
// or __type (__typename is always allowed).
func selectsIntrospection(set ast.SelectionSet, doc *ast.QueryDocument, level int) bool {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if s.Name == "__schema" || s.Name == "__type" {
				return true
			}
		case *ast.InlineFragment:
			if level < 10 && selectsIntrospection(s.SelectionSet, doc, level+1) {
				return true
			}
		case *ast.FragmentSpread:
			if f := doc.Fragments.ForName(s.Name); f != nil && level < 10 && selectsIntrospection(f.SelectionSet, doc, level+1) {
				return true
			}
		}
	}
	return false
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
