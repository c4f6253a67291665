package server

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/delivery"
	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/measurement"
)

// collectHandler serves POST /collect: a batch of client events
// (measurement's contract), as application/json or as text/plain, which is
// what navigator.sendBeacon sends a string as (and what a page may send
// cross-origin without a preflight). The answer is 202 {accepted,
// rejected:[{index,code,message}]} once the accepted events are in the
// durable log; a body that is not a batch is 400 with one BAD_USER_INPUT; a
// full or unreachable log is 503 with Retry-After.
func collectHandler(c *measurement.Collector, policy delivery.Policy, log *slog.Logger) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if err := authorizeCollect(ctx, policy); err != nil {
			assetError(w, r, log, err, 0)
			return
		}
		if c == nil {
			assetError(w, r, log, errs.E(errs.ServiceUnavailable, "measurement is not configured on this server"), 0)
			return
		}
		mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if mt != "application/json" && mt != "text/plain" {
			assetError(w, r, log, errs.E(errs.BadUserInput,
				"send the batch as application/json, or text/plain (navigator.sendBeacon), not %q", r.Header.Get("Content-Type")),
				http.StatusUnsupportedMediaType)
			return
		}
		tooLarge := errs.E(errs.BadUserInput, "the batch exceeds %d bytes: send fewer events per request", measurement.MaxBodyBytes)
		if r.ContentLength > measurement.MaxBodyBytes {
			assetError(w, r, log, tooLarge, http.StatusRequestEntityTooLarge)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, measurement.MaxBodyBytes))
		if err != nil {
			if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
				assetError(w, r, log, tooLarge, http.StatusRequestEntityTooLarge)
				return
			}
			assetError(w, r, log, errs.Wrap(errs.BadUserInput, err, "the batch could not be read"), http.StatusBadRequest)
			return
		}
		res, err := c.Collect(ctx, body)
		if err != nil {
			assetError(w, r, log, err, 0)
			return
		}
		writeJSON(w, http.StatusAccepted, res)
	}
}

// authorizeCollect: a refused credential is that refusal; a credential
// must hold events.write (an events.write API key; a delivery or preview
// key, or an editor's token, may not report for visitors); an anonymous
// caller is let in as delivery lets it in, i.e. when public delivery is
// on (a page's sendBeacon cannot send headers).
func authorizeCollect(ctx context.Context, policy delivery.Policy) error {
	if err := auth.ErrorFromContext(ctx); err != nil {
		return err
	}
	if p, ok := auth.FromContext(ctx); ok {
		if !p.Can(auth.PermEventsWrite) {
			return errs.E(errs.Forbidden, "this credential may not report events: use an API key with scope events.write")
		}
		return nil
	}
	return policy.Authorize(ctx)
}
