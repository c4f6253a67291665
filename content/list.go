package content

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"

	"github.com/mosaichq/mosaic/errs"
)

// ListRequest is a delivery list request as a client sends it.
type ListRequest struct {
	Type    string
	Locale  string
	First   int
	After   string
	Filters []Filter
	Sort    *SortKey
	// At is the instant the list is delivered at (zero: now); see EntryAt.
	At time.Time
	// Preview lists the latest drafts instead (see PreviewEntry); At is
	// then ignored and sorting by publishedAt sorts by last save.
	Preview bool
}

// ListPage is one page of a delivery list.
type ListPage struct {
	Items       []*Resolved
	Cursors     []string
	HasNextPage bool
}

const maxFilters = 10

// List returns published entries of a type. Filters and sorting see each
// entry's own locale row, then the default locale's (where non-localized
// fields live); the page's entries are then fully resolved in a batch.
func (s *Service) List(ctx context.Context, req ListRequest) (*ListPage, error) {
	ct, err := s.inputType(ctx, req.Type)
	if err != nil {
		return nil, err
	}
	chain, err := s.cfg.Locales.Chain(req.Locale)
	if err != nil {
		return nil, err
	}
	sort := SortKey{Field: "publishedAt", Descending: true}
	if req.Sort != nil {
		sort = *req.Sort
	}
	if err := checkSort(ct, sort); err != nil {
		return nil, err
	}
	if err := checkFilters(ct, req.Filters); err != nil {
		return nil, err
	}
	limit, err := pageLimit(req.First)
	if err != nil {
		return nil, err
	}
	at := s.instant(req.At)
	q := ListQuery{Type: ct.Key, Locales: chain, DefaultLocale: s.cfg.Locales.Default, Filters: req.Filters,
		Sort: sort, Limit: limit + 1, At: at, Drafts: req.Preview}
	if req.After != "" {
		c, err := decodeCursor(req.After, sort)
		if err != nil {
			return nil, err
		}
		q.After = c
	}
	rows, err := s.store.ListPublished(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("listing %s: %w", ct.Key, err)
	}
	page := &ListPage{}
	if len(rows) == q.Limit {
		page.HasNextPage = true
		rows = rows[:len(rows)-1]
	}
	if len(rows) == 0 {
		return page, nil
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.EntryID
	}
	read := s.publishedAt(at)
	if req.Preview {
		read = s.store.DraftsByIDs
	}
	full, err := read(ctx, ids, chain)
	if err != nil {
		return nil, fmt.Errorf("loading %s page: %w", ct.Key, err)
	}
	docs, err := s.assemble(ctx, chain, full, read)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		d := docs[r.EntryID]
		if d == nil {
			continue // unpublished between the two reads
		}
		page.Items = append(page.Items, d)
		page.Cursors = append(page.Cursors, encodeCursor(Cursor{SortValue: r.SortValue, EntryID: r.EntryID, Sort: sortName(sort)}))
	}
	return page, nil
}

func sortName(k SortKey) string {
	if k.Descending {
		return k.Field + ":desc"
	}
	return k.Field + ":asc"
}

func checkSort(ct ContentType, k SortKey) error {
	if k.Field == "publishedAt" || k.Field == "slug" {
		return nil
	}
	f, ok := ct.Field(k.Field)
	if !ok || f.List {
		return errs.Invalid(fmt.Sprintf("cannot sort %s by %q", ct.Key, k.Field),
			errs.FieldError{Path: "sort.field", Message: "sort by publishedAt, slug or a single text, number, boolean, date-time or enum field"})
	}
	switch f.Kind {
	case KindText, KindNumber, KindBoolean, KindDateTime, KindEnum:
		return nil
	}
	return errs.Invalid(fmt.Sprintf("cannot sort by %s field %q", f.Kind, f.Key),
		errs.FieldError{Path: "sort.field", Message: "not sortable"})
}

func checkFilters(ct ContentType, filters []Filter) error {
	if len(filters) > maxFilters {
		return errs.Invalid(fmt.Sprintf("at most %d filters", maxFilters))
	}
	var fe []errs.FieldError
	for i, flt := range filters {
		p := fmt.Sprintf("filter.%d", i)
		f, ok := ct.Field(flt.Field)
		if !ok {
			fe = append(fe, errs.FieldError{Path: p + ".field", Message: fmt.Sprintf("%q has no field %q", ct.Key, flt.Field)})
			continue
		}
		if f.Kind == KindBlocks || f.Kind == KindRichText || f.Kind == KindJSON {
			fe = append(fe, errs.FieldError{Path: p + ".field", Message: fmt.Sprintf("%s fields cannot be filtered", f.Kind)})
			continue
		}
		if msg := filterValueProblem(f, flt); msg != "" {
			fe = append(fe, errs.FieldError{Path: p + ".value", Message: msg})
		}
	}
	if len(fe) > 0 {
		return errs.Invalid("invalid filter", fe...)
	}
	return nil
}

func filterValueProblem(f Field, flt Filter) string {
	single := f
	single.List, single.Min, single.Max, single.Pattern = false, nil, nil, ""
	check := func(v any) string {
		val := validation{types: func(string) (ContentType, bool) { return ContentType{}, false }, isDefault: true, blockIDs: map[string]bool{}}
		val.value("value", single, v, 0)
		if len(val.problems) > 0 {
			return val.problems[0].Message
		}
		return ""
	}
	switch flt.Op {
	case OpExists:
		return ""
	case OpIn:
		list, ok := flt.Value.([]any)
		if !ok || len(list) == 0 || len(list) > 100 {
			return "IN takes a list of 1 to 100 values"
		}
		for _, v := range list {
			if msg := check(v); msg != "" {
				return msg
			}
		}
		return ""
	case OpEq, OpNe, OpGt, OpGte, OpLt, OpLte:
		if f.List && flt.Op != OpEq && flt.Op != OpNe {
			return "list fields take EQ, NE, IN or EXISTS"
		}
		return check(flt.Value)
	}
	return fmt.Sprintf("unknown operator %q", flt.Op)
}

func encodeCursor(c Cursor) string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string, sort SortKey) (*Cursor, error) {
	bad := errs.Invalid("invalid cursor", errs.FieldError{Path: "after", Message: "not a cursor from this list"})
	if len(s) > 2048 {
		return nil, bad
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, bad
	}
	var c Cursor
	if err := json.Unmarshal(b, &c); err != nil || !uuidPattern.MatchString(c.EntryID) {
		return nil, bad
	}
	if c.Sort != sortName(sort) {
		return nil, errs.Invalid("cursor belongs to another sort order", errs.FieldError{Path: "after", Message: "cursor was made for sort " + c.Sort})
	}
	return &c, nil
}
