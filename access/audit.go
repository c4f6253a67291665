package access

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/mosaichq/mosaic/errs"
)

// Page sizes of the audit log.
const (
	DefaultAuditFirst = 50
	MaxAuditFirst     = 500
)

// maxDetailBytes bounds what one audit row keeps of an action's arguments:
// enough for ids, keys and small inputs; big content bodies are summarised.
const maxDetailBytes = 16 << 10

// Record appends e to the audit log. Values in Detail under keys that name
// secrets (password, secret, token) are replaced by "[redacted]", and a
// detail larger than 16 KiB is replaced by its size.
func (s *Service) Record(ctx context.Context, e AuditEntry) error {
	if e.Detail == nil {
		e.Detail = map[string]any{}
	}
	e.Detail = redact(e.Detail).(map[string]any)
	if raw, err := json.Marshal(e.Detail); err != nil || len(raw) > maxDetailBytes {
		e.Detail = map[string]any{"truncated": true, "bytes": len(raw)}
	}
	return s.store.AppendAudit(ctx, e)
}

// Audit lists entries matching q, newest first, and whether more follow.
func (s *Service) Audit(ctx context.Context, q AuditQuery) ([]AuditEntry, bool, error) {
	if q.First == 0 {
		q.First = DefaultAuditFirst
	}
	if err := errs.CheckFirst(q.First, MaxAuditFirst); err != nil {
		return nil, false, err
	}
	want := q.First
	q.First++
	out, err := s.store.Audit(ctx, q)
	if err != nil {
		return nil, false, err
	}
	if len(out) > want {
		return out[:want], true, nil
	}
	return out, false, nil
}

// secretWords mark argument names whose values never reach the log.
var secretWords = []string{"password", "secret", "token"}

func redact(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			lk := strings.ToLower(k)
			secret := false
			for _, w := range secretWords {
				secret = secret || strings.Contains(lk, w)
			}
			if secret {
				out[k] = "[redacted]"
			} else {
				out[k] = redact(x)
			}
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = redact(x)
		}
		return out
	}
	return v
}
