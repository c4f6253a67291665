package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/mosaichq/mosaic/access"
	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/errs"
)

const (
	userColumns  = `id, email, role, disabled, password_hash, version, created_at, updated_at, updated_by, last_login_at`
	sqlUserByID  = `SELECT ` + userColumns + ` FROM users WHERE id = $1`
	sqlUserByEml = `SELECT ` + userColumns + ` FROM users WHERE email = $1`
	sqlUsers     = `SELECT ` + userColumns + ` FROM users ORDER BY email`
	sqlInsUser   = `INSERT INTO users (id, email, role, password_hash, updated_by) VALUES ($1, $2, $3, $4, $5)
		RETURNING ` + userColumns
	sqlUpdUser = `UPDATE users SET role = $2, disabled = $3, password_hash = $4, updated_by = $5,
			version = version + 1, updated_at = now()
		WHERE id = $1 AND version = $6 RETURNING ` + userColumns
	sqlUserLogin = `UPDATE users SET last_login_at = $2 WHERE id = $1`

	keyColumns   = `id, name, prefix, scope, channels, expires_at, revoked_at, COALESCE(revoked_by, ''), last_used_at, version, created_at, created_by`
	sqlInsKey    = `INSERT INTO api_keys (id, name, key_hash, prefix, scope, channels, expires_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ` + keyColumns
	sqlKeyByHash = `SELECT ` + keyColumns + ` FROM api_keys WHERE key_hash = $1`
	sqlKeys      = `SELECT ` + keyColumns + ` FROM api_keys WHERE $1 OR revoked_at IS NULL ORDER BY created_at DESC, id`
	// Revoking twice keeps the first revocation's time and author.
	sqlRevokeKey = `UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $2), revoked_by = COALESCE(revoked_by, $3),
			version = version + CASE WHEN revoked_at IS NULL THEN 1 ELSE 0 END
		WHERE id = $1 RETURNING ` + keyColumns
	// One statement for every key used since the last flush; GREATEST so a
	// slower replica's older time never moves last use backwards.
	sqlTouchKeys = `UPDATE api_keys k SET last_used_at = GREATEST(k.last_used_at, u.at)
		FROM unnest($1::uuid[], $2::timestamptz[]) AS u(id, at) WHERE k.id = u.id`

	auditColumns = `id, at, actor, actor_kind, actor_role, action, entity_type, entity_id, before_version, after_version, request_id, detail`
	sqlInsAudit  = `INSERT INTO audit_log (actor, actor_kind, actor_role, action, entity_type, entity_id, before_version, after_version, request_id, detail)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`
	// Every filter is a parameter; an empty one matches everything.
	sqlAudit = `SELECT ` + auditColumns + ` FROM audit_log
		WHERE ($1 = 0 OR id < $1) AND ($2 = '' OR actor = $2) AND ($3 = '' OR action = $3) AND ($4 = '' OR entity_id = $4)
		  AND ($5::timestamptz IS NULL OR at >= $5) AND ($6::timestamptz IS NULL OR at < $6)
		ORDER BY id DESC LIMIT $7`
)

// AccessStore implements access.Store.
type AccessStore struct{ s *Store }

var _ access.Store = (*AccessStore)(nil)

// Access returns the store of users, API keys and the audit log.
func (s *Store) Access() *AccessStore { return &AccessStore{s: s} }

func scanUser(row pgx.Row) (access.User, error) {
	var u access.User
	err := row.Scan(&u.ID, &u.Email, &u.Role, &u.Disabled, &u.PasswordHash, &u.Version, &u.CreatedAt, &u.UpdatedAt, &u.UpdatedBy, &u.LastLoginAt)
	return u, err
}

func userError(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.ConstraintName == "users_email_key" {
		return errs.Wrap(errs.Conflict, err, "a user with this email already exists")
	}
	return mapError(err, "user")
}

// CreateUser inserts u.
func (a *AccessStore) CreateUser(ctx context.Context, u access.User) (access.User, error) {
	u, err := scanUser(a.s.pool.QueryRow(ctx, sqlInsUser, u.ID, u.Email, u.Role, u.PasswordHash, u.UpdatedBy))
	return u, userError(err)
}

// UpdateUser saves u if expectedVersion is current.
func (a *AccessStore) UpdateUser(ctx context.Context, u access.User, expectedVersion int) (access.User, error) {
	out, err := scanUser(a.s.pool.QueryRow(ctx, sqlUpdUser, u.ID, u.Role, u.Disabled, u.PasswordHash, u.UpdatedBy, expectedVersion))
	if errors.Is(err, pgx.ErrNoRows) {
		cur, err := a.UserByID(ctx, u.ID)
		if err != nil {
			return access.User{}, err
		}
		return access.User{}, errs.E(errs.Conflict, "user %s is at version %d, not %d", u.ID, cur.Version, expectedVersion)
	}
	return out, userError(err)
}

// UserByID returns a user or NOT_FOUND.
func (a *AccessStore) UserByID(ctx context.Context, id string) (access.User, error) {
	u, err := scanUser(a.s.pool.QueryRow(ctx, sqlUserByID, id))
	return u, userError(err)
}

// UserByEmail returns a user or NOT_FOUND.
func (a *AccessStore) UserByEmail(ctx context.Context, email string) (access.User, error) {
	u, err := scanUser(a.s.pool.QueryRow(ctx, sqlUserByEml, email))
	return u, userError(err)
}

// Users lists every user by email.
func (a *AccessStore) Users(ctx context.Context) ([]access.User, error) {
	rows, err := a.s.pool.Query(ctx, sqlUsers)
	if err != nil {
		return nil, mapError(err, "users")
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (access.User, error) { return scanUser(r) })
	return out, mapError(err, "users")
}

// RecordLogin notes a login and audits it in one transaction.
func (a *AccessStore) RecordLogin(ctx context.Context, userID string, at time.Time, e access.AuditEntry) error {
	return a.s.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, sqlUserLogin, userID, at); err != nil {
			return mapError(err, "user")
		}
		return appendAudit(ctx, tx, e)
	})
}

func scanKey(row pgx.Row) (access.APIKey, error) {
	var k access.APIKey
	err := row.Scan(&k.ID, &k.Name, &k.Prefix, &k.Scope, &k.Channels, &k.ExpiresAt, &k.RevokedAt, &k.RevokedBy,
		&k.LastUsedAt, &k.Version, &k.CreatedAt, &k.CreatedBy)
	return k, err
}

// CreateKey stores k with the key's hash.
func (a *AccessStore) CreateKey(ctx context.Context, k access.APIKey, hash auth.KeyHash) (access.APIKey, error) {
	out, err := scanKey(a.s.pool.QueryRow(ctx, sqlInsKey, k.ID, k.Name, hash[:], k.Prefix, k.Scope, k.Channels, k.ExpiresAt, k.CreatedBy))
	return out, mapError(err, "API key")
}

// KeyByHash finds a key by its hash or returns NOT_FOUND.
func (a *AccessStore) KeyByHash(ctx context.Context, hash auth.KeyHash) (access.APIKey, error) {
	k, err := scanKey(a.s.pool.QueryRow(ctx, sqlKeyByHash, hash[:]))
	return k, mapError(err, "API key")
}

// Keys lists keys, newest first.
func (a *AccessStore) Keys(ctx context.Context, includeRevoked bool) ([]access.APIKey, error) {
	rows, err := a.s.pool.Query(ctx, sqlKeys, includeRevoked)
	if err != nil {
		return nil, mapError(err, "API keys")
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (access.APIKey, error) { return scanKey(r) })
	return out, mapError(err, "API keys")
}

// KeysChannel is the NOTIFY channel on which a revoked key's id is
// announced: every replica drops its cached key lookups at once.
const KeysChannel = "mosaic_keys"

// RevokeKey marks key id revoked (idempotent) and, with the commit,
// announces it on KeysChannel.
func (a *AccessStore) RevokeKey(ctx context.Context, id, by string, at time.Time) (access.APIKey, error) {
	var k access.APIKey
	err := a.s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		if k, err = scanKey(tx.QueryRow(ctx, sqlRevokeKey, id, at, by)); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `SELECT pg_notify($1, $2)`, KeysChannel, k.ID)
		return err
	})
	return k, mapError(err, "API key")
}

// TouchKeys records last use for a batch of keys in one statement.
func (a *AccessStore) TouchKeys(ctx context.Context, used map[string]time.Time) error {
	ids := make([]string, 0, len(used))
	ats := make([]time.Time, 0, len(used))
	for id, at := range used {
		ids, ats = append(ids, id), append(ats, at)
	}
	_, err := a.s.pool.Exec(ctx, sqlTouchKeys, ids, ats)
	return mapError(err, "API keys' last use")
}

// AppendAudit appends one audit entry.
func (a *AccessStore) AppendAudit(ctx context.Context, e access.AuditEntry) error {
	return appendAudit(ctx, a.s.pool, e)
}

type execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

func appendAudit(ctx context.Context, db execer, e access.AuditEntry) error {
	detail, err := json.Marshal(e.Detail)
	if err != nil {
		return err
	}
	_, err = db.Exec(ctx, sqlInsAudit, e.Actor, e.ActorKind, e.ActorRole, e.Action, e.EntityType, e.EntityID,
		e.BeforeVersion, e.AfterVersion, e.RequestID, detail)
	return mapError(err, "audit entry")
}

// Audit lists entries matching q, newest first.
func (a *AccessStore) Audit(ctx context.Context, q access.AuditQuery) ([]access.AuditEntry, error) {
	rows, err := a.s.pool.Query(ctx, sqlAudit, q.Before, q.Actor, q.Action, q.EntityID, q.Since, q.Until, q.First)
	if err != nil {
		return nil, mapError(err, "audit log")
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (access.AuditEntry, error) {
		var e access.AuditEntry
		err := r.Scan(&e.ID, &e.At, &e.Actor, &e.ActorKind, &e.ActorRole, &e.Action, &e.EntityType, &e.EntityID,
			&e.BeforeVersion, &e.AfterVersion, &e.RequestID, &e.Detail)
		return e, err
	})
	return out, mapError(err, "audit log")
}
