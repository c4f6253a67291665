package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/access"
	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/internal/testdb"
	"github.com/mosaichq/mosaic/storage/postgres"
)

// TestModelImportKeepsContent: a model file that leaves out fields the
// demo's live home page uses is refused whole; --dry-run shows the diff;
// --allow-drop names what may go; the applied change is audited.
func TestModelImportKeepsContent(t *testing.T) {
	t.Parallel()
	pool, url := testdb.Schema(t)
	ctx := context.Background()
	dir := t.TempDir()
	flags := []string{"--database-url", url, "--data-dir", dir}
	require.NoError(t, run(ctx, append([]string{"seed"}, flags...), io.Discard, io.Discard))
	var exported bytes.Buffer
	require.NoError(t, run(ctx, append([]string{"model", "export"}, flags...), &exported, io.Discard))
	m, err := content.ParseModel(exported.Bytes())
	require.NoError(t, err)
	for i, ct := range m.Types {
		if ct.Key == "page" {
			m.Types[i].Fields = ct.Fields[:1] // title only
		}
	}
	file := filepath.Join(dir, "model.json")
	raw, err := json.Marshal(m)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(file, raw, 0o600))
	imp := func(extra ...string) (string, error) {
		var out bytes.Buffer
		err := run(ctx, append(append(append([]string{"model", "import"}, flags...), extra...), file), &out, io.Discard)
		return out.String(), err
	}
	pageVersion := func() int {
		var v int
		require.NoError(t, pool.QueryRow(ctx, `SELECT version FROM content_types WHERE key = 'page'`).Scan(&v))
		return v
	}
	before := pageVersion()

	_, err = imp()
	require.ErrorContains(t, err, "CONFLICT")
	require.ErrorContains(t, err, "page.description")
	require.ErrorContains(t, err, "--allow-drop")
	out, err := imp("--dry-run", "--allow-drop", "page.description")
	require.NoError(t, err)
	var rep content.ImportReport
	require.NoError(t, json.Unmarshal([]byte(out), &rep), out)
	require.Equal(t, []string{"page"}, rep.Updated)
	require.Len(t, rep.Diffs["page"].Removed, 2)
	_, err = imp("--allow-drop", "page.description") // blocks hold content too
	require.ErrorContains(t, err, "page.blocks")
	require.Equal(t, before, pageVersion(), "refusals and dry runs write nothing")

	out, err = imp("--allow-drop", "page.description, page.blocks")
	require.NoError(t, err)
	require.Contains(t, out, "created 0, updated 1")
	require.Equal(t, before+1, pageVersion())

	svc, err := access.New(access.Config{Store: postgres.New(pool).Access()})
	require.NoError(t, err)
	all, _, err := svc.Audit(ctx, access.AuditQuery{EntityID: "page"})
	require.NoError(t, err)
	var entries []access.AuditEntry // the seed's creation of page is audited too
	for _, e := range all {
		if e.Actor != "seed" {
			entries = append(entries, e)
		}
	}
	require.Len(t, entries, 1, "the one applied change is audited")
	require.Equal(t, "updateContentType", entries[0].Action)
	require.Equal(t, "cli", entries[0].ActorKind)
	require.Equal(t, before, *entries[0].BeforeVersion)
	require.Equal(t, before+1, *entries[0].AfterVersion)
	require.Equal(t, []any{"page.description", "page.blocks"}, entries[0].Detail["allowDrop"])
}
