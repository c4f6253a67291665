package postgres

import (
	"fmt"
	"strings"

	"github.com/mosaichq/mosaic/content"
)

// draftSortKeys are the SQL expressions a draft list can be ordered by, with
// %[1]s for the table alias: the page's rows (d) and the cursor's row (c)
// are compared on the same expression. Entries without a title sort as "".
var draftSortKeys = map[content.DraftSortField]string{
	content.DraftByID:        `%[1]s.entry_id`,
	content.DraftByUpdatedAt: `%[1]s.updated_at`,
	content.DraftBySlug:      `%[1]s.slug`,
	content.DraftByTitle:     `COALESCE(%[1]s.fields->>'title', '')`,
}

// draftStatusSQL is content.Entry.Status in SQL, so the status filter is
// applied before the page is cut, not on a page already cut.
const draftStatusSQL = `CASE WHEN COALESCE(p.version, 0) = 0 THEN 'DRAFT'
	WHEN p.draft_version = d.version THEN 'PUBLISHED' ELSE 'CHANGED' END`

// listDraftsSQL holds one query per order, built once from the constants
// above (ORDER BY cannot be a parameter; nothing here comes from a request).
// $1 type (” any), $2 locale, $3 cursor entry id (” first page), $4 limit,
// $5 ILIKE pattern (” no search), $6 status (” any). Paging is keyset on
// (key, entry_id): the cursor's key is read from its own row, so a cursor
// is just the last entry's id whatever the order.
var listDraftsSQL = func() map[content.DraftSort]string {
	out := map[content.DraftSort]string{}
	for field, key := range draftSortKeys {
		for _, desc := range []bool{false, true} {
			dir, cmp := "ASC", ">"
			if desc {
				dir, cmp = "DESC", "<"
			}
			out[content.DraftSort{Field: field, Desc: desc}] = fmt.Sprintf(`SELECT `+draftColumns+`
		FROM entry_drafts d LEFT JOIN published_entries p USING (entry_id, locale)
		WHERE ($1 = '' OR d.type_key = $1) AND d.locale = $2
			AND ($5 = '' OR d.slug ILIKE $5 OR d.fields->>'title' ILIKE $5)
			AND ($6 = '' OR `+draftStatusSQL+` = $6)
			AND ($3 = '' OR (%[1]s, d.entry_id) %[3]s (
				SELECT %[2]s, c.entry_id FROM entry_drafts c WHERE c.entry_id = $3::uuid AND c.locale = $2))
		ORDER BY %[1]s %[4]s, d.entry_id %[4]s LIMIT $4`,
				fmt.Sprintf(key, "d"), fmt.Sprintf(key, "c"), cmp, dir)
		}
	}
	return out
}()

// likeEscaper makes a search's own wildcard characters literal in ILIKE
// (whose escape character is the backslash).
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
