// Command mosaic runs and administers Mosaic, the headless DXP.
//
//	mosaic dev        run with an embedded PostgreSQL and demo content
//	mosaic serve      run against DATABASE_URL (production)
//	mosaic migrate    apply database migrations
//	mosaic seed       load the demo content
//	mosaic reindex    rebuild the search index from the database
//	mosaic token      print an editor token
//	mosaic bundle-key make a screen-bundle signing key (or print its public half)
//	mosaic user       add a local user (who logs in with the login mutation)
//	mosaic model      export or import the content model
//	mosaic version    print the version and commit (also --version)
//	mosaic healthcheck ask a running server's /healthz (the image's HEALTHCHECK)
//
// This package only wires: configuration, start and stop, subcommands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

type command struct {
	name, summary string
	run           func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"dev", "run with an embedded PostgreSQL cluster and demo content", runDev},
		{"serve", "run against DATABASE_URL (production)", runServe},
		{"migrate", "apply database migrations and exit", runMigrate},
		{"seed", "load the demo content (idempotent)", runSeed},
		{"reindex", "rebuild this process's search index from the database", runReindex},
		{"token", "print an editor token: mosaic token --role editor", runToken},
		{"bundle-key", "make a screen-bundle signing key (--public: the configured key's public half)", runBundleKey},
		{"user", "add a local user: mosaic user add --email EMAIL --role admin", runUser},
		{"model", "export or import the content model: mosaic model export|import FILE", runModel},
		{"version", "print the version and VCS commit (also mosaic --version)", runVersion},
		{"healthcheck", "exit 0 if the server at MOSAIC_ADDR answers /healthz, else 1", runHealthcheck},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "mosaic:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		return nil
	}
	if args[0] == "--version" || args[0] == "-version" {
		return runVersion(ctx, args[1:], stdout, stderr)
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, args[1:], stdout, stderr)
		}
	}
	usage(stderr)
	return fmt.Errorf("unknown command %q", args[0])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: mosaic <command> [flags]\n\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-11s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nmosaic <command> --help lists every setting.")
}
