package app

import (
	"context"
	"log/slog"
	"os"
	"runtime/debug"
	"time"

	"github.com/mosaichq/mosaic/internal/tracing"
)

// openTracing builds the OTLP exporter when an endpoint is configured
// (MOSAIC_OTEL_ENDPOINT, else the standard OTEL_EXPORTER_OTLP_* variables)
// and makes the logger add trace ids. Without one nothing changes: no
// provider, no wrapped logger, no middleware (internal/tracing).
func (a *App) openTracing(ctx context.Context) error {
	endpoint := a.Config.TracesEndpoint(os.Getenv)
	if endpoint == "" {
		return nil
	}
	version := ""
	if info, ok := debug.ReadBuildInfo(); ok {
		version = info.Main.Version
	}
	tp, err := tracing.Setup(ctx, endpoint, a.Config.OTelEndpoint == "", version)
	if err != nil {
		return err
	}
	a.tracer = tp
	a.closers = append(a.closers, func() {
		// Flush what is batched; a collector that is gone costs at most this.
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := tp.Shutdown(ctx); err != nil {
			a.Log.Warn("tracing: flushing spans at shutdown", "error", err)
		}
	})
	a.Log = slog.New(tracing.LogHandler(a.Log.Handler()))
	a.Log.Info("tracing on: exporting spans over OTLP/HTTP", "endpoint", endpoint)
	return nil
}
