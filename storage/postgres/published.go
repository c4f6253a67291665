package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/mosaichq/mosaic/content"
)

const publishedColumns = `p.entry_id::text, p.type_key, p.locale, p.slug, p.version, p.fields, p.variants, p.published_at`

const (
	// One round trip: find the documents whose slug matches in a chain
	// locale, then return all their chain-locale rows.
	sqlPublishedBySlug = `SELECT ` + publishedColumns + ` FROM published_entries p
		WHERE p.locale = ANY($3::text[]) AND p.entry_id IN (
			SELECT entry_id FROM published_entries
			WHERE slug = $2 AND locale = ANY($3::text[]) AND ($1 = '' OR type_key = $1))`
	sqlPublishedByIDs = `SELECT ` + publishedColumns + ` FROM published_entries p
		WHERE p.entry_id = ANY($1::uuid[]) AND p.locale = ANY($2::text[])`
)

func scanPublished(rows pgx.Rows, withSort bool) ([]content.Published, error) {
	defer rows.Close()
	var out []content.Published
	for rows.Next() {
		var p content.Published
		var fields, variants, sortValue []byte
		dest := []any{&p.EntryID, &p.Type, &p.Locale, &p.Slug, &p.Version, &fields, &variants, &p.PublishedAt}
		if withSort {
			dest = append(dest, &sortValue)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		if err := json.Unmarshal(fields, &p.Fields); err != nil {
			return nil, fmt.Errorf("decoding %s fields: %w", p.EntryID, err)
		}
		if err := json.Unmarshal(variants, &p.Variants); err != nil {
			return nil, fmt.Errorf("decoding %s variants: %w", p.EntryID, err)
		}
		if withSort {
			if err := json.Unmarshal(sortValue, &p.SortValue); err != nil {
				return nil, fmt.Errorf("decoding %s sort value: %w", p.EntryID, err)
			}
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// PublishedBySlug implements content.Store.
func (s *Store) PublishedBySlug(ctx context.Context, typeKey, slug string, locales []string) ([]content.Published, error) {
	rows, err := s.pool.Query(ctx, sqlPublishedBySlug, typeKey, slug, locales)
	if err != nil {
		return nil, fmt.Errorf("loading published %q: %w", slug, err)
	}
	return scanPublished(rows, false)
}

// PublishedByIDs implements content.Store.
func (s *Store) PublishedByIDs(ctx context.Context, ids []string, locales []string) ([]content.Published, error) {
	rows, err := s.pool.Query(ctx, sqlPublishedByIDs, ids, locales)
	if err != nil {
		return nil, fmt.Errorf("loading published entries: %w", err)
	}
	return scanPublished(rows, false)
}

// ListPublished implements content.Store. The query is assembled from fixed
// fragments chosen by validated enums; field names and values only ever
// travel as parameters.
func (s *Store) ListPublished(ctx context.Context, q content.ListQuery) ([]content.Published, error) {
	sql, args, err := listSQL(q)
	if err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("listing %s: %w", q.Type, err)
	}
	return scanPublished(rows, true)
}

func listSQL(q content.ListQuery) (string, []any, error) {
	args := []any{q.Type, q.Locales, q.DefaultLocale}
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	jsonArg := func(v any) (string, error) {
		b, err := json.Marshal(v)
		if err != nil {
			return "", fmt.Errorf("encoding filter value: %w", err)
		}
		return arg(string(b)) + "::jsonb", nil
	}
	field := func(k string) string {
		p := arg(k)
		return fmt.Sprintf("COALESCE(b.fields -> %s, d.fields -> %s)", p, p)
	}
	var sortExpr string
	switch q.Sort.Field {
	case "publishedAt":
		// Microseconds as an integer survive a JSON round trip exactly.
		sortExpr = "to_jsonb((extract(epoch FROM b.published_at) * 1000000)::bigint)"
	case "slug":
		sortExpr = "to_jsonb(b.slug)"
	default:
		sortExpr = "COALESCE(" + field(q.Sort.Field) + ", 'null'::jsonb)"
	}
	var where []string
	for _, f := range q.Filters {
		e := field(f.Field)
		if f.Op == content.OpExists {
			where = append(where, e+" IS NOT NULL")
			continue
		}
		v, err := jsonArg(f.Value)
		if err != nil {
			return "", nil, err
		}
		// Equality on a list field means "contains".
		eq := fmt.Sprintf("(%[1]s = %[2]s OR (jsonb_typeof(%[1]s) = 'array' AND %[1]s @> jsonb_build_array(%[2]s)))", e, v)
		switch f.Op {
		case content.OpEq:
			where = append(where, eq)
		case content.OpNe:
			where = append(where, "NOT COALESCE("+eq+", false)")
		case content.OpGt:
			where = append(where, e+" > "+v)
		case content.OpGte:
			where = append(where, e+" >= "+v)
		case content.OpLt:
			where = append(where, e+" < "+v)
		case content.OpLte:
			where = append(where, e+" <= "+v)
		case content.OpIn:
			where = append(where, v+" @> jsonb_build_array("+e+")")
		default:
			return "", nil, fmt.Errorf("unknown filter operator %q", f.Op)
		}
	}
	dir, cmp := "ASC", ">"
	if q.Sort.Descending {
		dir, cmp = "DESC", "<"
	}
	if q.After != nil {
		v, err := jsonArg(q.After.SortValue)
		if err != nil {
			return "", nil, err
		}
		where = append(where, fmt.Sprintf("(%s, b.entry_id) %s (%s, %s::uuid)", sortExpr, cmp, v, arg(q.After.EntryID)))
	}
	cond := ""
	if len(where) > 0 {
		cond = "WHERE " + strings.Join(where, " AND ")
	}
	sql := `WITH b AS (
			SELECT DISTINCT ON (p.entry_id) p.* FROM published_entries p
			WHERE p.type_key = $1 AND p.locale = ANY($2::text[])
			ORDER BY p.entry_id, array_position($2::text[], p.locale))
		SELECT b.entry_id::text, b.type_key, b.locale, b.slug, b.version, b.fields, b.variants, b.published_at,
			` + sortExpr + ` AS sort_key
		FROM b LEFT JOIN published_entries d ON d.entry_id = b.entry_id AND d.locale = $3
		` + cond + `
		ORDER BY sort_key ` + dir + `, b.entry_id ` + dir + `
		LIMIT ` + arg(q.Limit)
	return sql, args, nil
}
