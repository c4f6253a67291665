package auth

import (
	"fmt"
	"time"
)

// MinSecretBytes is the shortest HS256 secret accepted: RFC 7518 §3.2 asks
// for a key at least as long as the hash output (256 bits).
const MinSecretBytes = 32

// maxLeeway bounds Config.Leeway: clock skew is seconds; minutes of leeway
// would quietly extend every token's life.
const maxLeeway = 5 * time.Minute

// Config configures editor tokens. The zero value of every field except
// Secret has a default.
type Config struct {
	// Secret is the HS256 key; at least MinSecretBytes bytes. Production
	// reads it from MOSAIC_AUTH_SECRET; `mosaic dev` and `mosaic token` share
	// one from LoadOrCreateSecret.
	Secret []byte
	// Issuer is the iss claim written and required. Default "mosaic".
	Issuer string
	// Audience is the aud claim written and required. Default "mosaic".
	Audience string
	// TTL is the lifetime of an issued token when Issue is given none.
	// Default 12h.
	TTL time.Duration
	// Leeway tolerates clock skew between replicas when checking exp, nbf
	// and iat. Default 30s; at most 5m.
	Leeway time.Duration
	// Now is the clock; tests inject a fixed one. Default time.Now.
	Now func() time.Time
}

// withDefaults returns a copy of c with defaults filled in. A zero Leeway is
// taken as "unset": a deployment that wants none can set 1ns.
func (c Config) withDefaults() Config {
	if c.Issuer == "" {
		c.Issuer = "mosaic"
	}
	if c.Audience == "" {
		c.Audience = "mosaic"
	}
	if c.TTL == 0 {
		c.TTL = 12 * time.Hour
	}
	if c.Leeway == 0 {
		c.Leeway = 30 * time.Second
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

func (c Config) validate() error {
	switch {
	case len(c.Secret) == 0:
		return fmt.Errorf("auth config: Secret is empty; set MOSAIC_AUTH_SECRET to at least %d random bytes (e.g. `openssl rand -hex 32`)", MinSecretBytes)
	case len(c.Secret) < MinSecretBytes:
		// The length is safe to say; the bytes are not.
		return fmt.Errorf("auth config: Secret is %d bytes, want at least %d (e.g. `openssl rand -hex 32`)", len(c.Secret), MinSecretBytes)
	case c.TTL < 0:
		return fmt.Errorf("auth config: TTL is %s, want a positive duration", c.TTL)
	case c.Leeway < 0 || c.Leeway > maxLeeway:
		return fmt.Errorf("auth config: Leeway is %s, want between 0 and %s", c.Leeway, maxLeeway)
	}
	return nil
}
