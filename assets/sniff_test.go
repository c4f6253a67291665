package assets

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/internal/testimage"
)

func sniffBytes(b []byte) (string, error) {
	return sniff(b[:min(len(b), sniffLen)], bytes.NewReader(b))
}

func TestSniff(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, want, err string
		body            []byte
	}{
		{"jpeg", "image/jpeg", "", testimage.JPEG(8, 8)},
		{"png", "image/png", "", testimage.PNG(8, 8)},
		{"gif", "image/gif", "", testimage.GIF(8, 8)},
		{"webp", "image/webp", "", testimage.WebP(8, 8)},
		{"svg", "image/svg+xml", "", []byte(testimage.SVG)},
		{"svg without prolog", "image/svg+xml", "", []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`)},
		{"pdf", "application/pdf", "", []byte("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n")},
		{"text", "text/plain", "", []byte("name,price\nscarf,12\n")},
		{"elf", "", "ELF executable", append([]byte("\x7fELF\x02\x01\x01"), make([]byte, 64)...)},
		{"exe", "", "Windows executable", append([]byte("MZ\x90\x00"), make([]byte, 64)...)},
		{"script", "", "a script", []byte("#!/bin/sh\nrm -rf /\n")},
		{"mach-o", "", "Mach-O", []byte("\xcf\xfa\xed\xfe\x07\x00\x00\x01")},
		{"wasm", "", "WebAssembly", []byte("\x00asm\x01\x00\x00\x00")},
		{"html", "", "HTML is not accepted", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>")},
		{"zip", "", "application/zip", []byte("PK\x03\x04\x14\x00\x00\x00")},
		{"binary junk", "", "not accepted", []byte{0x00, 0x01, 0x02, 0x03, 0xff, 0xfe}},
		{"xml not svg", "", "not accepted", []byte(`<?xml version="1.0"?><note>hi</note>`)},
	} {
		got, err := sniffBytes(tc.body)
		if tc.err != "" {
			require.Error(t, err, tc.name)
			require.Contains(t, err.Error(), tc.err, tc.name)
			require.Equal(t, errs.BadUserInput, errs.CodeOf(err), tc.name)
			continue
		}
		require.NoError(t, err, tc.name)
		require.Equal(t, tc.want, got, tc.name)
	}
}

func TestSVGActiveContentRefused(t *testing.T) {
	t.Parallel()
	wrap := func(s string) string {
		return `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">` + s + `</svg>`
	}
	for _, tc := range []struct{ name, svg, why string }{
		{"script", wrap(`<script>alert(1)</script>`), "<script>"},
		{"namespaced script", `<svg xmlns="http://www.w3.org/2000/svg" xmlns:s="http://www.w3.org/2000/svg"><s:script>x</s:script></svg>`, "<script>"},
		{"onload", `<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`, "event handler"},
		{"ONCLICK", wrap(`<rect ONCLICK="x()"/>`), "event handler"},
		{"foreignObject", wrap(`<foreignObject><body xmlns="http://www.w3.org/1999/xhtml">x</body></foreignObject>`), "<foreignObject>"},
		{"javascript href", wrap(`<a href="javascript:alert(1)"><text>x</text></a>`), "links to"},
		{"xlink javascript with tab", wrap(`<a xlink:href="java&#9;script:alert(1)"/>`), "links to"},
		{"data html", wrap(`<a href="data:text/html;base64,PHNjcmlwdD4="/>`), "links to"},
		{"animate to handler", wrap(`<set attributeName="onmouseover" to="alert(1)"/>`), "animates"},
		{"animate href", wrap(`<animate attributeName="href" values="javascript:alert(1)"/>`), "animates"},
		{"iframe", wrap(`<iframe src="https://evil"/>`), "<iframe>"},
		{"entity", `<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>`, "entities"},
		{"stylesheet pi", `<?xml version="1.0"?><?xml-stylesheet href="https://evil/x.xsl"?><svg xmlns="http://www.w3.org/2000/svg"/>`, "processing instruction"},
		{"malformed", `<svg xmlns="http://www.w3.org/2000/svg"><rect></svg>`, "not well-formed"},
	} {
		_, err := sniffBytes([]byte(tc.svg))
		require.Error(t, err, tc.name)
		require.Contains(t, err.Error(), tc.why, tc.name)
	}
}

func TestCheckDeclared(t *testing.T) {
	t.Parallel()
	require.NoError(t, checkDeclared("image/jpeg", "a.jpg", "image/jpeg"))
	require.NoError(t, checkDeclared("image/jpg", "a.JPEG", "image/jpeg"), "aliases and any case")
	require.NoError(t, checkDeclared("application/octet-stream", "a", "image/png"), "nothing declared")
	require.NoError(t, checkDeclared("", "notes.csv", "text/plain"))

	err := checkDeclared("image/png", "a.png", "image/jpeg")
	require.ErrorContains(t, err, "declared as image/png but its content is image/jpeg")
	err = checkDeclared("", "invoice.pdf.exe", "application/pdf")
	require.ErrorContains(t, err, "ends in .exe")
	err = checkDeclared("image/jpeg", "photo.png", "image/jpeg")
	require.ErrorContains(t, err, "ends in .png")
	require.Equal(t, "a.png", withExtension("a", "image/png"))
}

func TestCheckFilename(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"hero.jpg", "Fular roșu (2).png", "a", "x.y.z.webp"} {
		require.NoError(t, CheckFilename(ok), ok)
	}
	for _, bad := range []string{"", " ", "../../etc/passwd", "..", "a/b.png", `a\b.png`, "..hidden", ".env",
		"a\x00.png", "a\n.png", "a%2e%2e.png", "x:y.png", strings.Repeat("a", MaxFilenameLength+1), "\xff.png"} {
		err := CheckFilename(bad)
		require.Error(t, err, "%q", bad)
		require.Equal(t, errs.BadUserInput, errs.CodeOf(err), "%q", bad)
	}
}

func FuzzSniff(f *testing.F) {
	for _, seed := range [][]byte{testimage.PNG(4, 4), []byte(testimage.SVG), []byte("<svg onload=x>"), []byte("\x7fELF"), []byte("hello")} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		ct, err := sniffBytes(b)
		if err != nil {
			require.Equal(t, errs.BadUserInput, errs.CodeOf(err))
			return
		}
		_, ok := allowed[ct]
		require.True(t, ok, "sniffed %q is allowed", ct)
		require.Empty(t, executable(b))
	})
}

func FuzzCheckFilename(f *testing.F) {
	for _, s := range []string{"a.png", "../x", "a/b", ".x", "ok name.jpg"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if CheckFilename(name) == nil {
			require.NotContains(t, name, "/")
			require.NotContains(t, name, `\`)
			require.NotContains(t, name, "..")
		}
	})
}
