package server_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/testapp"
)

// Webhook endpoints and the delivery log through GraphQL: webhook.write
// (admins only), clear errors, the secret shown once.

const (
	createEndpoint = `mutation($in: WebhookEndpointInput!) { createWebhookEndpoint(input: $in) {
		secret endpoint { id url description eventTypes createdBy } } }`
	listEndpoints  = `{ webhookEndpoints { id url eventTypes } }`
	deleteEndpoint = `mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }`
	deliveries     = `query($ep: ID, $status: WebhookDeliveryStatus, $first: Int, $after: String) {
		webhookDeliveries(endpointId: $ep, status: $status, first: $first, after: $after) {
			nodes { id eventId eventType status attempts log { attempt statusCode } } pageInfo { hasNextPage endCursor } } }`
)

func TestWebhookEndpointsThroughGraphQL(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{NoSeed: true})
	admin := app.Token(auth.RoleAdmin)

	created := app.Query(admin, createEndpoint, map[string]any{"in": map[string]any{
		"url": "https://hooks.example.com/mosaic", "description": "CDN purge", "eventTypes": []any{"campaign.*", "changed"}}})
	require.Empty(t, created.Errors, created.Raw)
	secret := testapp.Path(created.Data, "createWebhookEndpoint", "secret").(string)
	require.True(t, strings.HasPrefix(secret, "whsec_"), secret)
	ep := testapp.Path(created.Data, "createWebhookEndpoint", "endpoint").(map[string]any)
	require.Equal(t, "https://hooks.example.com/mosaic", ep["url"])
	require.Equal(t, []any{"campaign.*", "changed"}, ep["eventTypes"])
	require.Equal(t, "test-admin", ep["createdBy"])

	list := app.Query(admin, listEndpoints, nil)
	require.Empty(t, list.Errors, list.Raw)
	require.Len(t, testapp.Path(list.Data, "webhookEndpoints"), 1)
	require.NotContains(t, list.Raw, secret, "the secret is shown once")

	log := app.Query(admin, deliveries, map[string]any{"ep": ep["id"]})
	require.Empty(t, log.Errors, log.Raw)
	require.Equal(t, []any{}, testapp.Path(log.Data, "webhookDeliveries", "nodes"))

	del := app.Query(admin, deleteEndpoint, map[string]any{"id": ep["id"]})
	require.Empty(t, del.Errors, del.Raw)
	require.Equal(t, true, testapp.Path(del.Data, "deleteWebhookEndpoint"))
	again := app.Query(admin, deleteEndpoint, map[string]any{"id": ep["id"]})
	require.Equal(t, "NOT_FOUND", again.Code(), again.Raw)
}

func TestWebhookBadInputAndPermissions(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{NoSeed: true})
	admin := app.Token(auth.RoleAdmin)
	in := func(url string, types ...any) map[string]any {
		return map[string]any{"in": map[string]any{"url": url, "eventTypes": types}}
	}
	for _, tc := range []struct {
		name, token, query string
		vars               map[string]any
		code, path         string
	}{
		{"anonymous", "", listEndpoints, nil, "UNAUTHENTICATED", ""},
		{"publisher may not", app.Token(auth.RolePublisher), createEndpoint, in("https://x.example/"), "FORBIDDEN", ""},
		{"editor may not list", app.Token(auth.RoleEditor), listEndpoints, nil, "FORBIDDEN", ""},
		{"viewer may not read the log", app.Token(auth.RoleViewer), deliveries, nil, "FORBIDDEN", ""},
		{"not http", admin, createEndpoint, in("ftp://x.example/"), "BAD_USER_INPUT", "url"},
		{"relative", admin, createEndpoint, in("/hook"), "BAD_USER_INPUT", "url"},
		{"unknown event type", admin, createEndpoint, in("https://x.example/", "entry.published"), "BAD_USER_INPUT", "eventTypes.0"},
		{"bad endpoint filter", admin, deliveries, map[string]any{"ep": "nope"}, "BAD_USER_INPUT", "endpointId"},
		{"bad cursor", admin, deliveries, map[string]any{"after": "x"}, "BAD_USER_INPUT", "after"},
		{"page too large", admin, deliveries, map[string]any{"first": 501}, "BAD_USER_INPUT", "first"},
		{"unknown endpoint", admin, deleteEndpoint, map[string]any{"id": "00000000-0000-4000-8000-000000000000"}, "NOT_FOUND", ""},
		{"unknown delivery", admin, `mutation { redeliverWebhook(deliveryId: "42") { id } }`, nil, "NOT_FOUND", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := app.Query(tc.token, tc.query, tc.vars)
			require.Equal(t, tc.code, resp.Code(), resp.Raw)
			require.Nil(t, resp.Data[firstField(tc.query)], "no data with an error")
			if tc.path != "" {
				fields, _ := resp.Errors[0].Extensions["fields"].([]any)
				require.NotEmpty(t, fields, resp.Raw)
				require.Equal(t, tc.path, testapp.Path(fields[0], "path"), resp.Raw)
			}
		})
	}
}

// firstField is the name of a one-field operation's field.
func firstField(q string) string {
	q = q[strings.Index(q, "{")+1:]
	return strings.TrimSpace(strings.FieldsFunc(q, func(r rune) bool { return r == '(' || r == '{' || r == ' ' || r == '\n' || r == '\t' })[0])
}
