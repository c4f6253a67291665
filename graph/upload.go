package graph

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"

	"github.com/99designs/gqlgen/graphql"

	"github.com/mosaichq/mosaic/errs"
)

// multipartUpload is the GraphQL multipart request transport
// (graphql-multipart-request-spec: operations, map, then files), as
// gqlgen's transport.MultipartForm, with two differences: every refusal is
// a coded GraphQL error (gqlgen's carry no extensions.code, and answer
// "request body too large" with 200), and files always stream to
// temporary files rather than memory.
type multipartUpload struct {
	// MaxUploadSize bounds the whole request body.
	MaxUploadSize int64
	// TempDir holds the files while the operation runs.
	TempDir string
}

var _ graphql.Transport = multipartUpload{}

func (multipartUpload) Supports(r *http.Request) bool {
	if r.Method != http.MethodPost {
		return false
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mt == "multipart/form-data"
}

// maxMapEntries bounds the files one request may carry.
const maxMapEntries = 10

func (f multipartUpload) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	tooLarge := fmt.Sprintf("the request exceeds the upload limit of %d bytes", f.MaxUploadSize)
	if r.ContentLength > f.MaxUploadSize {
		writeError(w, http.StatusRequestEntityTooLarge, errs.BadUserInput, tooLarge)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, f.MaxUploadSize)
	defer r.Body.Close()
	fail := func(err error, what string) {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			writeError(w, http.StatusRequestEntityTooLarge, errs.BadUserInput, tooLarge)
			return
		}
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			writeError(w, http.StatusBadRequest, errs.BadUserInput, "the request ended early: "+what+" is truncated")
			return
		}
		writeError(w, http.StatusBadRequest, errs.BadUserInput, "invalid multipart request: "+what)
	}
	mr, err := r.MultipartReader()
	if err != nil {
		fail(err, "not a multipart body")
		return
	}
	part, err := mr.NextPart()
	if err != nil || part.FormName() != "operations" {
		fail(err, `the first part must be "operations"`)
		return
	}
	var params graphql.RawParams
	ops, err := io.ReadAll(io.LimitReader(part, 1<<20))
	if err == nil {
		if msg := textProblem(ops); msg != "" {
			writeError(w, http.StatusBadRequest, errs.BadUserInput, `"operations": `+msg)
			return
		}
		err = json.Unmarshal(ops, &params)
	}
	if err != nil {
		fail(err, `"operations" is not a JSON GraphQL request`)
		return
	}
	if part, err = mr.NextPart(); err != nil || part.FormName() != "map" {
		fail(err, `the second part must be "map"`)
		return
	}
	uploadsMap := map[string][]string{}
	if err := json.NewDecoder(io.LimitReader(part, 1<<20)).Decode(&uploadsMap); err != nil || len(uploadsMap) > maxMapEntries {
		fail(err, fmt.Sprintf(`"map" must be a JSON object of at most %d files to variable paths`, maxMapEntries))
		return
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			fail(err, "a file part")
			return
		}
		key := part.FormName()
		paths, ok := uploadsMap[key]
		if !ok || len(paths) == 0 {
			writeError(w, http.StatusBadRequest, errs.BadUserInput, fmt.Sprintf("file part %q is not in the map", key))
			return
		}
		delete(uploadsMap, key)
		tmp, err := os.CreateTemp(f.TempDir, "mosaic-multipart-*")
		if err != nil {
			writeError(w, http.StatusInternalServerError, errs.Internal, "internal error")
			return
		}
		defer os.Remove(tmp.Name())
		defer tmp.Close()
		size, err := io.Copy(tmp, part)
		if err != nil {
			fail(err, fmt.Sprintf("file %q", key))
			return
		}
		for _, p := range paths {
			up := graphql.Upload{File: io.NewSectionReader(tmp, 0, size), Size: size, Filename: part.FileName(),
				ContentType: part.Header.Get("Content-Type")}
			if gerr := params.AddUpload(up, key, p); gerr != nil {
				writeError(w, http.StatusBadRequest, errs.BadUserInput, gerr.Message)
				return
			}
		}
	}
	for key := range uploadsMap {
		writeError(w, http.StatusBadRequest, errs.BadUserInput, fmt.Sprintf("the map names file %q but the request has no such part", key))
		return
	}
	params.Headers = r.Header
	rc, gerr := exec.CreateOperationContext(r.Context(), &params)
	if gerr != nil {
		writeRequestErrors(r.Context(), w, exec.DispatchError(graphql.WithOperationContext(r.Context(), rc), gerr))
		return
	}
	responses, ctx := exec.DispatchOperation(r.Context(), rc)
	_ = json.NewEncoder(w).Encode(responses(ctx))
}
