package server_test

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/testapp"
)

// The racing-editors drill: 20 editors append to one entry at once, 15
// writes each, each reading the draft, changing it and saving it with the
// version it read (retrying on CONFLICT, as the studio asks an editor to).
// No write that was acknowledged is lost: the final draft holds all 300,
// its version counts exactly the acknowledged writes, and every refusal
// was a CONFLICT — never a silent overwrite, never INTERNAL.
func TestRacingEditorsLoseNothing(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{NoSeed: true})
	admin := app.Token(auth.RoleAdmin)
	resp := app.Query(admin, `mutation { createContentType(input: {key: "note", name: "Note",
	  fields: [{key: "title", kind: TEXT, required: true}, {key: "log", kind: JSON}]}) { key } }`, nil)
	require.Empty(t, resp.Errors, resp.Raw)
	resp = app.Query(admin, `mutation { createEntry(input: {type: "note", slug: "race", fields: {title: "Race", log: []}}) { id } }`, nil)
	require.Empty(t, resp.Errors, resp.Raw)
	id := testapp.Path(resp.Data, "createEntry", "id").(string)

	const editors, writes = 20, 15
	var mu sync.Mutex
	var conflicts int
	var wg sync.WaitGroup
	for e := range editors {
		token := app.Token(auth.RoleEditor)
		wg.Go(func() {
			for w := 0; w < writes; {
				read := app.Query(token, `query($id: ID!) { draft(id: $id) { version fields } }`, map[string]any{"id": id})
				if len(read.Errors) > 0 {
					t.Errorf("read: %s", read.Raw)
					return
				}
				version := testapp.Path(read.Data, "draft", "version")
				log, _ := testapp.Path(read.Data, "draft", "fields", "log").([]any)
				fields := map[string]any{"title": "Race", "log": append(log, fmt.Sprintf("e%d-w%d", e, w))}
				up := app.Query(token, `mutation($id: ID!, $f: JSON!, $v: Int!) { updateEntry(id: $id, input: {fields: $f}, expectedVersion: $v) { version } }`,
					map[string]any{"id": id, "f": fields, "v": version})
				switch up.Code() {
				case "":
					w++
				case "CONFLICT":
					mu.Lock()
					conflicts++
					mu.Unlock()
				default:
					t.Errorf("update: %s", up.Raw)
					return
				}
			}
		})
	}
	wg.Wait()
	resp = app.Query(admin, `query($id: ID!) { draft(id: $id) { version fields } }`, map[string]any{"id": id})
	require.Empty(t, resp.Errors, resp.Raw)
	log := testapp.Path(resp.Data, "draft", "fields", "log").([]any)
	require.Len(t, log, editors*writes, "every acknowledged write is in the draft")
	var want []any
	for e := range editors {
		for w := range writes {
			want = append(want, fmt.Sprintf("e%d-w%d", e, w))
		}
	}
	got := slices.Clone(log)
	byText := func(a, b any) int { return strings.Compare(a.(string), b.(string)) }
	slices.SortFunc(got, byText)
	slices.SortFunc(want, byText)
	require.Equal(t, want, got)
	require.Equal(t, 1.0+editors*writes, testapp.Path(resp.Data, "draft", "version"), "one version per acknowledged write")
	t.Logf("%d writes, %d conflicts answered", editors*writes, conflicts)
}
