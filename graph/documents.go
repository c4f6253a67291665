package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/documents"
	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/graph/model"
)

// DocumentsMode is how /graphql treats documents sent as text
// (MOSAIC_TRUSTED_DOCUMENTS).
type DocumentsMode string

const (
	// DocumentsAllow runs registered documents by id and any text
	// (the default: development, GraphiQL, APQ).
	DocumentsAllow DocumentsMode = "allow"
	// DocumentsEnforce runs only trusted documents for the public (anonymous
	// callers and API keys): by documentId, by an APQ hash of a trusted
	// document, or as the exact text of one. Editors' tokens may send any
	// document (the studio, GraphiQL), and anyone may log in.
	DocumentsEnforce DocumentsMode = "enforce"
)

// ParseDocumentsMode reads MOSAIC_TRUSTED_DOCUMENTS ("" is allow).
func ParseDocumentsMode(s string) (DocumentsMode, error) {
	switch DocumentsMode(s) {
	case "", DocumentsAllow:
		return DocumentsAllow, nil
	case DocumentsEnforce:
		return DocumentsEnforce, nil
	}
	return "", fmt.Errorf("trusted documents: want allow or enforce, got %q", s)
}

// withDocuments resolves `documentId` (GET query parameter or POST body
// member) to the registered document's text before gqlgen sees the
// request, so everything after it — the guard, the stamp, the ETag — works
// on the text, and a CDN caches GET /graphql?documentId=… like any URL.
// With DocumentsEnforce it refuses public documents that are not trusted.
func withDocuments(svc *documents.Service, mode DocumentsMode, next http.Handler) http.Handler {
	if svc == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var err error
		switch {
		case r.Method == http.MethodGet:
			err = documentsGET(r, svc, mode)
		case r.Method == http.MethodPost && isJSON(r) && !(multipartUpload{}).Supports(r):
			err = documentsPOST(r, svc, mode)
		}
		if err != nil {
			e, _ := errs.As(errs.Unavailable(err, "the document registry"))
			if e == nil {
				e = errs.E(errs.Internal, "internal error")
			}
			if e.Code == errs.BadUserInput { // documentId and query both: malformed
				writeError(w, http.StatusBadRequest, e.Code, e.Message)
				return
			}
			// An unknown or refused document is a request error (transport.go).
			writeCodedError(r.Context(), w, e)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func documentsGET(r *http.Request, svc *documents.Service, mode DocumentsMode) error {
	q := r.URL.Query()
	id, query := q.Get("documentId"), q.Get("query")
	if id != "" {
		if query != "" {
			return errs.E(errs.BadUserInput, "send documentId or query, not both")
		}
		d, err := svc.Lookup(r.Context(), id)
		if err != nil {
			return err
		}
		q.Del("documentId")
		q.Set("query", d.Body)
		r.URL.RawQuery = q.Encode()
		return nil
	}
	return enforce(r, svc, mode, query, q.Get("extensions"))
}

func documentsPOST(r *http.Request, svc *documents.Service, mode DocumentsMode) error {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return errs.E(errs.BadUserInput, "request body could not be read")
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	p, _ := members(r.Context(), body)
	if p == nil {
		return nil // checkRequest has answered malformed bodies already
	}
	var id, query string
	_ = json.Unmarshal(p["documentId"], &id)
	_ = json.Unmarshal(p["query"], &query)
	if id == "" {
		return enforce(r, svc, mode, query, string(p["extensions"]))
	}
	if query != "" {
		return errs.E(errs.BadUserInput, "send documentId or query, not both")
	}
	d, err := svc.Lookup(r.Context(), id)
	if err != nil {
		return err
	}
	p = maps.Clone(p) // the decoded body is shared (body.go)
	delete(p, "documentId")
	p["query"], _ = json.Marshal(d.Body)
	body, _ = json.Marshal(p)
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	return nil
}

// enforce refuses, in DocumentsEnforce, a public document that is not
// trusted: text that is no trusted document's, or an APQ hash of a
// document nobody trusted.
func enforce(r *http.Request, svc *documents.Service, mode DocumentsMode, query, extensions string) error {
	if mode != DocumentsEnforce {
		return nil
	}
	if p, ok := auth.FromContext(r.Context()); ok && p.Kind != auth.KindAPIKey {
		return nil // editors: the studio and GraphiQL send what they need
	}
	if query == "" {
		var ext struct {
			PersistedQuery struct{ Sha256Hash string } `json:"persistedQuery"`
		}
		if extensions == "" || json.Unmarshal([]byte(extensions), &ext) != nil || ext.PersistedQuery.Sha256Hash == "" {
			return nil // no document at all: gqlgen says so
		}
		d, err := svc.Lookup(r.Context(), ext.PersistedQuery.Sha256Hash)
		if err != nil && errs.CodeOf(err) != errs.NotFound {
			return err
		}
		if err == nil && d.Trusted {
			return nil
		}
		return errNotTrusted
	}
	if onlyLoggingIn(query) {
		return nil
	}
	ok, err := svc.Trusted(r.Context(), query)
	if err != nil {
		return err
	}
	if !ok {
		return errNotTrusted
	}
	return nil
}

var errNotTrusted = errs.E(errs.Forbidden,
	"this server runs only registered documents for public callers (MOSAIC_TRUSTED_DOCUMENTS=enforce): send documentId of a document from the frontend's manifest")

// onlyLoggingIn is true for a document whose operations only log in:
// signing in is how an editor gets the token that lifts enforcement.
func onlyLoggingIn(query string) bool {
	doc, err := parser.ParseQuery(&ast.Source{Input: query})
	if err != nil || len(doc.Operations) == 0 || len(doc.Fragments) > 0 {
		return false
	}
	for _, op := range doc.Operations {
		if !onlyLogin(op) {
			return false
		}
	}
	return true
}

func (r *Resolver) documentsService(ctx context.Context) (*documents.Service, error) {
	if err := auth.Require(ctx, auth.PermDocumentsWrite); err != nil {
		return nil, err
	}
	if r.Documents == nil {
		return nil, errs.E(errs.ServiceUnavailable, "the document registry is not configured on this server")
	}
	return r.Documents, nil
}

// registerDocuments takes the manifest as JSON, or as a string holding
// the manifest file's text.
func (r *Resolver) registerDocuments(ctx context.Context, manifest any) (*model.DocumentRegistration, error) {
	svc, err := r.documentsService(ctx)
	if err != nil {
		return nil, err
	}
	raw, ok := manifest.(string)
	if !ok {
		b, err := json.Marshal(manifest)
		if err != nil {
			return nil, errs.Invalid("manifest: not JSON", errs.FieldError{Path: "manifest", Message: "not JSON"})
		}
		raw = string(b)
	}
	p, _ := auth.FromContext(ctx)
	reg, err := svc.Register(ctx, p.Subject, []byte(raw))
	if err != nil {
		return nil, err
	}
	out := &model.DocumentRegistration{Added: reg.Added, Unchanged: reg.Unchanged, Documents: make([]*model.GraphQLDocument, len(reg.Documents))}
	for i, d := range reg.Documents {
		out.Documents[i] = documentOut(d)
	}
	return out, nil
}

func (r *Resolver) deleteDocument(ctx context.Context, id string) (bool, error) {
	svc, err := r.documentsService(ctx)
	if err != nil {
		return false, err
	}
	return true, svc.Delete(ctx, id)
}

func (r *Resolver) listDocuments(ctx context.Context, trustedOnly bool, first int, after string) ([]*model.GraphQLDocument, error) {
	svc, err := r.documentsService(ctx)
	if err != nil {
		return nil, err
	}
	list, err := svc.List(ctx, trustedOnly, after, first)
	if err != nil {
		return nil, err
	}
	out := make([]*model.GraphQLDocument, len(list))
	for i, d := range list {
		out[i] = documentOut(d)
	}
	return out, nil
}

func documentOut(d documents.Document) *model.GraphQLDocument {
	return &model.GraphQLDocument{ID: d.ID, Sha256: d.SHA256, Name: optString(d.Name), Trusted: d.Trusted, Body: d.Body, CreatedBy: d.CreatedBy}
}
