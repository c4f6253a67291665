package fsblob

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/mosaichq/mosaic/storage/blob"
)

// Query parameters of a presigned URL.
const (
	paramMethod  = "X-Mosaic-Method"
	paramExpires = "X-Mosaic-Expires"
	paramSig     = "X-Mosaic-Signature"
)

// MaxPresignExpiry matches S3's limit for presigned URLs.
const MaxPresignExpiry = 7 * 24 * time.Hour

// Presign implements blob.Store: a URL of Handler signed with the secret.
func (s *Store) Presign(_ context.Context, method, key string, expiry time.Duration) (string, error) {
	if err := blob.CheckKey(key); err != nil {
		return "", err
	}
	if err := blob.CheckMethod(method); err != nil {
		return "", err
	}
	if expiry <= 0 || expiry > MaxPresignExpiry {
		return "", fmt.Errorf("fsblob: presign expiry must be in (0, %s], got %s", MaxPresignExpiry, expiry)
	}
	exp := strconv.FormatInt(s.cfg.Now().Add(expiry).Unix(), 10)
	q := url.Values{paramMethod: {method}, paramExpires: {exp}, paramSig: {s.sign(method, key, exp)}}
	return s.cfg.BaseURL + "/" + key + "?" + q.Encode(), nil
}

func (s *Store) sign(method, key, exp string) string {
	m := hmac.New(sha256.New, s.cfg.Secret)
	fmt.Fprintf(m, "%s\n%s\n%s", method, key, exp)
	return hex.EncodeToString(m.Sum(nil))
}

// Handler serves presigned URLs: GET (and HEAD, with Range) and PUT of the
// one key each URL names, until it expires. Mount it at the path of
// Config.BaseURL; it reads the key from what follows that path.
func (s *Store) Handler() http.Handler {
	base := s.cfg.BaseURL
	if u, err := url.Parse(base); err == nil {
		base = u.Path
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key, ok := strings.CutPrefix(r.URL.Path, base+"/")
		if !ok || blob.CheckKey(key) != nil {
			httpError(w, http.StatusNotFound, "NoSuchKey", "no such object")
			return
		}
		q := r.URL.Query()
		method, exp := q.Get(paramMethod), q.Get(paramExpires)
		want := s.sign(method, key, exp)
		if !hmac.Equal([]byte(want), []byte(q.Get(paramSig))) {
			httpError(w, http.StatusForbidden, "SignatureDoesNotMatch", "the signature does not match")
			return
		}
		if unix, err := strconv.ParseInt(exp, 10, 64); err != nil || s.cfg.Now().Unix() > unix {
			httpError(w, http.StatusForbidden, "AccessDenied", "the URL has expired")
			return
		}
		switch {
		case method == http.MethodPut && r.Method == http.MethodPut:
			s.servePut(w, r, key)
		case method == http.MethodGet && (r.Method == http.MethodGet || r.Method == http.MethodHead):
			s.serveGet(w, r, key)
		default:
			httpError(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "the URL was signed for "+method)
		}
	})
}

func (s *Store) servePut(w http.ResponseWriter, r *http.Request, key string) {
	switch {
	case r.ContentLength < 0:
		httpError(w, http.StatusLengthRequired, "MissingContentLength", "send Content-Length")
		return
	case r.ContentLength > s.cfg.MaxPresignedPut:
		httpError(w, http.StatusRequestEntityTooLarge, "EntityTooLarge",
			fmt.Sprintf("at most %d bytes", s.cfg.MaxPresignedPut))
		return
	}
	info, err := s.Put(r.Context(), key, r.Body, r.ContentLength, blob.PutOptions{ContentType: r.Header.Get("Content-Type")})
	switch {
	case errors.Is(err, blob.ErrTruncated) || errors.Is(err, blob.ErrTooLarge):
		httpError(w, http.StatusBadRequest, "IncompleteBody", "the body does not match Content-Length")
		return
	case err != nil:
		httpError(w, http.StatusServiceUnavailable, "ServiceUnavailable", "storage failed")
		return
	}
	w.Header().Set("ETag", info.ETag)
	w.WriteHeader(http.StatusOK)
}

func (s *Store) serveGet(w http.ResponseWriter, r *http.Request, key string) {
	f, info, err := s.open(r.Context(), key)
	if errors.Is(err, blob.ErrNotFound) {
		httpError(w, http.StatusNotFound, "NoSuchKey", "no such object")
		return
	}
	if err != nil {
		httpError(w, http.StatusServiceUnavailable, "ServiceUnavailable", "storage failed")
		return
	}
	defer f.Close()
	w.Header().Set("Content-Type", info.ContentType)
	w.Header().Set("ETag", info.ETag)
	http.ServeContent(w, r, "", info.ModTime, f)
}

// httpError answers in S3's XML error shape, so clients written for S3
// presigned URLs understand local ones too.
func httpError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>%s</Code><Message>%s</Message></Error>", code, msg)
}
