package graph

import (
	"github.com/vektah/gqlparser/v2/ast"
)

// A document's shape, measured in time linear in its size. N fragments
// that each spread the next twice make a document of a few hundred bytes
// that expands to 2^N fields: anything that walks it expanded — the
// validator, the complexity calculator, a depth check — does exponential
// work. So the guard measures every fragment once (memoised) before the
// document is validated, and refuses what expands too far; every walk
// after that is bounded by the refusal.

// saturated caps the expanded counts: past it a document is refused
// anyway, and sums of 2^40 cannot overflow.
const saturated = 1 << 40

// docShape is what a selection set (or fragment) amounts to once every
// fragment in it is expanded.
type docShape struct {
	depth   int   // field levels
	aliases int64 // aliased fields
	fields  int64 // field selections
	spreads int64 // fragment spreads
	// introspection: __schema or __type is selected at this set's own
	// level (through fragments, not under a field).
	introspection bool
	// nul: an inline argument somewhere below holds U+0000.
	nul bool
}

func (s *docShape) add(o docShape) {
	s.depth = max(s.depth, o.depth)
	s.aliases = min(s.aliases+o.aliases, saturated)
	s.fields = min(s.fields+o.fields, saturated)
	s.spreads = min(s.spreads+o.spreads, saturated)
	s.nul = s.nul || o.nul
}

// shaper memoises fragment shapes for one document.
type shaper struct {
	doc  *ast.QueryDocument
	memo map[string]*docShape
}

// measureDocument returns the largest shape among the document's
// operations: the validator walks every operation, selected or not.
func measureDocument(doc *ast.QueryDocument) docShape {
	sh := shaper{doc: doc, memo: map[string]*docShape{}}
	var out docShape
	for _, op := range doc.Operations {
		s := sh.set(op.SelectionSet)
		s.nul = s.nul || directivesHaveNUL(op.Directives)
		out.add(s)
		out.introspection = out.introspection || s.introspection
	}
	return out
}

// measureOperation is the shape of one operation.
func measureOperation(doc *ast.QueryDocument, op *ast.OperationDefinition) docShape {
	sh := shaper{doc: doc, memo: map[string]*docShape{}}
	s := sh.set(op.SelectionSet)
	s.nul = s.nul || directivesHaveNUL(op.Directives)
	return s
}

func (sh *shaper) set(set ast.SelectionSet) docShape {
	var out docShape
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			sub := sh.set(s.SelectionSet)
			f := docShape{depth: sub.depth + 1, aliases: sub.aliases, fields: min(sub.fields+1, saturated), spreads: sub.spreads, nul: sub.nul}
			if s.Alias != "" && s.Alias != s.Name {
				f.aliases = min(f.aliases+1, saturated)
			}
			f.nul = f.nul || argumentsHaveNUL(s.Arguments) || directivesHaveNUL(s.Directives)
			out.add(f)
			out.introspection = out.introspection || s.Name == "__schema" || s.Name == "__type"
		case *ast.InlineFragment:
			sub := sh.set(s.SelectionSet)
			sub.nul = sub.nul || directivesHaveNUL(s.Directives)
			out.add(sub)
			out.introspection = out.introspection || sub.introspection
		case *ast.FragmentSpread:
			sub := sh.fragment(s.Name)
			sub.spreads = min(sub.spreads+1, saturated)
			sub.nul = sub.nul || directivesHaveNUL(s.Directives)
			out.add(sub)
			out.introspection = out.introspection || sub.introspection
		}
	}
	return out
}

// fragment measures a named fragment once. A fragment met again while it
// is being measured is a cycle: it counts as empty here, and the validator
// refuses the document.
func (sh *shaper) fragment(name string) docShape {
	if s, ok := sh.memo[name]; ok {
		if s == nil {
			return docShape{}
		}
		return *s
	}
	f := sh.doc.Fragments.ForName(name)
	if f == nil {
		return docShape{}
	}
	sh.memo[name] = nil // in progress
	s := sh.set(f.SelectionSet)
	s.nul = s.nul || directivesHaveNUL(f.Directives)
	sh.memo[name] = &s
	return s
}

func argumentsHaveNUL(args ast.ArgumentList) bool {
	for _, a := range args {
		if valueHasNUL(a.Value) {
			return true
		}
	}
	return false
}

func directivesHaveNUL(ds ast.DirectiveList) bool {
	for _, d := range ds {
		if argumentsHaveNUL(d.Arguments) {
			return true
		}
	}
	return false
}
