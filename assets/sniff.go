package assets

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/mosaichq/mosaic/errs"
)

// kind is what Mosaic knows about one allowed content type.
type kind struct {
	exts   []string // allowed file name extensions, canonical first
	image  bool     // shown as an image (alt text matters)
	raster bool     // decodable: dimensions and renditions
}

// allowed lists the content types an asset may have. Anything else —
// executables, archives, HTML, scripts — is refused.
var allowed = map[string]kind{
	"image/jpeg":      {exts: []string{".jpg", ".jpeg", ".jpe"}, image: true, raster: true},
	"image/png":       {exts: []string{".png"}, image: true, raster: true},
	"image/gif":       {exts: []string{".gif"}, image: true, raster: true},
	"image/webp":      {exts: []string{".webp"}, image: true, raster: true},
	"image/svg+xml":   {exts: []string{".svg"}, image: true},
	"video/mp4":       {exts: []string{".mp4", ".m4v"}},
	"video/webm":      {exts: []string{".webm"}},
	"audio/mpeg":      {exts: []string{".mp3"}},
	"application/pdf": {exts: []string{".pdf"}},
	"text/plain":      {exts: []string{".txt", ".csv", ".md"}},
	"font/woff":       {exts: []string{".woff"}},
	"font/woff2":      {exts: []string{".woff2"}},
}

func kindOf(contentType string) kind { return allowed[contentType] }

// aliases map declared types clients commonly send to the canonical one.
var aliases = map[string]string{
	"image/jpg": "image/jpeg", "image/pjpeg": "image/jpeg", "image/x-png": "image/png",
	"audio/mp3": "audio/mpeg", "image/svg": "image/svg+xml", "text/csv": "text/plain", "text/markdown": "text/plain",
	"application/font-woff": "font/woff",
}

// sniffLen is how much of the file sniffing looks at.
const sniffLen = 3072

// executable recognises programs by their magic numbers, whatever they
// are called.
func executable(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("\x7fELF")):
		return "an ELF executable"
	case bytes.HasPrefix(head, []byte("MZ")):
		return "a Windows executable"
	case bytes.HasPrefix(head, []byte("#!")):
		return "a script"
	case bytes.HasPrefix(head, []byte("\x00asm")):
		return "a WebAssembly module"
	case len(head) >= 4 && slices.Contains([]uint32{0xfeedface, 0xfeedfacf, 0xcafebabe, 0xbebafeca},
		binary.BigEndian.Uint32(head)) || len(head) >= 4 && slices.Contains([]uint32{0xfeedface, 0xfeedfacf},
		binary.LittleEndian.Uint32(head)):
		return "a Mach-O executable or Java class"
	}
	return ""
}

// sniff decides the content type from the bytes alone. r reads the whole
// file (for the SVG check).
func sniff(head []byte, r io.Reader) (string, error) {
	if what := executable(head); what != "" {
		return "", fileError("the file is %s: executables are not accepted", what)
	}
	ct, _, _ := mime.ParseMediaType(http.DetectContentType(head))
	switch ct {
	case "text/html":
		return "", fileError("the file is HTML: HTML is not accepted as an asset (it would run scripts on this site)")
	case "text/xml", "text/plain", "application/xml":
		if looksLikeSVG(head) {
			if err := checkSVG(r); err != nil {
				return "", err
			}
			return "image/svg+xml", nil
		}
		if ct == "text/plain" && utf8.Valid(trimIncompleteRune(head)) {
			return "text/plain", nil
		}
		return "", fileError("the file is %s, which is not accepted", ct)
	}
	if _, ok := allowed[ct]; !ok {
		return "", fileError("the file's content is %s, which is not accepted; allowed: %s", ct, allowedList())
	}
	return ct, nil
}

// trimIncompleteRune drops a multi-byte character cut by the sniff window.
func trimIncompleteRune(b []byte) []byte {
	for i := 0; i < 3 && len(b) > 0 && !utf8.Valid(b); i++ {
		b = b[:len(b)-1]
	}
	return b
}

func looksLikeSVG(head []byte) bool {
	s := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n")
	for _, p := range [][]byte{[]byte("<?xml"), []byte("<svg"), []byte("<!DOCTYPE svg"), []byte("<!--")} {
		if bytes.HasPrefix(s, p) {
			return bytes.Contains(head, []byte("<svg"))
		}
	}
	return false
}

func allowedList() string {
	keys := make([]string, 0, len(allowed))
	for k := range allowed {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return strings.Join(keys, ", ")
}

// normaliseDeclared canonicalises a declared content type; "" when the
// client declared nothing useful.
func normaliseDeclared(declared string) string {
	ct, _, err := mime.ParseMediaType(declared)
	if err != nil || ct == "application/octet-stream" || ct == "binary/octet-stream" {
		return ""
	}
	if a, ok := aliases[ct]; ok {
		return a
	}
	return ct
}

// checkDeclared compares what the client said with what the bytes are: the
// declared type and the file name's extension must both agree.
func checkDeclared(declared, filename, sniffed string) error {
	if d := normaliseDeclared(declared); d != "" && d != sniffed {
		return fileError("the file was declared as %s but its content is %s", d, sniffed)
	}
	ext := strings.ToLower(path.Ext(filename))
	if ext != "" && !slices.Contains(allowed[sniffed].exts, ext) {
		return errs.Invalid(fmt.Sprintf("the file name ends in %s but its content is %s (use %s)", ext, sniffed,
			strings.Join(allowed[sniffed].exts, " or ")),
			errs.FieldError{Path: "filename", Message: fmt.Sprintf("extension %s does not match the content (%s)", ext, sniffed)})
	}
	return nil
}

// withExtension gives a name without an extension the content's canonical one.
func withExtension(filename, contentType string) string {
	if path.Ext(filename) == "" {
		return filename + allowed[contentType].exts[0]
	}
	return filename
}

func fileError(format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	return errs.Invalid(msg, errs.FieldError{Path: "file", Message: msg})
}

// MaxFilenameLength bounds file names (bytes).
const MaxFilenameLength = 200

// CheckFilename accepts a plain file name: no directories, no traversal,
// no control characters, not hidden. Names are shown in URLs and download
// dialogs; they never become paths (blobs are keyed by content hash).
func CheckFilename(name string) error {
	bad := func(why string) error {
		return errs.Invalid(fmt.Sprintf("file name %q is not accepted: %s", name, why),
			errs.FieldError{Path: "filename", Message: why})
	}
	switch {
	case strings.TrimSpace(name) == "":
		return bad("it is empty")
	case len(name) > MaxFilenameLength:
		return bad(fmt.Sprintf("it is longer than %d bytes", MaxFilenameLength))
	case !utf8.ValidString(name):
		return bad("it is not UTF-8")
	case strings.ContainsAny(name, `/\`):
		return bad("it must be a plain name, without directories")
	case strings.Contains(name, ".."):
		return bad(`it must not contain ".."`)
	case strings.HasPrefix(name, ".") || strings.HasPrefix(name, " ") || strings.HasSuffix(name, " "):
		return bad("it must not start with a dot or a space, nor end with a space")
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f || r == '"' || r == '?' || r == '#' || r == '%' || r == '*' || r == ':' || r == '<' || r == '>' || r == '|' {
			return bad(`it must not contain control characters or any of " ? # % * : < > |`)
		}
	}
	return nil
}
