package graph

import (
	"context"
	"encoding/json"
	"reflect"

	"github.com/99designs/gqlgen/graphql"

	"github.com/mosaichq/mosaic/access"
	"github.com/mosaichq/mosaic/auth"
)

// notAudited are mutations the audit middleware skips: login is audited by
// the access service itself, in the same transaction as the user's
// last-login time.
var notAudited = map[string]bool{"login": true}

// auditMutation is a field middleware that appends an audit entry for
// every mutation that succeeded: who (the principal), what (the mutation
// and its arguments, secrets redacted), when, and the entity's id and
// version before (the expectedVersion argument, when sent) and after (the
// result's version). Being generic, it covers mutations added later without
// their resolvers doing anything.
//
// The entry is written after the mutation committed: a failure to write it
// is logged as an error, and the client still gets its (real) result.
func (r *Resolver) auditMutation(ctx context.Context, next graphql.Resolver) (any, error) {
	fc := graphql.GetFieldContext(ctx)
	if r.Access == nil || fc == nil || fc.Object != "Mutation" || !fc.IsResolver {
		return next(ctx)
	}
	res, err := next(ctx)
	if err != nil || notAudited[fc.Field.Name] || isDryRun(fc.Args) {
		return res, err
	}
	e := auditEntry(ctx, fc.Field.Name, fc.Args, res)
	if werr := r.Access.Record(context.WithoutCancel(ctx), e); werr != nil && r.Log != nil {
		r.Log.ErrorContext(ctx, "writing an audit entry", "action", e.Action, "entity", e.EntityID,
			"actor", e.Actor, "request_id", e.RequestID, "error", werr)
	}
	return res, err
}

// isDryRun reports a mutation asked only to show what it would do: it
// changed nothing, so there is nothing to audit.
func isDryRun(args map[string]any) bool {
	switch v := args["dryRun"].(type) {
	case bool:
		return v
	case *bool:
		return v != nil && *v
	}
	return false
}

func auditEntry(ctx context.Context, action string, args map[string]any, res any) access.AuditEntry {
	p, _ := auth.FromContext(ctx)
	e := access.AuditEntry{Actor: p.Subject, ActorKind: string(p.Kind), ActorRole: string(p.Role),
		Action: action, RequestID: RequestID(ctx), Detail: map[string]any{}}
	if e.Actor == "" {
		e.Actor, e.ActorKind = "anonymous", "anonymous"
	}
	// Arguments as the client sent them (JSON names), for "what".
	if raw, err := json.Marshal(args); err == nil {
		var detail map[string]any
		if json.Unmarshal(raw, &detail) == nil && detail != nil {
			e.Detail = detail
		}
	}
	if v, ok := intArg(args["expectedVersion"]); ok {
		e.BeforeVersion = &v
	}
	entityOf(reflect.ValueOf(res), &e, 0)
	if e.EntityID == "" {
		// Deletes answer true: the id is in the arguments.
		for _, k := range []string{"id", "key", "entryId", "screenId"} {
			if s, ok := args[k].(string); ok {
				e.EntityID = s
				break
			}
		}
	}
	return e
}

// entityOf fills the entity's type, id and version from a mutation's
// result: the first struct (possibly nested one level, as in CreatedAPIKey)
// with an ID, or a Key and a Version. Plain secrets such as a new API key
// are never read: they sit in fields named neither.
func entityOf(v reflect.Value, e *access.AuditEntry, level int) bool {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return false
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct || level > 1 {
		return false
	}
	id, version := v.FieldByName("ID"), v.FieldByName("Version")
	if !id.IsValid() && version.IsValid() {
		id = v.FieldByName("Key")
	}
	if id.IsValid() && id.Kind() == reflect.String {
		e.EntityType, e.EntityID = v.Type().Name(), id.String()
		if version.IsValid() && version.CanInt() {
			n := int(version.Int())
			e.AfterVersion = &n
		}
		if pv := v.FieldByName("PublishedVersion"); pv.IsValid() && pv.Kind() == reflect.Pointer && !pv.IsNil() && pv.Elem().CanInt() {
			e.Detail["publishedVersion"] = pv.Elem().Int()
		}
		return true
	}
	for i := range v.NumField() {
		if v.Type().Field(i).IsExported() && entityOf(v.Field(i), e, level+1) {
			return true
		}
	}
	return false
}

func intArg(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case *int:
		if n != nil {
			return *n, true
		}
	case int64:
		return int(n), true
	}
	return 0, false
}
