package graph

import (
	"crypto/sha256"
	"strconv"
	"sync"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// A document's plan: what the response cache needs to know of a document
// once, not per request (respkey.go keys requests with it).

// docPlan is what the cache needs of a document: whether it may be cached
// at all, and where each root field's locale and context come from.
type docPlan struct {
	ok bool
	// write: the document defines a mutation or subscription (GET refuses
	// it whatever operation is named).
	write bool
	// id names the document and operation in keys (their text hashed
	// once, not per request).
	id     [32]byte
	fields []*ast.Field
	// decisions: the document selects Entry.decisionId: its answers show
	// an id when the visitor has one, null when not (the key says which),
	// and with RecordEveryServe are private, each visitor's ids spliced
	// in (respsplice.go).
	decisions bool
	// reasons: it selects a field named reason (Decision.reason, whose
	// cap notes say a person's counts: respcaps.go).
	reasons bool
	// contextVars are the variables root fields take their context from:
	// they reach the answer only through the visitor's class.
	contextVars map[string]bool
}

// planCache keeps documents' plans: read on every request the cache
// keys, under a shared lock (an LRU moved its entry on each read, under
// an exclusive one). Bounded in plans and in the bytes of their texts; a
// full cache starts over, and a plan is cheap to make again.
type planCache struct {
	mu    sync.RWMutex
	m     map[planKey]*docPlan
	bytes int
}

const maxPlans, maxPlanBytes = 1000, 8 << 20

func (pc *planCache) get(k planKey) (*docPlan, bool) {
	pc.mu.RLock()
	p, ok := pc.m[k]
	pc.mu.RUnlock()
	return p, ok
}

func (pc *planCache) add(k planKey, p *docPlan) {
	n := len(k.query) + len(k.operation)
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if _, ok := pc.m[k]; ok {
		return
	}
	if len(pc.m) >= maxPlans || pc.bytes+n > maxPlanBytes {
		clear(pc.m)
		pc.bytes = 0
	}
	pc.m[k] = p
	pc.bytes += n
}

func (c *responseCache) plan(query, operation string) *docPlan {
	if p, ok := c.docs.get(planKey{query, operation}); ok {
		return p
	}
	p := &docPlan{write: definesWrite(query)}
	p.id = sha256.Sum256([]byte(strconv.Quote(query) + strconv.Quote(operation)))
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: query}, parserTokenLimit)
	if err == nil {
		op := doc.Operations.ForName(operation)
		if operation == "" && len(doc.Operations) != 1 {
			op = nil
		}
		// A document selecting Entry.decisionId is kept too: shared,
		// its copies counted by their views (measurement/views.go), or
		// with RecordEveryServe private, each visitor served getting
		// records of its own, their ids spliced in (respsplice.go).
		p.ok = op != nil && op.Operation == ast.Query && len(op.Directives) == 0
		p.decisions = selectsField(doc, "decisionId")
		p.reasons = selectsField(doc, "reason")
		p.contextVars = map[string]bool{}
		for _, sel := range selectionsOf(op) {
			f, isField := sel.(*ast.Field)
			if !isField || !cacheableRoots[f.Name] || len(f.Directives) > 0 {
				p.ok = false
				break
			}
			p.fields = append(p.fields, f)
			for _, name := range []string{"context", "locale"} {
				a := f.Arguments.ForName(name)
				if a == nil || a.Value.Kind != ast.Variable {
					continue
				}
				// A default the executor would apply is not in the
				// request's variables: such a document runs.
				if def := op.VariableDefinitions.ForName(a.Value.Raw); def == nil || def.DefaultValue != nil {
					p.ok = false
				}
				if name == "context" {
					p.contextVars[a.Value.Raw] = true
				}
			}
		}
	}
	c.docs.add(planKey{query, operation}, p)
	return p
}

// selectsField says whether any field of doc (its fragments included) is
// named name.
func selectsField(doc *ast.QueryDocument, name string) bool {
	var walk func(ast.SelectionSet) bool
	walk = func(set ast.SelectionSet) bool {
		for _, sel := range set {
			switch s := sel.(type) {
			case *ast.Field:
				if s.Name == name || walk(s.SelectionSet) {
					return true
				}
			case *ast.InlineFragment:
				if walk(s.SelectionSet) {
					return true
				}
			}
		}
		return false
	}
	for _, op := range doc.Operations {
		if walk(op.SelectionSet) {
			return true
		}
	}
	for _, f := range doc.Fragments {
		if walk(f.SelectionSet) {
			return true
		}
	}
	return false
}

func selectionsOf(op *ast.OperationDefinition) ast.SelectionSet {
	if op == nil {
		return nil
	}
	return op.SelectionSet
}
