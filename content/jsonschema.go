package content

// JSONSchema describes the delivered fields object of ct (JSON Schema
// 2020-12) so frontends can generate types. Block types referenced by a
// blocks field come from types; references are entry ids.
func JSONSchema(ct ContentType, types func(string) (ContentType, bool)) map[string]any {
	defs := map[string]any{}
	schema := objectSchema(ct, types, defs)
	schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	schema["$id"] = "mosaic:type:" + ct.Key
	schema["title"] = ct.Name
	if ct.Description != "" {
		schema["description"] = ct.Description
	}
	if len(defs) > 0 {
		schema["$defs"] = defs
	}
	return schema
}

func objectSchema(ct ContentType, types func(string) (ContentType, bool), defs map[string]any) map[string]any {
	props := map[string]any{}
	var required []string
	for _, f := range ct.Fields {
		props[f.Key] = fieldSchema(f, types, defs)
		if f.Required {
			required = append(required, f.Key)
		}
	}
	s := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		s["required"] = required
	}
	return s
}

func fieldSchema(f Field, types func(string) (ContentType, bool), defs map[string]any) map[string]any {
	var s map[string]any
	switch f.Kind {
	case KindText:
		s = map[string]any{"type": "string"}
		if !f.List {
			addBounds(s, f, "minLength", "maxLength")
		}
		if f.Pattern != "" {
			s["pattern"] = f.Pattern
		}
	case KindRichText:
		s = map[string]any{"type": "object", "description": "rich text document (ProseMirror JSON)",
			"properties": map[string]any{"type": map[string]any{"const": "doc"}, "content": map[string]any{"type": "array"}},
			"required":   []string{"type"}}
	case KindNumber:
		s = map[string]any{"type": "number"}
		addBounds(s, f, "minimum", "maximum")
	case KindBoolean:
		s = map[string]any{"type": "boolean"}
	case KindDateTime:
		s = map[string]any{"type": "string", "format": "date-time"}
	case KindEnum:
		s = map[string]any{"type": "string", "enum": f.Values}
	case KindReference:
		s = map[string]any{"type": "string", "format": "uuid", "description": "entry id"}
		if len(f.AllowedTypes) > 0 {
			s["x-mosaic-allowed-types"] = f.AllowedTypes
		}
	case KindAsset:
		s = map[string]any{"type": "string", "format": "uuid", "description": "asset id"}
	case KindBlocks:
		s = blocksSchema(f, types, defs)
	default:
		s = map[string]any{}
	}
	if f.List && f.Kind != KindBlocks {
		s = map[string]any{"type": "array", "items": s}
		addBounds(s, f, "minItems", "maxItems")
	}
	if f.Name != "" {
		s["title"] = f.Name
	}
	if f.Description != "" {
		s["description"] = f.Description
	}
	return s
}

func blocksSchema(f Field, types func(string) (ContentType, bool), defs map[string]any) map[string]any {
	oneOf := []any{map[string]any{
		"type": "object", "required": []string{"id", "ref"},
		"properties": map[string]any{"id": map[string]any{"type": "string"}, "ref": map[string]any{"type": "string", "format": "uuid"}},
	}}
	for _, key := range f.AllowedTypes {
		bt, ok := types(key)
		if !ok {
			continue
		}
		name := "block_" + key
		// Each block type is defined once, however deep it first appears
		// (a $ref must never point at a missing definition); the
		// placeholder stops recursion through self-nesting blocks.
		if _, done := defs[name]; !done {
			defs[name] = true
			defs[name] = map[string]any{
				"type": "object", "required": []string{"id", "type", "fields"},
				"properties": map[string]any{
					"id":       map[string]any{"type": "string"},
					"type":     map[string]any{"const": key},
					"fields":   objectSchema(bt, types, defs),
					"variants": map[string]any{"type": "array"},
				},
			}
		}
		oneOf = append(oneOf, map[string]any{"$ref": "#/$defs/" + name})
	}
	if len(f.AllowedTypes) == 0 {
		oneOf = append(oneOf, map[string]any{"type": "object", "required": []string{"id", "type"}})
	}
	s := map[string]any{"type": "array", "items": map[string]any{"oneOf": oneOf}}
	addBounds(s, f, "minItems", "maxItems")
	return s
}

func addBounds(s map[string]any, f Field, lo, hi string) {
	if f.Min != nil {
		s[lo] = *f.Min
	}
	if f.Max != nil {
		s[hi] = *f.Max
	}
}
