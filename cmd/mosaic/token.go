package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/mosaichq/mosaic/auth"
)

// runToken prints a token the server accepts: signed with its secret,
// which it finds but never creates (existingSecret).
func runToken(_ context.Context, args []string, stdout, stderr io.Writer) error {
	var role, subject string
	cfg, _, err := parseConfig("token", args, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&role, "role", "editor", "role: admin, publisher, editor or viewer")
		fs.StringVar(&subject, "subject", "", "who the token is for (default: the role name)")
	})
	if err != nil {
		return err
	}
	r, err := auth.ParseRole(role)
	if err != nil {
		return err
	}
	if subject == "" {
		subject = "cli-" + role
	}
	sec, err := existingSecret(cfg)
	if err != nil {
		return err
	}
	tokens, err := auth.NewTokens(auth.Config{Secret: sec, TTL: cfg.TokenTTL})
	if err != nil {
		return err
	}
	tok, err := tokens.Issue(subject, r, 0)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, tok)
	return nil
}
