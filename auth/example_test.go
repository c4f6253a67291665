package auth_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/mosaichq/mosaic/auth"
)

func Example() {
	tokens, err := auth.NewTokens(auth.Config{
		Secret: []byte("an-example-secret-of-32-bytes-at-least"), // use LoadOrCreateSecret or MOSAIC_AUTH_SECRET
		Now:    func() time.Time { return time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC) },
	})
	if err != nil {
		panic(err)
	}

	// What `mosaic token --role editor` prints.
	token, err := tokens.Issue("ana@example.com", auth.RoleEditor, 0)
	if err != nil {
		panic(err)
	}

	// A resolver behind the middleware asks for the permission it needs.
	handler := auth.Middleware(tokens, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, ok := auth.FromContext(r.Context())
		fmt.Println("principal:", p.Subject, p.Role, ok)
		fmt.Println("write:", auth.Require(r.Context(), auth.PermContentWrite))
		fmt.Println("publish:", auth.Require(r.Context(), auth.PermContentPublish))
	}))

	req := httptest.NewRequest(http.MethodPost, "/graphql", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	handler.ServeHTTP(httptest.NewRecorder(), req)

	// Anonymous delivery requests pass through; management calls are refused.
	fmt.Println("anonymous:", auth.Require(context.Background(), auth.PermContentRead))

	// Output:
	// principal: ana@example.com editor true
	// write: <nil>
	// publish: FORBIDDEN: role editor lacks permission content.publish
	// anonymous: UNAUTHENTICATED: authentication required for content.read: send Authorization: Bearer <token>
}

func ExampleAllowed() {
	for _, role := range auth.Roles() {
		fmt.Println(role, auth.Allowed(role, auth.PermContentPublish))
	}
	// Output:
	// admin true
	// publisher true
	// editor false
	// viewer false
}
