package server

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/mosaichq/mosaic/assets"
	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/graph"
	"github.com/mosaichq/mosaic/storage/blob"
)

// BlobPath is where a local blob store's presigned URLs are served.
const BlobPath = "/assets/_blob"

// assetsHandler serves /assets/{id}/{filename}[?w=&h=&fit=&fmt=]: the
// original or a rendition, with a strong ETag, Range requests and
// immutable caching (an id's bytes never change; renditions are keyed by
// their parameters). Under /assets/_blob/ it serves the local blob store's
// presigned URLs, when there is one.
func assetsHandler(svc *assets.Service, blobs http.Handler, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, BlobPath+"/") {
			if blobs == nil {
				assetError(w, r, log, errs.E(errs.NotFound, "no asset at this address"), 0)
				return
			}
			blobs.ServeHTTP(w, r)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			assetError(w, r, log, errs.E(errs.BadUserInput, "assets are read with GET or HEAD"), http.StatusMethodNotAllowed)
			return
		}
		id, name, ok := strings.Cut(strings.TrimPrefix(r.URL.Path, "/assets/"), "/")
		if !ok || name == "" || strings.Contains(name, "/") || svc == nil {
			assetError(w, r, log, errs.E(errs.NotFound, "no asset at this address"), 0)
			return
		}
		serveAsset(w, r, svc, id, log)
	})
}

func serveAsset(w http.ResponseWriter, r *http.Request, svc *assets.Service, id string, log *slog.Logger) {
	obj, err := svc.Open(r.Context(), id, r.URL.Query())
	if err != nil {
		assetError(w, r, log, err, 0)
		return
	}
	h := w.Header()
	h.Set("ETag", obj.ETag)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("Last-Modified", obj.ModTime.UTC().Format(http.TimeFormat))
	h.Set("Accept-Ranges", "bytes")
	// Whatever a file holds, it runs nothing on this origin.
	h.Set("Content-Security-Policy", "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox")
	if etagMatches(r.Header.Get("If-None-Match"), obj.ETag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", obj.ContentType)
	h.Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": obj.Filename}))
	rng, ok := parseRange(r.Header.Get("Range"), obj.Size)
	if ifr := r.Header.Get("If-Range"); ifr != "" && ifr != obj.ETag {
		rng, ok = nil, true // changed since: send it all
	}
	if !ok {
		h.Set("Content-Range", fmt.Sprintf("bytes */%d", obj.Size))
		assetError(w, r, log, errs.E(errs.BadUserInput, "the range is not satisfiable: the file has %d bytes", obj.Size),
			http.StatusRequestedRangeNotSatisfiable)
		return
	}
	status, length := http.StatusOK, obj.Size
	if rng != nil {
		status, length = http.StatusPartialContent, rng.Length
		h.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", rng.Offset, rng.Offset+rng.Length-1, obj.Size))
	}
	h.Set("Content-Length", strconv.FormatInt(length, 10))
	if r.Method == http.MethodHead {
		w.WriteHeader(status)
		return
	}
	rc, err := obj.Open(r.Context(), rng)
	if err != nil {
		for _, k := range []string{"ETag", "Cache-Control", "Last-Modified", "Content-Range", "Content-Length", "Content-Disposition"} {
			h.Del(k)
		}
		assetError(w, r, log, err, 0)
		return
	}
	defer rc.Close()
	w.WriteHeader(status)
	if _, err := io.Copy(w, rc); err != nil {
		log.WarnContext(r.Context(), "asset response cut short", "asset", id, "error", err, "request_id", graph.RequestID(r.Context()))
	}
}

// parseRange reads a single "bytes=" range (a multi-range asks for the
// whole object, as RFC 9110 allows). nil, true: no range; nil, false:
// unsatisfiable.
func parseRange(h string, size int64) (*blob.Range, bool) {
	spec, ok := strings.CutPrefix(h, "bytes=")
	if !ok || strings.Contains(spec, ",") {
		return nil, true
	}
	first, last, ok := strings.Cut(strings.TrimSpace(spec), "-")
	if !ok {
		return nil, true
	}
	if first == "" { // suffix: the last N bytes
		n, err := strconv.ParseInt(last, 10, 64)
		if err != nil || n <= 0 {
			return nil, err != nil
		}
		n = min(n, size)
		return &blob.Range{Offset: size - n, Length: n}, size > 0
	}
	start, err := strconv.ParseInt(first, 10, 64)
	if err != nil || start < 0 {
		return nil, true
	}
	if start >= size {
		return nil, false
	}
	end := size - 1
	if last != "" {
		if end, err = strconv.ParseInt(last, 10, 64); err != nil || end < start {
			return nil, true
		}
		end = min(end, size-1)
	}
	return &blob.Range{Offset: start, Length: end - start + 1}, true
}

func etagMatches(header, etag string) bool {
	if header == "" {
		return false
	}
	for t := range strings.SplitSeq(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}

// assetError answers in the API's error shape; status 0 derives it from
// the code. Unexpected errors are logged and shown as "internal error".
func assetError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error, status int) {
	e, ok := errs.As(errs.Unavailable(err, "the database"))
	if !ok || e.Code == errs.Internal {
		if errors.Is(err, r.Context().Err()) && r.Context().Err() != nil {
			return // the client went away
		}
		log.ErrorContext(r.Context(), "serving an asset", "error", err, "request_id", graph.RequestID(r.Context()))
		e = errs.E(errs.Internal, "internal error")
	}
	if status == 0 {
		status = map[errs.Code]int{errs.NotFound: http.StatusNotFound, errs.BadUserInput: http.StatusBadRequest,
			errs.Forbidden: http.StatusForbidden, errs.Unauthenticated: http.StatusUnauthorized, errs.RateLimited: http.StatusTooManyRequests,
			errs.ServiceUnavailable: http.StatusServiceUnavailable}[e.Code]
		if status == 0 {
			status = http.StatusInternalServerError
		}
	}
	if e.Code == errs.RateLimited || e.Code == errs.ServiceUnavailable {
		w.Header().Set("Retry-After", "5")
	}
	if e.Code == errs.ServiceUnavailable && e.Cause != nil {
		log.WarnContext(r.Context(), "a dependency is unavailable", "error", e.Cause, "request_id", graph.RequestID(r.Context()))
	}
	writeJSON(w, status, restError(r, e))
}

// restError is the body of a failed HTTP (non-GraphQL) request, in the
// shape GraphQL errors have, so that a client reads one shape everywhere:
// {"errors":[{"message", "extensions":{"code", "fields"?, "requestId"?}}]}.
func restError(r *http.Request, e *errs.Error) map[string]any {
	ext := map[string]any{"code": string(e.Code)}
	if len(e.Fields) > 0 {
		ext["fields"] = e.Fields
	}
	if e.Code == errs.Internal {
		ext["requestId"] = graph.RequestID(r.Context())
	}
	return map[string]any{"errors": []any{map[string]any{"message": e.Message, "extensions": ext}}}
}
