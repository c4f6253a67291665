package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/mosaichq/mosaic/content"
)

const publishedColumns = `p.entry_id::text, p.type_key, p.locale, p.slug, p.version, p.fields, p.variants, p.published_at`

// Delivery reads at an instant: the candidates of an (entry, locale) are its
// live publication and its scheduled publications visible at the instant;
// the newest by publication instant (then version) is what is delivered.
// A release therefore shows at exactly its start on every read path, and a
// publish made after the start wins over the release, as a later publish
// would. When nothing is scheduled the second branch finds nothing through
// an index, so the read path stays one round trip per page.
const (
	candidateColumns = `entry_id, locale, type_key, slug, version, fields, variants, published_at`
	scheduledColumns = `entry_id, locale, type_key, slug, version, fields, variants, visible_from AS published_at`
	newestCandidate  = `SELECT DISTINCT ON (entry_id, locale) ` + candidateColumns + ` FROM (%s) c
		ORDER BY entry_id, locale, published_at DESC, version DESC`
)

var (
	// One round trip: find the documents whose slug, as visible at $4,
	// matches in a chain locale, then return all their chain-locale rows.
	sqlPublishedBySlug = `WITH ids AS (
			SELECT entry_id FROM published_entries
			WHERE slug = $2 AND locale = ANY($3::text[]) AND ($1 = '' OR type_key = $1)
			UNION
			SELECT entry_id FROM scheduled_publications
			WHERE slug = $2 AND locale = ANY($3::text[]) AND ($1 = '' OR type_key = $1) AND visible_from <= $4)
		SELECT ` + publishedColumns + ` FROM (` + fmt.Sprintf(newestCandidate, `
			SELECT `+candidateColumns+` FROM published_entries
			WHERE entry_id IN (SELECT entry_id FROM ids) AND locale = ANY($3::text[])
			UNION ALL
			SELECT `+scheduledColumns+` FROM scheduled_publications
			WHERE entry_id IN (SELECT entry_id FROM ids) AND locale = ANY($3::text[]) AND visible_from <= $4`) + `) p`
	sqlPublishedByIDs = `SELECT ` + publishedColumns + ` FROM (` + fmt.Sprintf(newestCandidate, `
			SELECT `+candidateColumns+` FROM published_entries
			WHERE entry_id = ANY($1::uuid[]) AND locale = ANY($2::text[])
			UNION ALL
			SELECT `+scheduledColumns+` FROM scheduled_publications
			WHERE entry_id = ANY($1::uuid[]) AND locale = ANY($2::text[]) AND visible_from <= $3`) + `) p`
	// The published rows of one type, in the list's locales, at the instant $%d.
	visibleOfType = fmt.Sprintf(newestCandidate, `
			SELECT `+candidateColumns+` FROM published_entries
			WHERE type_key = $1 AND (locale = ANY($2::text[]) OR locale = $3)
			UNION ALL
			SELECT `+scheduledColumns+` FROM scheduled_publications
			WHERE type_key = $1 AND (locale = ANY($2::text[]) OR locale = $3) AND visible_from <= %s`)
	sqlNextPublication = `SELECT min(visible_from) FROM scheduled_publications WHERE visible_from > $1`
)

func scanPublished(rows pgx.Rows, withSort bool) ([]content.Published, error) {
	defer rows.Close()
	var out []content.Published
	for rows.Next() {
		var p content.Published
		var sortValue []byte
		// Fields and variants stay JSON: delivery decodes what it needs of
		// them knowing the type (content/stored.go). pgx copies each value
		// out of its read buffer.
		dest := []any{&p.EntryID, &p.Type, &p.Locale, &p.Slug, &p.Version, (*[]byte)(&p.Fields), (*[]byte)(&p.Variants), &p.PublishedAt}
		if withSort {
			dest = append(dest, &sortValue)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
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
func (s *Store) PublishedBySlug(ctx context.Context, typeKey, slug string, locales []string, at time.Time) ([]content.Published, error) {
	rows, err := s.reader().Query(ctx, sqlPublishedBySlug, typeKey, slug, locales, at)
	if err != nil {
		return nil, fmt.Errorf("loading published %q: %w", slug, err)
	}
	return scanPublished(rows, false)
}

// PublishedByIDs implements content.Store.
func (s *Store) PublishedByIDs(ctx context.Context, ids []string, locales []string, at time.Time) ([]content.Published, error) {
	rows, err := s.reader().Query(ctx, sqlPublishedByIDs, ids, locales, at)
	if err != nil {
		return nil, fmt.Errorf("loading published entries: %w", err)
	}
	return scanPublished(rows, false)
}

// NextPublication implements content.Store.
func (s *Store) NextPublication(ctx context.Context, after time.Time) (time.Time, bool, error) {
	var next *time.Time
	if err := s.reader().QueryRow(ctx, sqlNextPublication, after).Scan(&next); err != nil {
		return time.Time{}, false, fmt.Errorf("finding the next scheduled publication: %w", err)
	}
	if next == nil {
		return time.Time{}, false, nil
	}
	return next.UTC(), true, nil
}

// ListPublished implements content.Store. The query is assembled from fixed
// fragments chosen by validated enums; field names and values only ever
// travel as parameters. With q.Drafts it lists the latest drafts instead.
func (s *Store) ListPublished(ctx context.Context, q content.ListQuery) ([]content.Published, error) {
	sql, args, err := listSQL(q)
	if err != nil {
		return nil, err
	}
	db := s.reader()
	if q.Drafts { // an editor's own work: never behind
		db = s.pool
	}
	rows, err := db.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("listing %s: %w", q.Type, err)
	}
	return scanPublished(rows, true)
}

func listSQL(q content.ListQuery) (string, []any, error) {
	args := []any{q.Type, q.Locales, q.DefaultLocale, q.At}
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
	visible := visibleOfType
	if q.Drafts {
		visible = draftsOfType
	}
	sql := `WITH v AS (` + fmt.Sprintf(visible, "$4") + `),
		b AS (
			SELECT DISTINCT ON (p.entry_id) p.* FROM v p
			WHERE p.locale = ANY($2::text[])
			ORDER BY p.entry_id, array_position($2::text[], p.locale))
		SELECT b.entry_id::text, b.type_key, b.locale, b.slug, b.version, b.fields, b.variants, b.published_at,
			` + sortExpr + ` AS sort_key
		FROM b LEFT JOIN v d ON d.entry_id = b.entry_id AND d.locale = $3
		` + cond + `
		ORDER BY sort_key ` + dir + `, b.entry_id ` + dir + `
		LIMIT ` + arg(q.Limit)
	return sql, args, nil
}
