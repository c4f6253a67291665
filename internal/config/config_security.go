package config

import (
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// SecurityConfig is who may call and how much (issue 7).
type SecurityConfig struct {
	PublicDelivery bool
	CORSOrigins    string
	RatePerIP      float64
	RatePerKey     float64
	TrustedProxies string
	MaxDepth       int
	MaxAliases     int
	LoginTokenTTL  time.Duration
	JWKSURL        string
	JWKSIssuer     string
	JWKSAudience   string
	JWKSRoleClaim  string
	// Metrics serves Prometheus metrics at /metrics on the main address;
	// MetricsToken, when set, is the bearer token a scrape must send,
	// else only loopback callers are answered (server.Security).
	Metrics      bool
	MetricsToken string
}

var securitySettings = []setting{
	{"public-delivery", "MOSAIC_PUBLIC_DELIVERY", "false", "serve published content without an API key (dev: true)", boolInto(func(c *Config) *bool { return &c.Security.PublicDelivery })},
	{"cors-origins", "MOSAIC_CORS_ORIGINS", "", "browser origins allowed cross-origin, comma-separated, one * each (dev: http://localhost:*,http://127.0.0.1:*)", func(c *Config, v string) error { c.Security.CORSOrigins = v; return nil }},
	{"rate-limit-ip", "MOSAIC_RATE_LIMIT_IP", "30", "requests per second per client address without a credential (burst 2x; 0: off)", floatInto(func(c *Config) *float64 { return &c.Security.RatePerIP })},
	{"rate-limit-key", "MOSAIC_RATE_LIMIT_KEY", "200", "requests per second per API key or editor (burst 2x; 0: off)", floatInto(func(c *Config) *float64 { return &c.Security.RatePerKey })},
	{"trusted-proxies", "MOSAIC_TRUSTED_PROXIES", "", "CIDRs of load balancers whose X-Forwarded-For is believed, comma-separated", func(c *Config, v string) error { c.Security.TrustedProxies = v; return nil }},
	{"max-depth", "MOSAIC_MAX_DEPTH", "15", "deepest accepted query (levels of fields)", intInto(func(c *Config) *int { return &c.Security.MaxDepth })},
	{"max-aliases", "MOSAIC_MAX_ALIASES", "30", "most aliases accepted in one query", intInto(func(c *Config) *int { return &c.Security.MaxAliases })},
	{"login-token-ttl", "MOSAIC_LOGIN_TOKEN_TTL", "1h", "lifetime of tokens from the login mutation", durationInto(func(c *Config) *time.Duration { return &c.Security.LoginTokenTTL })},
	{"jwks-url", "MOSAIC_JWKS_URL", "", "identity provider's JWKS URL: accept its RS256/EdDSA editor tokens", func(c *Config, v string) error { c.Security.JWKSURL = v; return nil }},
	{"jwks-issuer", "MOSAIC_JWKS_ISSUER", "", "iss required in identity-provider tokens", func(c *Config, v string) error { c.Security.JWKSIssuer = v; return nil }},
	{"jwks-audience", "MOSAIC_JWKS_AUDIENCE", "", "aud required in identity-provider tokens", func(c *Config, v string) error { c.Security.JWKSAudience = v; return nil }},
	{"jwks-role-claim", "MOSAIC_JWKS_ROLE_CLAIM", "role", "claim (dotted path) holding the Mosaic role in identity-provider tokens", func(c *Config, v string) error { c.Security.JWKSRoleClaim = v; return nil }},
	{"metrics", "MOSAIC_METRICS", "false", "serve Prometheus metrics at /metrics (dev: true); they show routes, error rates and fleet size, so outside loopback a scrape needs MOSAIC_METRICS_TOKEN", boolInto(func(c *Config) *bool { return &c.Security.Metrics })},
	{"metrics-token", "MOSAIC_METRICS_TOKEN", "", "bearer token /metrics requires (Authorization: Bearer ...); empty: /metrics answers loopback callers only", func(c *Config, v string) error { c.Security.MetricsToken = v; return nil }},
}

func init() { settings = append(settings, securitySettings...) }

// devDefaults are what `mosaic dev` uses where production is stricter:
// a developer's browser on any localhost port, GraphiQL's introspection,
// delivery without a key, webhooks to a receiver on the same machine, and
// /metrics.
var devDefaults = map[string]string{
	"MOSAIC_INTROSPECTION":         "true",
	"MOSAIC_PUBLIC_DELIVERY":       "true",
	"MOSAIC_CORS_ORIGINS":          "http://localhost:*,http://127.0.0.1:*",
	"MOSAIC_WEBHOOK_ALLOW_PRIVATE": "true",
	"MOSAIC_METRICS":               "true",
}

// DevEnv wraps getenv so that unset variables take their dev defaults.
// Flags and set variables still win.
func DevEnv(getenv func(string) string) func(string) string {
	return func(k string) string {
		if v := getenv(k); v != "" {
			return v
		}
		return devDefaults[k]
	}
}

func floatInto(field func(*Config) *float64) func(*Config, string) error {
	return func(c *Config, v string) error {
		f, err := strconv.ParseFloat(v, 64)
		*field(c) = f
		return err
	}
}

func intInto(field func(*Config) *int) func(*Config, string) error {
	return func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		*field(c) = n
		return err
	}
}

func (c Config) validateSecurity() error {
	s := c.Security
	var p Problems
	p.check(s.RatePerIP < 0 || s.RatePerKey < 0, "rate-limit-ip and rate-limit-key must be 0 (off) or positive")
	p.check(s.MaxDepth < 2 || s.MaxDepth > 100, "max-depth must be between 2 and 100, got %d", s.MaxDepth)
	p.check(s.MaxAliases < 0 || s.MaxAliases > 1000, "max-aliases must be between 0 and 1000, got %d", s.MaxAliases)
	p.check(s.MetricsToken != "" && len(s.MetricsToken) < 16, "metrics-token must be at least 16 characters, got %d", len(s.MetricsToken))
	p.check(s.LoginTokenTTL < time.Minute || s.LoginTokenTTL > 24*time.Hour, "login-token-ttl must be between 1m and 24h, got %s", s.LoginTokenTTL)
	p.check(s.JWKSURL != "" && (s.JWKSIssuer == "" || s.JWKSAudience == ""),
		"jwks-url needs jwks-issuer and jwks-audience: without them tokens for any issuer or application would be accepted")
	if s.JWKSURL != "" {
		u, err := url.Parse(s.JWKSURL)
		p.check(err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "", "jwks-url %q is not an http(s) URL", s.JWKSURL)
	}
	for _, o := range c.CORSOrigins() {
		p.check(o != "*" && strings.Count(o, "*") > 1 || !strings.HasPrefix(o, "http://") && !strings.HasPrefix(o, "https://") && o != "*",
			"cors-origins: %q is not an origin like https://shop.example.com (one * allowed)", o)
	}
	_, err := c.TrustedProxies()
	p.add(err)
	return p.Err()
}

// CORSOrigins lists the cors-origins setting.
func (c Config) CORSOrigins() []string { return splitList(c.Security.CORSOrigins) }

// TrustedProxies parses the trusted-proxies setting (CIDRs or addresses).
func (c Config) TrustedProxies() ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, s := range splitList(c.Security.TrustedProxies) {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			a, aerr := netip.ParseAddr(s)
			if aerr != nil {
				return nil, fmt.Errorf("trusted-proxies: %q is not a CIDR or address", s)
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

func splitList(raw string) []string {
	var out []string
	for _, s := range strings.Split(raw, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
