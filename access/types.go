package access

import (
	"context"
	"time"

	"github.com/mosaichq/mosaic/auth"
)

// User is a local editor account.
type User struct {
	ID       string
	Email    string
	Role     auth.Role
	Disabled bool
	// PasswordHash is argon2id in PHC form; never leaves this package's
	// callers' storage layer.
	PasswordHash string
	Version      int
	CreatedAt    time.Time
	UpdatedAt    time.Time
	UpdatedBy    string
	LastLoginAt  *time.Time
}

// APIKey is a stored key: everything but the key itself.
type APIKey struct {
	ID   string
	Name string
	// Prefix is the key's first characters, for people to recognise it.
	Prefix     string
	Scope      auth.Scope
	Channels   []string
	ExpiresAt  *time.Time
	RevokedAt  *time.Time
	RevokedBy  string
	LastUsedAt *time.Time
	Version    int
	CreatedAt  time.Time
	CreatedBy  string
}

// AuditEntry is one management action.
type AuditEntry struct {
	ID         int64
	At         time.Time
	Actor      string
	ActorKind  string
	ActorRole  string
	Action     string
	EntityType string
	EntityID   string
	// BeforeVersion and AfterVersion are the entity's version before and
	// after the action, when known.
	BeforeVersion *int
	AfterVersion  *int
	RequestID     string
	Detail        map[string]any
}

// AuditQuery filters the audit log; newest first.
type AuditQuery struct {
	// First is the page size: 0 means DefaultAuditFirst, at most MaxAuditFirst.
	First int
	// Before pages: only entries with ID < Before (0: from the newest).
	Before   int64
	Actor    string
	Action   string
	EntityID string
	Since    *time.Time
	Until    *time.Time
}

// Store is the persistence access needs. Not-found is errs.NotFound, a
// duplicate email CONFLICT, a stale version CONFLICT.
type Store interface {
	CreateUser(ctx context.Context, u User) (User, error)
	UpdateUser(ctx context.Context, u User, expectedVersion int) (User, error)
	UserByID(ctx context.Context, id string) (User, error)
	UserByEmail(ctx context.Context, email string) (User, error)
	Users(ctx context.Context) ([]User, error)
	// RecordLogin sets the user's last login and appends e, in one transaction.
	RecordLogin(ctx context.Context, userID string, at time.Time, e AuditEntry) error

	CreateKey(ctx context.Context, k APIKey, hash auth.KeyHash) (APIKey, error)
	KeyByHash(ctx context.Context, hash auth.KeyHash) (APIKey, error)
	Keys(ctx context.Context, includeRevoked bool) ([]APIKey, error)
	RevokeKey(ctx context.Context, id, by string, at time.Time) (APIKey, error)
	// TouchKeys raises last_used_at of each key to the given time.
	TouchKeys(ctx context.Context, used map[string]time.Time) error

	AppendAudit(ctx context.Context, e AuditEntry) error
	Audit(ctx context.Context, q AuditQuery) ([]AuditEntry, error)
}
