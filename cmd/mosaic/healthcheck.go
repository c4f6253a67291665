package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/mosaichq/mosaic/internal/config"
)

// runHealthcheck asks a running server's /healthz and fails unless it
// answers 200: the container image's HEALTHCHECK, since an image built
// from scratch has no curl. It reads the same settings as serve, so
// MOSAIC_ADDR names the address; a wildcard host (0.0.0.0, ::) is asked on
// loopback.
func runHealthcheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var url string
	var timeout time.Duration
	cfg, _, err := parseConfig("healthcheck", args, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&url, "url", "", "URL to ask instead of http://<addr>/healthz")
		fs.DurationVar(&timeout, "timeout", 3*time.Second, "how long to wait for the answer")
	})
	var problems config.Problems
	if err != nil && !errors.As(err, &problems) {
		return err // --help, or a flag that does not exist
	}
	// Settings serve would refuse don't matter here: only the address does.
	if url == "" {
		url = "http://" + loopbackAddr(cfg.Addr) + "/healthz"
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: %s answered %s", url, resp.Status)
	}
	fmt.Fprintln(stdout, "ok")
	return nil
}

// loopbackAddr turns a listen address into one to dial: a wildcard or
// empty host becomes loopback.
func loopbackAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	switch host {
	case "", "0.0.0.0":
		host = "127.0.0.1"
	case "::":
		host = "::1"
	}
	return net.JoinHostPort(host, port)
}
