package search

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/mosaichq/mosaic/errs"
)

// Limits on what one query may ask for: beyond them a query costs more
// than any person typing into a search box needs.
const (
	MaxQueryLength = 256 // characters
	maxClauses     = 16
	maxFuzziness   = 2
	minWildcardLit = 2 // literal characters before the first wildcard
	titleBoost     = 3.0
)

// userFields are the field names a query may use (title:winter), and the
// index field each one searches. Text fields are per language: "" stands
// for the language's own field.
var userFields = map[string]string{"title": "", "body": "", fieldType: fieldType, fieldTags: fieldTags, fieldSlug: fieldSlug}

func badQuery(format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	return errs.Invalid("invalid search query: "+msg, errs.FieldError{Path: "query", Message: msg})
}

// parseQuery turns the user's query into a bleve query over lang's fields.
// The syntax is bleve's query string syntax, restricted: words, +must,
// -mustNot, "phrases", fuzzy~N (N ≤ 2), prefix* wildcards, ^boosts and
// field:value for title, body, type, tags and slug. Regular expressions and
// numeric or date ranges are refused. An empty query matches everything.
func parseQuery(q, lang string) (query.Query, error) {
	q = strings.TrimSpace(q)
	if q == "" {
		return query.NewMatchAllQuery(), nil
	}
	if !utf8.ValidString(q) {
		return nil, badQuery("not valid UTF-8")
	}
	if n := utf8.RuneCountInString(q); n > MaxQueryLength {
		return nil, badQuery("%d characters; at most %d", n, MaxQueryLength)
	}
	if err := checkParens(q); err != nil {
		return nil, err
	}
	parsed, err := query.NewQueryStringQuery(q).Parse()
	if err != nil {
		return nil, badQuery("%s; %s", firstLine(err.Error()), syntaxHint)
	}
	r := rewriter{lang: lang}
	out, err := r.rewrite(parsed)
	if err != nil {
		return nil, err
	}
	if r.clauses > maxClauses {
		return nil, badQuery("%d terms; at most %d", r.clauses, maxClauses)
	}
	return out, nil
}

// syntaxHint is what a refused query is told it may write.
const syntaxHint = `write words, "phrases", +must, -mustNot, field:value (title, body, type, tags, slug), ` +
	`prefix* or fuzzy~1, and escape + - : ( ) " \ with a backslash to search for them`

// checkParens refuses an unescaped parenthesis outside a phrase. bleve's
// query string has no grouping: "title:(winter" would silently search the
// title for nothing and find nothing, "(a b)" would not group. A client
// writing one means a syntax this search does not have, so it is told.
func checkParens(q string) error {
	inPhrase, escaped := false, false
	for i, r := range q {
		switch {
		case escaped:
			escaped = false
		case r == '\\':
			escaped = true
		case r == '"':
			inPhrase = !inPhrase
		case !inPhrase && (r == '(' || r == ')'):
			return badQuery("%q at character %d: parentheses do not group terms here; %s", string(r), utf8.RuneCountInString(q[:i])+1, syntaxHint)
		}
	}
	return nil
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// rewriter maps the parsed tree onto the index's fields, checking every
// leaf. Compound queries are rewritten in place, keeping bleve's
// query-string semantics (a query of only -terms matches everything else).
type rewriter struct {
	lang    string
	clauses int
}

func (r *rewriter) rewrite(q query.Query) (query.Query, error) {
	switch x := q.(type) {
	case *query.BooleanQuery:
		for _, part := range []*query.Query{&x.Must, &x.Should, &x.MustNot} {
			if *part == nil {
				continue
			}
			nq, err := r.rewrite(*part)
			if err != nil {
				return nil, err
			}
			*part = nq
		}
		return x, nil
	case *query.ConjunctionQuery:
		return x, r.rewriteAll(x.Conjuncts)
	case *query.DisjunctionQuery:
		return x, r.rewriteAll(x.Disjuncts)
	case *query.MatchQuery:
		r.clauses++
		if x.Fuzziness > maxFuzziness {
			return nil, badQuery("fuzziness %d; at most %d", x.Fuzziness, maxFuzziness)
		}
		return r.onFields(x.FieldVal, func(field string) query.Query {
			m := *x
			m.FieldVal = field
			return &m
		}, x.BoostVal)
	case *query.MatchPhraseQuery:
		r.clauses++
		return r.onFields(x.FieldVal, func(field string) query.Query {
			m := *x
			m.FieldVal = field
			return &m
		}, x.BoostVal)
	case *query.WildcardQuery:
		r.clauses++
		lit := strings.IndexAny(x.Wildcard, "*?")
		if lit < minWildcardLit {
			return nil, badQuery("%q: a wildcard needs at least %d letters before * or ?", x.Wildcard, minWildcardLit)
		}
		// Wildcards are not analyzed: match the folded, lower-case terms
		// the index holds (stems, for words typed in full).
		pattern := x.Wildcard
		if x.FieldVal != fieldType && x.FieldVal != fieldTags && x.FieldVal != fieldSlug {
			pattern = foldString(pattern)
		}
		return r.onFields(x.FieldVal, func(field string) query.Query {
			w := query.NewWildcardQuery(pattern)
			w.SetField(field)
			return w
		}, x.BoostVal)
	case *query.NumericRangeQuery:
		// A bare number parses as "the word or the number": keep the word.
		if x.FieldVal == "" {
			return query.NewMatchNoneQuery(), nil
		}
		return nil, badQuery("range queries (%s:>…) are not supported", x.FieldVal)
	case *query.RegexpQuery:
		return nil, badQuery("regular expressions (/…/) are not supported")
	case *query.DateRangeStringQuery, *query.DateRangeQuery:
		return nil, badQuery("range queries are not supported")
	}
	return nil, badQuery("unsupported query part %T", q)
}

func (r *rewriter) rewriteAll(list []query.Query) error {
	for i, q := range list {
		nq, err := r.rewrite(q)
		if err != nil {
			return err
		}
		list[i] = nq
	}
	return nil
}

// onFields builds the leaf for a user field: an unqualified term searches
// the title (weighed up) and the body of the query's language.
func (r *rewriter) onFields(user string, leaf func(field string) query.Query, boost *query.Boost) (query.Query, error) {
	target, ok := userFields[user]
	switch {
	case user == "":
		title := leaf(titleField(r.lang))
		setBoost(title, titleBoost*boostOf(boost))
		return query.NewDisjunctionQuery([]query.Query{title, leaf(bodyField(r.lang))}), nil
	case !ok:
		return nil, badQuery("unknown field %q; use title, body, type, tags or slug", user)
	case target == "" && user == "title":
		return leaf(titleField(r.lang)), nil
	case target == "":
		return leaf(bodyField(r.lang)), nil
	}
	return leaf(target), nil
}

func boostOf(b *query.Boost) float64 {
	if b == nil {
		return 1
	}
	return b.Value()
}

func setBoost(q query.Query, v float64) {
	if b, ok := q.(query.BoostableQuery); ok {
		b.SetBoost(v)
	}
}
