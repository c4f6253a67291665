package app

import (
	"context"

	"github.com/mosaichq/mosaic/access"
	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/graph"
	"github.com/mosaichq/mosaic/server"
	"github.com/mosaichq/mosaic/storage/postgres"
)

// openAccess builds users, API keys and the audit log, and the identity
// provider's verifier when MOSAIC_JWKS_URL is set. Needs a.Tokens.
func (a *App) openAccess(store *postgres.Store) error {
	reg, err := a.Config.Registry()
	if err != nil {
		return err
	}
	s := a.Config.Security
	if a.Access, err = access.New(access.Config{Store: store.Access(), Tokens: a.Tokens, LoginTTL: s.LoginTokenTTL,
		Channels: reg.Channels, Logger: a.Log.With("component", "access")}); err != nil {
		return err
	}
	a.Access.Start()
	a.closers = append(a.closers, a.Access.Stop)
	// A key revoked on another replica stops working here at once. After a
	// dropped connection, revocations may have been missed: forget too.
	forget := func() { a.Access.ForgetCachedKeys() }
	keys := postgres.NewListener(a.Pool, a.Log.With("component", "api-keys"), []string{postgres.KeysChannel},
		func(string, string) { forget() }, forget)
	keys.Start(context.Background())
	a.closers = append(a.closers, keys.Stop)
	if s.JWKSURL == "" {
		return nil
	}
	if a.idp, err = auth.NewJWKS(auth.JWKSConfig{URL: s.JWKSURL, Issuer: s.JWKSIssuer, Audience: s.JWKSAudience,
		RoleClaim: s.JWKSRoleClaim, Logger: a.Log.With("component", "jwks")}); err != nil {
		return err
	}
	a.closers = append(a.closers, a.idp.Close)
	return nil
}

// verifier accepts every credential kind: Mosaic's tokens, the identity
// provider's (when configured) and API keys.
func (a *App) verifier() auth.Verifier {
	c := auth.Credentials{Tokens: a.Tokens, Keys: a.Access}
	if a.idp != nil {
		c.IdP = a.idp
	}
	return c
}

// securityLimits adds the query-shape limits and the key requirement.
func (a *App) securityLimits(l graph.Limits) graph.Limits {
	s := a.Config.Security
	l.MaxDepth, l.MaxAliases, l.RequireAPIKey = s.MaxDepth, s.MaxAliases, !s.PublicDelivery
	l.TrustedDocuments, _ = graph.ParseDocumentsMode(a.Config.TrustedDocuments) // validated with the config
	l.ResponseCacheBytes = a.Config.ResponseCacheBytes
	if l.ResponseCacheBytes == 0 {
		l.ResponseCacheBytes = -1 // the setting's 0 is off; the Limits' 0 is the default
	}
	l.SurrogateHeaders = a.Config.SurrogateHeaders
	return l
}

func (a *App) security() server.Security {
	proxies, _ := a.Config.TrustedProxies() // validated with the config
	s := a.Config.Security
	return server.Security{CORSOrigins: a.Config.CORSOrigins(), RatePerIP: s.RatePerIP, RatePerKey: s.RatePerKey, TrustedProxies: proxies,
		HideMetrics: !s.Metrics, MetricsToken: s.MetricsToken}
}
