package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/mosaichq/mosaic/experience"
	"github.com/mosaichq/mosaic/personalization"
)

// The visitor classes: 3 segments × 3 devices × 3 channels. The segments
// are the demo's: vip is sent explicitly, returning and big-spender come
// from its CEL rules over traits, so rules run as in production.
var (
	segments = []string{"vip", "returning", "big-spender"}
	devices  = []string{"mobile", "tablet", "desktop"}
	channels = []string{"web", "app", "kiosk"}
)

// staleCampaign owns a variant on one block of every page; a stale phase
// schedules it to start and end under the load and reads that block's
// decision. One per stale phase: an ended campaign is not scheduled again.
type staleCampaign struct{ key, block string }

var staleCampaigns = []staleCampaign{{"load-flash", "b0"}, {"load-flash-get", "b1"}}

// blockTypes cycle over the page's 8 blocks; each has a required text
// field the variants override.
var blockTypes = []struct{ typ, field string }{
	{"hero", "title"}, {"richText", "body"}, {"cta", "label"}, {"promo", "headline"},
}

func richText(s string) map[string]any {
	return map[string]any{"type": "doc", "content": []any{map[string]any{"type": "paragraph",
		"content": []any{map[string]any{"type": "text", "text": s}}}}}
}

func fieldValue(field, s string) any {
	if field == "body" {
		return richText(s)
	}
	return s
}

// pageFields is page i: 8 blocks; block k targets one dimension (segments,
// devices, channels in turn) with one variant per value of it, so the 27
// visitor classes get 27 different pages; blocks 0 and 1 also have a
// variant of a stale-check campaign.
func pageFields(i int) map[string]any {
	blocks := make([]any, 8)
	for k := range blocks {
		bt := blockTypes[k%len(blockTypes)]
		text := fmt.Sprintf("Page %d, block %d: the default copy for everyone", i, k)
		if bt.field == "label" { // a cta's label is at most 40 characters
			text = fmt.Sprintf("Page %d, block %d: for everyone", i, k)
		}
		fields := map[string]any{bt.field: fieldValue(bt.field, text)}
		switch bt.typ {
		case "hero":
			fields["subtitle"] = "Layers for every season, made to last"
			fields["imageUrl"] = fmt.Sprintf("/img/page-%d-%d.jpg", i, k)
		case "cta":
			fields["url"] = fmt.Sprintf("/pages/%d/next", i)
		case "promo":
			fields["code"] = "SAVE10"
		}
		var vs []any
		dim := []string{"segments", "devices", "channels"}[k%3]
		vals := [][]string{segments, devices, channels}[k%3]
		for _, v := range vals {
			var t personalization.Targeting
			switch dim {
			case "segments":
				t.Segments = []string{v}
			case "devices":
				t.Devices = []string{v}
			default:
				t.Channels = []string{v}
			}
			vs = append(vs, experience.VariantJSON(personalization.Variant{Key: dim[:3] + "-" + v, Targeting: t,
				Fields: map[string]any{bt.field: fieldValue(bt.field, fmt.Sprintf("Page %d, block %d: for %s", i, k, v))}}))
		}
		id := fmt.Sprintf("b%d", k)
		for _, c := range staleCampaigns {
			if c.block == id {
				vs = append(vs, experience.VariantJSON(personalization.Variant{Key: c.key, Campaign: c.key,
					Fields: map[string]any{bt.field: fieldValue(bt.field, fmt.Sprintf("Page %d: flash sale, 40%% off", i))}}))
			}
		}
		blocks[k] = map[string]any{"id": id, "type": bt.typ, "fields": fields, "variants": vs}
	}
	return map[string]any{"title": fmt.Sprintf("Load page %d", i), "description": "A page of the load script", "blocks": blocks}
}

func slugOf(i int) string { return fmt.Sprintf("load-%05d", i) }

// seedPages writes n published pages (en) with COPY: 20,000 publishes
// through the API would take minutes and measure something else. One
// change row afterwards makes the server drop what it cached.
func seedPages(ctx context.Context, dbURL string, n int) error {
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return fmt.Errorf("connecting to %s: %w", dbURL, err)
	}
	defer func() { _ = conn.Close(ctx) }()
	const actor = "load@example.com"
	now := time.Now().UTC().Add(-time.Hour)
	var docs, drafts, versions, published [][]any
	for i := range n {
		id := uuid.NewString()
		fields, err := json.Marshal(pageFields(i))
		if err != nil {
			return err
		}
		docs = append(docs, []any{id, "page", actor})
		// A draft too: editors' mutations (-caps sets caps with
		// upsertVariant) edit it.
		drafts = append(drafts, []any{id, "en", "page", slugOf(i), string(fields), "[]", 1, actor})
		versions = append(versions, []any{id, "en", 1, slugOf(i), string(fields), "[]", now, actor})
		published = append(published, []any{id, "en", "page", slugOf(i), 1, 1, string(fields), "[]", now})
	}
	for _, t := range []struct {
		table string
		cols  []string
		rows  [][]any
	}{
		{"entries", []string{"id", "type_key", "created_by"}, docs},
		{"entry_drafts", []string{"entry_id", "locale", "type_key", "slug", "fields", "variants", "version", "updated_by"}, drafts},
		{"entry_versions", []string{"entry_id", "locale", "version", "slug", "fields", "variants", "published_at", "published_by"}, versions},
		{"published_entries", []string{"entry_id", "locale", "type_key", "slug", "version", "draft_version", "fields", "variants", "published_at"}, published},
	} {
		if _, err := conn.CopyFrom(ctx, pgx.Identifier{t.table}, t.cols, pgx.CopyFromRows(t.rows)); err != nil {
			return fmt.Errorf("copying %s: %w", t.table, err)
		}
	}
	_, err = conn.Exec(ctx, `INSERT INTO content_changes (action) VALUES ('bench')`)
	return err
}

// pageQuery is the storefront's personalized page query, by slug. With
// -decision-id (selectDecisionID) it also asks for Entry.decisionId, as a
// storefront that measures does: every answer then names the decision
// record of the delivery that computed it (with
// MOSAIC_DECISION_RECORDS=delivery, one written for its visitor, cached
// or not).
var pageQuery = `query LoadPage($slug: String!, $locale: String, $context: ExperienceContext) {
  entry(slug: $slug, type: "page", locale: $locale, context: $context) {
    id locale fields
    blocks {
      id type globalId fields
      decision { variant reason experiment arm }
    }
  }
}`

// selectDecisionID adds decisionId to pageQuery; before any request.
func selectDecisionID() {
	pageQuery = strings.Replace(pageQuery, "id locale fields\n", "id locale fields decisionId\n", 1)
	postPrefix = postPrefixOf(pageQuery)
}

// documentID is pageQuery's id in the trusted-documents manifest.
const documentID = "load-page-v1"

// prepare creates the stale-check campaigns and registers the page query
// as a trusted document. It returns the campaigns' ids.
func prepare(ctx context.Context, m *mosaic) ([]string, error) {
	var ids []string
	for _, c := range staleCampaigns {
		var out struct {
			CreateCampaign struct{ ID string } `json:"createCampaign"`
		}
		if err := m.graphql(ctx, `mutation($in: CreateCampaignInput!) { createCampaign(input: $in) { id } }`,
			map[string]any{"in": map[string]any{"key": c.key, "name": "Load flash sale " + c.key, "priority": 20}}, &out); err != nil {
			return nil, err
		}
		ids = append(ids, out.CreateCampaign.ID)
	}
	manifest := map[string]any{"format": "apollo-persisted-query-manifest", "version": 1,
		"operations": []any{map[string]any{"id": documentID, "name": "LoadPage", "type": "query", "body": pageQuery}}}
	if err := m.graphql(ctx, `mutation($m: JSON!) { registerDocuments(manifest: $m) { added } }`,
		map[string]any{"m": manifest}, nil); err != nil {
		return nil, err
	}
	return ids, nil
}

// schedule sets the campaign's window.
func schedule(ctx context.Context, m *mosaic, id string, start, end time.Time) error {
	return m.graphql(ctx, `mutation($id: ID!, $s: DateTime!, $e: DateTime!) { scheduleCampaign(id: $id, startsAt: $s, endsAt: $e) { id } }`,
		map[string]any{"id": id, "s": start.UTC().Format(time.RFC3339Nano), "e": end.UTC().Format(time.RFC3339Nano)}, nil)
}
