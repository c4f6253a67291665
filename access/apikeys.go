package access

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/errs"
)

// Why an API key was refused; all UNAUTHENTICATED.
var (
	ErrKeyUnknown = errs.E(errs.Unauthenticated, "API key not recognised")
	ErrKeyRevoked = errs.E(errs.Unauthenticated, "API key revoked")
	ErrKeyExpired = errs.E(errs.Unauthenticated, "API key expired")
)

// KeyInput describes a new API key.
type KeyInput struct {
	Name  string
	Scope auth.Scope
	// Channels limits the key; empty means every channel.
	Channels  []string
	ExpiresAt *time.Time
}

// CreateKey makes a key for in and returns it — the only time the key is
// ever seen: only its hash is stored.
func (s *Service) CreateKey(ctx context.Context, actor string, in KeyInput) (string, APIKey, error) {
	k, err := s.checkKeyInput(in)
	if err != nil {
		return "", APIKey{}, err
	}
	plain, hash, prefix := auth.NewAPIKey()
	k.ID, k.Prefix, k.CreatedBy = uuid.NewString(), prefix, actor
	k, err = s.store.CreateKey(ctx, k, hash)
	if err != nil {
		return "", APIKey{}, err
	}
	return plain, k, nil
}

func (s *Service) checkKeyInput(in KeyInput) (APIKey, error) {
	var problems []errs.FieldError
	name := strings.TrimSpace(in.Name)
	if name == "" || utf8.RuneCountInString(name) > 100 {
		problems = append(problems, errs.FieldError{Path: "name", Message: "want 1 to 100 characters"})
	}
	if _, err := auth.ParseScope(string(in.Scope)); err != nil {
		problems = append(problems, errs.FieldError{Path: "scope", Message: "want delivery, preview or events.write"})
	}
	var channels []string
	for i, ch := range in.Channels {
		switch {
		case !slices.Contains(s.cfg.Channels, ch):
			problems = append(problems, errs.FieldError{Path: fmt.Sprintf("channels.%d", i),
				Message: fmt.Sprintf("unknown channel %q (known: %s)", ch, strings.Join(s.cfg.Channels, ", "))})
		case slices.Contains(channels, ch):
			problems = append(problems, errs.FieldError{Path: fmt.Sprintf("channels.%d", i), Message: "listed twice"})
		default:
			channels = append(channels, ch)
		}
	}
	if in.ExpiresAt != nil && !in.ExpiresAt.After(s.cfg.Now()) {
		problems = append(problems, errs.FieldError{Path: "expiresAt", Message: "must be in the future"})
	}
	if len(problems) > 0 {
		return APIKey{}, errs.Invalid("invalid API key", problems...)
	}
	if channels == nil {
		channels = []string{}
	}
	return APIKey{Name: name, Scope: in.Scope, Channels: channels, ExpiresAt: in.ExpiresAt}, nil
}

// Keys lists API keys, newest first.
func (s *Service) Keys(ctx context.Context, includeRevoked bool) ([]APIKey, error) {
	return s.store.Keys(ctx, includeRevoked)
}

// RevokeKey stops key id from working: at once on this replica, and on the
// others as soon as they hear of it (the store announces revocations; they
// call ForgetCachedKeys), within KeyCacheTTL at worst. Revoking a revoked
// key changes nothing.
func (s *Service) RevokeKey(ctx context.Context, actor, id string) (APIKey, error) {
	if err := uuid.Validate(id); err != nil {
		return APIKey{}, errs.E(errs.NotFound, "API key %q not found", id)
	}
	k, err := s.store.RevokeKey(ctx, id, actor, s.cfg.Now())
	if err != nil {
		return APIKey{}, err
	}
	s.ForgetCachedKeys()
	return k, nil
}

// ForgetCachedKeys drops every cached key lookup, so the next use of any
// key reads the store: another replica revoked one. The cache is keyed by
// hash, which a revocation does not carry; revocations are rare.
func (s *Service) ForgetCachedKeys() {
	s.cacheMu.Lock()
	s.cache.Purge()
	s.cacheMu.Unlock()
}

// VerifyContext turns an API key into a principal (auth.ContextVerifier).
func (s *Service) VerifyContext(ctx context.Context, key string) (auth.Principal, error) {
	hash, err := auth.HashAPIKey(key)
	if err != nil {
		return auth.Principal{}, err
	}
	now := s.cfg.Now()
	k, found, err := s.lookup(ctx, hash, now)
	switch {
	case err != nil:
		return auth.Principal{}, err
	case !found:
		return auth.Principal{}, ErrKeyUnknown
	case k.RevokedAt != nil:
		return auth.Principal{}, ErrKeyRevoked
	case k.ExpiresAt != nil && !now.Before(*k.ExpiresAt):
		return auth.Principal{}, ErrKeyExpired
	}
	s.used.touch(k.ID, now)
	p := auth.Principal{Subject: "apikey:" + k.ID, Kind: auth.KindAPIKey, TokenID: k.ID, Scope: k.Scope, Channels: k.Channels}
	if k.ExpiresAt != nil {
		p.ExpiresAt = *k.ExpiresAt
	}
	return p, nil
}

// Verify is VerifyContext without a request context.
func (s *Service) Verify(key string) (auth.Principal, error) {
	return s.VerifyContext(context.Background(), key)
}

var _ auth.ContextVerifier = (*Service)(nil)

// lookup finds a key by hash through the cache. Misses are cached too, so a
// client repeating a wrong key costs no query per request.
func (s *Service) lookup(ctx context.Context, hash auth.KeyHash, now time.Time) (APIKey, bool, error) {
	s.cacheMu.Lock()
	c, ok := s.cache.Get(hash)
	s.cacheMu.Unlock()
	if ok && now.Before(c.expires) {
		return c.key, c.found, nil
	}
	k, err := s.store.KeyByHash(ctx, hash)
	found := err == nil
	if err != nil && errs.CodeOf(err) != errs.NotFound {
		// The database cannot say: what it said last stands for a while
		// (a delivery key must not stop working, nor tell its clients to
		// drop it, because PostgreSQL restarted), else it is an outage.
		if ok && now.Before(c.checked.Add(s.cfg.KeyOutageGrace)) {
			// Ask again in a second, not on every request of the outage.
			c.expires = now.Add(time.Second)
			s.cacheMu.Lock()
			s.cache.Add(hash, c)
			s.cacheMu.Unlock()
			return c.key, c.found, nil
		}
		return APIKey{}, false, errs.Wrap(errs.ServiceUnavailable, err,
			"the API key cannot be verified right now (its database is unreachable); try again shortly")
	}
	s.cacheMu.Lock()
	s.cache.Add(hash, cachedKey{key: k, found: found, expires: now.Add(s.cfg.KeyCacheTTL), checked: now})
	s.cacheMu.Unlock()
	return k, found, nil
}

// FlushLastUsed writes pending last-used times now (tests, shutdown).
func (s *Service) FlushLastUsed(ctx context.Context) { s.used.flush(ctx) }
