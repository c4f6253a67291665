package content

// What leaves delivery. An entry's stored fields hold its blocks as
// editors wrote them — every variant with its targeting, campaign and copy.
// Delivery must show a visitor only what was chosen for them, so the
// assembled Resolved keeps the variants apart (Resolved.Variants,
// Block.Variants, for the decision engine) and its Fields are rewritten
// here: the blocks field becomes the delivered blocks, and blocks nested
// inside blocks lose their variants (nested blocks are not personalized,
// they always show their default). A raw variant therefore never reaches
// a response, whichever field a client asks for.

// variantsKey is the member of a stored block that holds its variants.
const variantsKey = "variants"

// DeliveredBlock is the shape of one block inside a delivered entry's
// blocks field: the same as the GraphQL Block's id, type, globalId and
// fields, so `fields.blocks` and `blocks` never disagree.
func DeliveredBlock(b *Block, fields map[string]any) map[string]any {
	out := map[string]any{"id": b.ID, "type": b.Type, "fields": fields}
	if b.GlobalID != "" {
		out["globalId"] = b.GlobalID
	}
	return out
}

// WithBlocks returns fields with r's blocks field replaced by r's blocks as
// delivered, block i carrying blockFields(i). fields is not modified. An
// entry without a blocks field gets fields back as they are.
func (r *Resolved) WithBlocks(fields map[string]any, blockFields func(i int) map[string]any) map[string]any {
	if r.BlocksKey == "" {
		return fields
	}
	list := make([]any, len(r.Blocks))
	for i := range r.Blocks {
		list[i] = DeliveredBlock(&r.Blocks[i], blockFields(i))
	}
	out := make(map[string]any, len(fields)+1)
	for k, v := range fields {
		out[k] = v
	}
	out[r.BlocksKey] = list
	return out
}

// deliverable rewrites d once it is assembled: its fields carry the
// default blocks, and every block's fields lose nested variants. Called
// after links are collected, which read the stored shape.
func deliverable(t map[string]ContentType, d *Resolved) {
	for i := range d.Blocks {
		b := &d.Blocks[i]
		b.Fields = withoutVariants(t, t[b.Type], b.Fields, 1)
	}
	f, ok := t[d.Type].BlocksField()
	if !ok {
		d.Fields = withoutVariants(t, t[d.Type], d.Fields, 0)
		return
	}
	d.BlocksKey = f.Key
	d.Fields = d.WithBlocks(withoutVariants(t, t[d.Type], d.Fields, 0), func(i int) map[string]any { return d.Blocks[i].Fields })
}

// withoutVariants returns fields (of type ct) with the variants of every
// block in its blocks fields removed, at any depth up to maxBlockDepth. It
// copies only what it changes; fields itself is never modified.
func withoutVariants(t map[string]ContentType, ct ContentType, fields map[string]any, depth int) map[string]any {
	var out map[string]any
	for _, f := range ct.Fields {
		if f.Kind != KindBlocks {
			continue
		}
		list, ok := fields[f.Key].([]any)
		if !ok {
			continue
		}
		clean := make([]any, len(list))
		for i, it := range list {
			clean[i] = blockWithoutVariants(t, it, depth)
		}
		if out == nil {
			out = make(map[string]any, len(fields))
			for k, v := range fields {
				out[k] = v
			}
		}
		out[f.Key] = clean
	}
	if out == nil {
		return fields
	}
	return out
}

func blockWithoutVariants(t map[string]ContentType, it any, depth int) any {
	b, ok := it.(map[string]any)
	if !ok {
		return it
	}
	out := make(map[string]any, len(b))
	for k, v := range b {
		if k != variantsKey {
			out[k] = v
		}
	}
	if inner, ok := b["fields"].(map[string]any); ok && depth < maxBlockDepth {
		out["fields"] = withoutVariants(t, t[stringOf(b["type"])], inner, depth+1)
	}
	return out
}
