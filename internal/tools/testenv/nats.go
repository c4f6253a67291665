package main

import (
	"context"
	"log/slog"
)

const (
	natsModule  = "github.com/nats-io/nats-server/v2"
	natsVersion = "v2.15.3"
)

// natsServer provides an external NATS server binary, the one
// MOSAIC_NATS_URL points production at: TEST_NATS_SERVER is its path, and
// the event log's tests start it (with JetStream, on loopback) as they
// need it, beside the server embedded by default.
type natsServer struct{}

func (natsServer) name() string { return "nats" }

func (natsServer) start(ctx context.Context, log *slog.Logger) ([]string, error) {
	bin, err := toolBinary(ctx, log, natsModule, natsVersion, "the NATS test server (once; about a minute)")
	if err != nil {
		return nil, err
	}
	return []string{"TEST_NATS_SERVER=" + bin}, nil
}

func (natsServer) stop(context.Context) error { return nil }
