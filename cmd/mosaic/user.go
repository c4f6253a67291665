package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/mosaichq/mosaic/access"
	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/migrations"
	"github.com/mosaichq/mosaic/storage/postgres"
)

// runUser manages local users: `mosaic user add` creates the first admin
// of a fresh install (who can then log in and manage the rest over
// GraphQL).
func runUser(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runUserIn(ctx, args, os.Stdin, stdout, stderr)
}

func runUserIn(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	const usage = "usage: mosaic user add --email EMAIL [--role admin|publisher|editor|viewer] [--password-stdin]"
	if len(args) == 0 || args[0] != "add" {
		return errors.New(usage)
	}
	var email, role string
	var fromStdin bool
	cfg, _, err := parseConfig("user add", args[1:], stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&email, "email", "", "the user's email (their login)")
		fs.StringVar(&role, "role", "admin", "role: admin, publisher, editor or viewer")
		fs.BoolVar(&fromStdin, "password-stdin", false, "read the password from the first line of standard input (default: generate one and print it)")
	})
	if err != nil {
		return err
	}
	if email == "" {
		return errors.New(usage)
	}
	r, err := auth.ParseRole(role)
	if err != nil {
		return err
	}
	password := rand.Text() // 26 base32 characters, 130 bits
	if fromStdin {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("reading the password: %w", err)
		}
		password = strings.TrimRight(line, "\r\n")
	}
	log := cfg.Logger(stderr)
	url, stop, err := database(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer stop()
	// Only the database: not the whole app, whose search index a running
	// `mosaic dev` on the same data dir holds locked.
	if err := migrations.Up(ctx, url); err != nil {
		return fmt.Errorf("applying migrations: %w", err)
	}
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return fmt.Errorf("connecting to the database: %w", err)
	}
	defer pool.Close()
	svc, err := access.New(access.Config{Store: postgres.New(pool).Access(), Logger: log})
	if err != nil {
		return err
	}
	actor := "cli:" + os.Getenv("USER")
	u, err := svc.CreateUser(ctx, actor, access.UserInput{Email: email, Password: password, Role: r})
	if err != nil {
		return err
	}
	v := u.Version
	if err := svc.Record(ctx, access.AuditEntry{Actor: actor, ActorKind: "cli", Action: "createUser",
		EntityType: "User", EntityID: u.ID, AfterVersion: &v, Detail: map[string]any{"email": u.Email, "role": string(u.Role)}}); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created %s user %s (id %s)\n", u.Role, u.Email, u.ID)
	if !fromStdin {
		fmt.Fprintf(stdout, "password (shown once): %s\n", password)
	}
	return nil
}
