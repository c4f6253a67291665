package server_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/testapp"
	"github.com/mosaichq/mosaic/server"
)

// TestRolesOverGraphQL checks the risky cells of the permission matrix
// through the API itself, not just auth.Allowed: each refusal is FORBIDDEN
// naming the permission, changes nothing, and the cell's neighbour that is
// allowed really is.
func TestRolesOverGraphQL(t *testing.T) {
	t.Parallel()
	b := setupSecurity(t, server.Security{})
	app := b.app
	admin := app.Token(auth.RoleAdmin)
	homeID := entryID(t, app, "home")
	camp := app.Query(admin, `{ campaign(key: "winter-sale") { id } }`, nil)
	require.Empty(t, camp.Errors, camp.Raw)
	campaignID := testapp.Path(camp.Data, "campaign", "id").(string)
	delivery := app.APIKey(auth.ScopeDelivery)
	preview := app.APIKey(auth.ScopePreview)

	const (
		stopCampaign   = `mutation($id: ID!) { stopCampaign(id: $id) { id } }`
		createType     = `mutation { createContentType(input: {key: "note", name: "Note", fields: [{key: "body", kind: TEXT}]}) { key } }`
		createSegment  = `mutation { createSegment(input: {key: "night-owls", name: "Night owls"}) { key } }`
		createKey      = `mutation { createAPIKey(input: {name: "web", scope: DELIVERY}) { key } }`
		createUser     = `mutation { createUser(input: {email: "eve@example.com", password: "a long passphrase", role: ADMIN}) { id } }`
		createWebhook  = `mutation { createWebhookEndpoint(input: {url: "https://example.com/hook"}) { secret } }`
		auditLog       = `{ auditLog { nodes { id } } }`
		updateDraft    = `mutation($id: ID!) { updateEntry(id: $id, input: {fields: {title: "x"}}, expectedVersion: 1) { version } }`
		scheduleCampgn = `mutation($id: ID!) { scheduleCampaign(id: $id, startsAt: "2031-01-01T00:00:00Z", endsAt: "2031-02-01T00:00:00Z") { id } }`
	)
	forbidden := []struct {
		who, token, key, query, perm string
	}{
		{"viewer", app.Token(auth.RoleViewer), "", publish, "content.publish"},
		{"viewer", app.Token(auth.RoleViewer), "", updateDraft, "content.write"},
		{"viewer", app.Token(auth.RoleViewer), "", createSegment, "segment.write"},
		{"viewer", app.Token(auth.RoleViewer), "", scheduleCampgn, "campaign.schedule"},
		{"editor", app.Token(auth.RoleEditor), "", publish, "content.publish"},
		{"editor", app.Token(auth.RoleEditor), "", stopCampaign, "campaign.stop"},
		{"editor", app.Token(auth.RoleEditor), "", createType, "model.write"},
		{"editor", app.Token(auth.RoleEditor), "", auditLog, "audit.read"},
		{"publisher", app.Token(auth.RolePublisher), "", createType, "model.write"},
		{"publisher", app.Token(auth.RolePublisher), "", createKey, "apikey.write"},
		{"publisher", app.Token(auth.RolePublisher), "", createUser, "user.write"},
		{"publisher", app.Token(auth.RolePublisher), "", createWebhook, "webhook.write"},
		{"delivery key", "", delivery, stopCampaign, "campaign.stop"},
		{"delivery key", "", delivery, createKey, "apikey.write"},
		{"preview key", "", preview, publish, "content.publish"},
		{"preview key", "", preview, createUser, "user.write"},
		{"preview key", "", preview, auditLog, "audit.read"},
	}
	for _, tc := range forbidden {
		t.Run(tc.who+" "+tc.perm, func(t *testing.T) {
			before := dbState(t, app)
			vars := map[string]any{"id": homeID}
			if tc.query == stopCampaign || tc.query == scheduleCampgn {
				vars["id"] = campaignID
			}
			var resp testapp.Response
			if tc.key != "" {
				resp = app.QueryKey(tc.key, tc.query, vars)
			} else {
				resp = app.Query(tc.token, tc.query, vars)
			}
			require.Equal(t, "FORBIDDEN", resp.Code(), resp.Raw)
			require.Contains(t, resp.Errors[0].Message, "lacks permission "+tc.perm)
			require.Equal(t, before, dbState(t, app), "a refused request changed the database")
		})
	}

	// The allowed side of the riskiest cells.
	resp := app.Query(app.Token(auth.RolePublisher), publish, map[string]any{"id": homeID})
	require.Empty(t, resp.Errors, resp.Raw)
	resp = app.Query(app.Token(auth.RolePublisher), auditLog, nil)
	require.Empty(t, resp.Errors, resp.Raw)
	resp = app.Query(app.Token(auth.RolePublisher), stopCampaign, map[string]any{"id": campaignID})
	require.NotEqual(t, "FORBIDDEN", resp.Code(), resp.Raw)
	resp = app.Query(admin, createType, nil)
	require.Empty(t, resp.Errors, resp.Raw)
}
