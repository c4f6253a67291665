package access

import (
	"context"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/ratelimit"
)

// ErrLogin is every failed login's error: the same words whether the email
// is unknown, the account disabled or the password wrong, so the answer
// does not tell which emails have accounts.
var ErrLogin = errs.E(errs.Unauthenticated, "email or password is wrong")

// UserInput describes a new user.
type UserInput struct {
	Email    string
	Password string
	Role     auth.Role
}

// UserUpdate changes what is set.
type UserUpdate struct {
	Role     *auth.Role
	Disabled *bool
	Password *string
}

// LoginResult is a successful login: a short-lived editor token.
type LoginResult struct {
	Token     string
	ExpiresAt time.Time
	User      User
}

// RateLimitError is a RATE_LIMITED refusal that knows when to come back
// (the graph layer turns it into Retry-After).
type RateLimitError struct{ RetryAfter time.Duration }

func (e *RateLimitError) Error() string { return fmt.Sprintf("retry after %s", e.RetryAfter) }

func normalEmail(email string) (string, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || len(email) > 254 {
		return "", errs.Invalid(fmt.Sprintf("%q is not an email address", email), errs.FieldError{Path: "email", Message: "not an email address"})
	}
	return email, nil
}

// CreateUser adds a local user.
func (s *Service) CreateUser(ctx context.Context, actor string, in UserInput) (User, error) {
	email, err := normalEmail(in.Email)
	if err != nil {
		return User{}, err
	}
	if _, err := auth.ParseRole(string(in.Role)); err != nil {
		return User{}, err
	}
	hash, err := auth.HashPassword(in.Password, s.cfg.Password)
	if err != nil {
		return User{}, err
	}
	return s.store.CreateUser(ctx, User{ID: uuid.NewString(), Email: email, Role: in.Role, PasswordHash: hash, UpdatedBy: actor})
}

// UpdateUser changes a user's role, disabled flag or password if
// expectedVersion is current. Tokens already issued stay valid until they
// expire (LoginTTL).
func (s *Service) UpdateUser(ctx context.Context, actor, id string, upd UserUpdate, expectedVersion int) (User, error) {
	if err := uuid.Validate(id); err != nil {
		return User{}, errs.E(errs.NotFound, "user %q not found", id)
	}
	u, err := s.store.UserByID(ctx, id)
	if err != nil {
		return User{}, err
	}
	if upd.Role != nil {
		if _, err := auth.ParseRole(string(*upd.Role)); err != nil {
			return User{}, err
		}
		u.Role = *upd.Role
	}
	if upd.Disabled != nil {
		u.Disabled = *upd.Disabled
	}
	if upd.Password != nil {
		if u.PasswordHash, err = auth.HashPassword(*upd.Password, s.cfg.Password); err != nil {
			return User{}, err
		}
	}
	u.UpdatedBy = actor
	return s.store.UpdateUser(ctx, u, expectedVersion)
}

// Users lists local users by email.
func (s *Service) Users(ctx context.Context) ([]User, error) { return s.store.Users(ctx) }

// Login checks email and password and returns a token valid for LoginTTL.
// Attempts are rate-limited per email and per client address (ip, may be
// empty), successful or not; a successful login is audited.
func (s *Service) Login(ctx context.Context, email, password, ip string) (LoginResult, error) {
	if s.cfg.Tokens == nil {
		return LoginResult{}, errs.E(errs.ServiceUnavailable, "login is not configured on this server")
	}
	email = strings.ToLower(strings.TrimSpace(email))
	if len(email) > 254 {
		return LoginResult{}, ErrLogin
	}
	for _, lim := range []struct {
		l   *ratelimit.Limiter
		key string
	}{{s.loginEmail, email}, {s.loginIP, ip}} {
		if ok, wait := lim.l.Allow(lim.key); !ok {
			return LoginResult{}, errs.Wrap(errs.RateLimited, &RateLimitError{RetryAfter: wait},
				"too many login attempts: try again in %ds", ratelimit.RetryAfterSeconds(wait))
		}
	}
	u, err := s.store.UserByEmail(ctx, email)
	if err != nil && errs.CodeOf(err) != errs.NotFound {
		return LoginResult{}, err
	}
	if err != nil || u.Disabled {
		auth.BurnPasswordCheck(password)
		return LoginResult{}, ErrLogin
	}
	ok, err := auth.CheckPassword(u.PasswordHash, password)
	if err != nil {
		return LoginResult{}, fmt.Errorf("checking the password of user %s: %w", u.ID, err)
	}
	if !ok {
		return LoginResult{}, ErrLogin
	}
	token, err := s.cfg.Tokens.Issue(u.Email, u.Role, s.cfg.LoginTTL)
	if err != nil {
		return LoginResult{}, err
	}
	now := s.cfg.Now()
	entry := AuditEntry{Actor: u.Email, ActorKind: "password", ActorRole: string(u.Role), Action: "login",
		EntityType: "User", EntityID: u.ID, Detail: map[string]any{"ip": ip}}
	if err := s.store.RecordLogin(ctx, u.ID, now, entry); err != nil {
		return LoginResult{}, err
	}
	u.LastLoginAt = &now
	return LoginResult{Token: token, ExpiresAt: now.Add(s.cfg.LoginTTL), User: u}, nil
}
