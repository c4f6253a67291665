package graph

import (
	"context"
	"fmt"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/mosaichq/mosaic/errs"
)

// placeScalarError names the input a malformed scalar was found in
// ("context.at", "input.startsAt"): scalars are parsed without knowing
// where they are, but gqlgen puts the argument path after the field's own
// response path, so the difference is the input's path.
func placeScalarError(ctx context.Context, out *gqlerror.Error, e *errs.Error) {
	path := out.Path
	if fc := graphql.GetFieldContext(ctx); fc != nil {
		if own := fc.Path(); len(own) <= len(path) {
			path = path[len(own):]
		}
	}
	parts := make([]string, len(path))
	for i, p := range path {
		parts[i] = fmt.Sprint(p)
	}
	in := strings.Join(parts, ".")
	if in == "" {
		return
	}
	out.Message = fmt.Sprintf("%s: %s", in, e.Message)
	if len(e.Fields) == 0 {
		e.Fields = []errs.FieldError{{Path: in, Message: e.Message}}
	}
}
