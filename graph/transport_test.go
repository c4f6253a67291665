package graph

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/mosaichq/mosaic/errs"
)

func TestNegotiate(t *testing.T) {
	t.Parallel()
	for accept, want := range map[string]string{
		"":                                  mediaJSON,
		"*/*":                               mediaJSON,
		"application/*":                     mediaJSON,
		"application/json":                  mediaJSON,
		"text/html":                         mediaJSON, // unsatisfiable: the spec lets us answer the default
		"not a media type;;":                mediaJSON,
		mediaGraphQLResponse:                mediaGraphQLResponse,
		"Application/GraphQL-Response+JSON": mediaGraphQLResponse,
		mediaGraphQLResponse + ", application/json;q=0.9": mediaGraphQLResponse,
		"application/json, " + mediaGraphQLResponse:       mediaJSON,
		"application/json;q=0.5, " + mediaGraphQLResponse: mediaGraphQLResponse,
		mediaGraphQLResponse + ";q=0, */*":                mediaJSON,
		mediaGraphQLResponse + ";q=0":                     mediaJSON,
	} {
		require.Equal(t, want, negotiate(accept), "Accept: %s", accept)
	}
}

func TestRequestErrorStatus(t *testing.T) {
	t.Parallel()
	legacy := context.Background()
	gql := context.WithValue(legacy, mediaKey{}, mediaGraphQLResponse)
	for code, want := range map[errs.Code][2]int{
		errs.BadUserInput:       {200, 400},
		errs.QueryTooComplex:    {200, 400},
		errs.Unauthenticated:    {200, 401},
		errs.Forbidden:          {200, 403},
		errs.NotFound:           {200, 404},
		errs.Conflict:           {200, 409},
		errs.RateLimited:        {429, 429},
		errs.ServiceUnavailable: {503, 503},
		errs.Internal:           {500, 500},
	} {
		list := gqlerror.List{coded(code, "x", nil)}
		require.Equal(t, want[0], requestErrorStatus(legacy, list), "%s as application/json", code)
		require.Equal(t, want[1], requestErrorStatus(gql, list), "%s as graphql-response+json", code)
	}
	require.Equal(t, http.StatusInternalServerError, requestErrorStatus(gql, gqlerror.List{{Message: "uncoded"}}),
		"an error without a code is a bug of ours")
}
