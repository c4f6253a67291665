package measurement

// AppendBlocksJSON appends blocks as encoding/json writes them (the same
// bytes, field order and omitempty: blocks_json_test.go checks it
// against json.Marshal), without reflection or allocations beyond dst's
// growth: the store writes each record's blocks into a jsonb column, and
// json.Marshal's reflection was the largest Go-side encoding of the
// record pipeline (bench/RESULTS.md). nil is written as [] (the column
// is NOT NULL).
func AppendBlocksJSON(dst []byte, blocks []BlockDecision) []byte {
	dst = append(dst, '[')
	for i, b := range blocks {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"blockId":`...)
		dst = appendQuoted(dst, b.BlockID)
		dst = appendField(dst, `,"globalId":`, b.GlobalID)
		dst = append(dst, `,"variant":`...)
		dst = appendQuoted(dst, b.Variant)
		dst = appendField(dst, `,"experiment":`, b.Experiment)
		dst = appendField(dst, `,"arm":`, b.Arm)
		dst = appendField(dst, `,"campaign":`, b.Campaign)
		dst = appendField(dst, `,"cohort":`, b.Cohort)
		dst = append(dst, `,"reason":`...)
		dst = appendQuoted(dst, b.Reason)
		if len(b.Suppressed) > 0 {
			dst = append(dst, `,"suppressed":[`...)
			for j, s := range b.Suppressed {
				if j > 0 {
					dst = append(dst, ',')
				}
				dst = append(dst, `{"variant":`...)
				dst = appendQuoted(dst, s.Variant)
				dst = appendField(dst, `,"campaign":`, s.Campaign)
				dst = appendField(dst, `,"experiment":`, s.Experiment)
				dst = append(dst, `,"scope":`...)
				dst = appendQuoted(dst, s.Scope)
				if s.Pending {
					dst = append(dst, `,"pending":true`...)
				}
				dst = append(dst, '}')
			}
			dst = append(dst, ']')
		}
		dst = append(dst, '}')
	}
	return append(dst, ']')
}

// appendField appends key and v quoted, unless v is empty (omitempty).
func appendField(dst []byte, key, v string) []byte {
	if v == "" {
		return dst
	}
	return appendQuoted(append(dst, key...), v)
}
