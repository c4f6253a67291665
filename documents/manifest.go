package documents

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/mosaichq/mosaic/errs"
)

// Document is one executable GraphQL document.
type Document struct {
	// ID is what clients send as documentId.
	ID string
	// SHA256 is the hex SHA-256 of Body.
	SHA256 string
	Body   string
	// Name is the operation's name, when the manifest or the text has one.
	Name string
	// Trusted says an editor registered it ahead (not APQ).
	Trusted   bool
	CreatedBy string
}

// Bounds of a manifest.
const (
	MaxDocuments = 5000
	maxIDLength  = 200
	// MaxBody is the largest document text (the GraphQL body limit).
	MaxBody = 1 << 20
)

// Hash is the hex SHA-256 of a document's text, as APQ computes it.
func Hash(body string) string {
	sum := sha256.Sum256([]byte(body))
	return hex.EncodeToString(sum[:])
}

// apolloManifest is Apollo's persisted-query-manifest format.
type apolloManifest struct {
	Format     string `json:"format"`
	Version    int    `json:"version"`
	Operations []struct {
		ID   string `json:"id"`
		Name string `json:"name"`
		Type string `json:"type"`
		Body string `json:"body"`
	} `json:"operations"`
}

// ParseManifest reads a manifest: Apollo's persisted-query-manifest
// ({"format":"apollo-persisted-query-manifest","version":1,"operations":[…]})
// or a JSON object of id → document text (GraphQL Code Generator's client
// preset, Relay). Every document must parse as GraphQL; every problem is
// reported at once, each under its path in the manifest.
func ParseManifest(raw []byte) ([]Document, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return nil, errs.Invalid("a manifest is a JSON object: Apollo's persisted-query-manifest, or an object of id to document text")
	}
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(raw, &probe); err != nil {
		return nil, errs.Invalid("the manifest is not valid JSON: " + strings.TrimPrefix(err.Error(), "json: "))
	}
	var docs []Document
	var problems []errs.FieldError
	if _, ok := probe["operations"]; ok {
		var m apolloManifest
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, errs.Invalid("the manifest's operations are malformed: " + strings.TrimPrefix(err.Error(), "json: "))
		}
		if m.Format != "" && m.Format != "apollo-persisted-query-manifest" {
			problems = append(problems, errs.FieldError{Path: "format", Message: fmt.Sprintf("unknown format %q", m.Format)})
		}
		for _, op := range m.Operations {
			docs = append(docs, Document{ID: op.ID, Body: op.Body, Name: op.Name})
		}
	} else {
		ids := make([]string, 0, len(probe))
		for id := range probe {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			var body string
			if err := json.Unmarshal(probe[id], &body); err != nil {
				problems = append(problems, errs.FieldError{Path: id, Message: "want the document's text as a string"})
				continue
			}
			docs = append(docs, Document{ID: id, Body: body})
		}
	}
	if len(docs) > MaxDocuments {
		return nil, errs.Invalid(fmt.Sprintf("the manifest has %d documents, more than the limit of %d", len(docs), MaxDocuments))
	}
	seen := map[string]bool{}
	for i := range docs {
		path := docs[i].ID
		if _, ok := probe["operations"]; ok {
			path = fmt.Sprintf("operations.%d", i)
		}
		if err := checkDocument(&docs[i]); err != nil {
			problems = append(problems, errs.FieldError{Path: path, Message: err.Error()})
			continue
		}
		if seen[docs[i].ID] {
			problems = append(problems, errs.FieldError{Path: path, Message: fmt.Sprintf("id %q is listed twice", docs[i].ID)})
		}
		seen[docs[i].ID] = true
	}
	if len(problems) > 0 {
		return nil, errs.Invalid(fmt.Sprintf("the manifest has %d problems; nothing was registered", len(problems)), problems...)
	}
	if len(docs) == 0 {
		return nil, errs.Invalid("the manifest lists no documents")
	}
	return docs, nil
}

// checkDocument validates one document and fills in its hash and name.
func checkDocument(d *Document) error {
	d.ID = NormalizeID(d.ID)
	switch {
	case d.ID == "":
		return fmt.Errorf("an id is required")
	case len(d.ID) > maxIDLength || !utf8.ValidString(d.ID) || strings.ContainsAny(d.ID, "\x00\n\r\t "):
		return fmt.Errorf("the id must be 1 to %d visible characters", maxIDLength)
	case d.Body == "":
		return fmt.Errorf("the document's text is empty")
	case len(d.Body) > MaxBody:
		return fmt.Errorf("the document exceeds %d bytes", MaxBody)
	case !utf8.ValidString(d.Body) || strings.ContainsRune(d.Body, 0):
		return fmt.Errorf("the document is not valid UTF-8 text")
	}
	doc, err := parser.ParseQuery(&ast.Source{Input: d.Body})
	if err != nil {
		return fmt.Errorf("the document does not parse: %s", err.Error())
	}
	if len(doc.Operations) == 0 {
		return fmt.Errorf("the document has no operation")
	}
	d.SHA256 = Hash(d.Body)
	if len(d.ID) == 64 && isHex(d.ID) && d.ID != d.SHA256 {
		return fmt.Errorf("the id looks like a SHA-256 but is not the hash of the text (%s)", d.SHA256)
	}
	if d.Name == "" && len(doc.Operations) == 1 {
		d.Name = doc.Operations[0].Name
	}
	return nil
}

// NormalizeID maps the forms a client may send to the stored id:
// "sha256:<hex>" becomes "<hex>".
func NormalizeID(id string) string {
	id = strings.TrimSpace(id)
	if h, ok := strings.CutPrefix(id, "sha256:"); ok && len(h) == 64 && isHex(strings.ToLower(h)) {
		return strings.ToLower(h)
	}
	return id
}

func isHex(s string) bool {
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
