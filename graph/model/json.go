package model

import (
	"encoding/json"
	"fmt"
	"io"
	"math"

	"github.com/99designs/gqlgen/graphql"

	"github.com/mosaichq/mosaic/errs"
)

// MarshalJSON writes any JSON value as the JSON scalar.
func MarshalJSON(v any) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		b, err := json.Marshal(v)
		if err != nil {
			// Values come from JSON documents, so this cannot happen short of
			// a programming error; null is safer than a broken response.
			_, _ = io.WriteString(w, "null")
			return
		}
		_, _ = w.Write(b)
	})
}

// UnmarshalJSON reads the JSON scalar from variables or query literals into
// the shape encoding/json produces (float64 numbers, []any, map[string]any),
// the one shape the domain validates.
func UnmarshalJSON(v any) (any, error) {
	n, err := normalize(v, 0)
	if err != nil {
		return nil, errs.Wrap(errs.BadUserInput, ErrScalar, "invalid JSON value: %s", err.Error())
	}
	return n, nil
}

const maxJSONDepth = 64

func normalize(v any, depth int) (any, error) {
	if depth > maxJSONDepth {
		return nil, fmt.Errorf("JSON nested deeper than %d levels", maxJSONDepth)
	}
	switch x := v.(type) {
	case nil, string, bool, float64:
		return x, nil
	case json.Number:
		f, err := x.Float64()
		if err != nil || math.IsInf(f, 0) {
			return nil, fmt.Errorf("number %s is out of range", x)
		}
		return f, nil
	case int:
		return float64(x), nil
	case int64:
		return float64(x), nil
	case int32:
		return float64(x), nil
	case float32:
		return float64(x), nil
	case []any:
		out := make([]any, len(x))
		for i, it := range x {
			n, err := normalize(it, depth+1)
			if err != nil {
				return nil, err
			}
			out[i] = n
		}
		return out, nil
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, it := range x {
			n, err := normalize(it, depth+1)
			if err != nil {
				return nil, err
			}
			out[k] = n
		}
		return out, nil
	}
	return nil, fmt.Errorf("unsupported JSON value of type %T", v)
}

// JSONObject is UnmarshalJSON for places that need an object.
func JSONObject(v any) (map[string]any, error) {
	n, err := normalize(v, 0)
	if err != nil {
		return nil, err
	}
	m, ok := n.(map[string]any)
	if !ok && n != nil {
		return nil, fmt.Errorf("must be a JSON object")
	}
	return m, nil
}
