package assets

import (
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"
)

// SVG is XML that browsers may run scripts from. An SVG asset is accepted
// only if it has none of: script elements, event handler attributes
// (on*), foreignObject (arbitrary HTML), embedded documents, javascript:
// or non-image data: links, animations that rewrite links or handlers,
// entity declarations (billion laughs) or stylesheet processing
// instructions. It is served with a sandboxing Content-Security-Policy as
// well, in case a browser finds a way we did not think of.

var svgForbiddenElements = map[string]bool{
	"script": true, "foreignobject": true, "iframe": true, "embed": true, "object": true,
	"handler": true, "listener": true, "frame": true, "frameset": true, "applet": true,
	"meta": true, "base": true, "link": true,
}

// svgMaxTokens bounds the work of checking one file.
const svgMaxTokens = 1_000_000

func svgError(why string) error {
	return fileError("the SVG is not accepted: %s", why)
}

// checkSVG reads a whole SVG document and refuses active content.
func checkSVG(r io.Reader) error {
	d := xml.NewDecoder(r)
	d.Strict = true
	d.Entity = nil
	root := true
	for n := 0; ; n++ {
		if n > svgMaxTokens {
			return svgError("it is too complex")
		}
		tok, err := d.Token() // Token, not RawToken: it checks that tags match
		if errors.Is(err, io.EOF) {
			if root {
				return svgError("it has no <svg> element")
			}
			return nil
		}
		if err != nil {
			return svgError("it is not well-formed XML (" + err.Error() + ")")
		}
		switch t := tok.(type) {
		case xml.Directive:
			if strings.Contains(strings.ToUpper(string(t)), "ENTITY") {
				return svgError("it declares entities")
			}
		case xml.ProcInst:
			if t.Target != "xml" {
				return svgError("it has a <?" + t.Target + "?> processing instruction")
			}
		case xml.StartElement:
			name := strings.ToLower(t.Name.Local)
			if root {
				if name != "svg" {
					return svgError("its root element is <" + t.Name.Local + ">, not <svg>")
				}
				root = false
			}
			if svgForbiddenElements[name] {
				return svgError("it has a <" + t.Name.Local + "> element")
			}
			if err := checkSVGAttrs(name, t.Attr); err != nil {
				return err
			}
		}
	}
}

func checkSVGAttrs(elem string, attrs []xml.Attr) error {
	for _, a := range attrs {
		name := strings.ToLower(a.Name.Local)
		if strings.HasPrefix(name, "on") {
			return svgError("it has an event handler (" + a.Name.Local + ")")
		}
		val := compactLower(a.Value)
		switch {
		case name == "href" || name == "src" || name == "action" || name == "formaction":
			if !safeSVGLink(val) {
				return svgError("it links to " + truncate(a.Value, 40))
			}
		case name == "attributename" && (elem == "set" || elem == "animate" || elem == "animatetransform" || elem == "animatemotion"):
			if strings.HasPrefix(val, "on") || strings.HasSuffix(val, "href") {
				return svgError("it animates " + a.Value)
			}
		case (name == "values" || name == "to" || name == "from" || name == "by") && strings.Contains(val, "javascript:"):
			return svgError("it animates a value to javascript:")
		case name == "style" && (strings.Contains(val, "javascript:") || strings.Contains(val, "expression(")):
			return svgError("its style runs script")
		}
	}
	return nil
}

// safeSVGLink allows fragment links, relative and http(s) URLs, and
// embedded raster images.
func safeSVGLink(v string) bool {
	for _, bad := range []string{"javascript:", "vbscript:", "livescript:"} {
		if strings.HasPrefix(v, bad) {
			return false
		}
	}
	if strings.HasPrefix(v, "data:") {
		for _, ok := range []string{"data:image/png", "data:image/jpeg", "data:image/gif", "data:image/webp"} {
			if strings.HasPrefix(v, ok) {
				return true
			}
		}
		return false
	}
	return true
}

// compactLower removes whitespace and control characters (which browsers
// skip inside "java\tscript:") and lower-cases.
func compactLower(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r > ' ' && r != 0x7f {
			b.WriteRune(r)
		}
	}
	return strings.ToLower(b.String())
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// svgSize reads width and height (or the viewBox) of an SVG's root, in
// pixels; 0, 0 when it does not say.
func svgSize(r io.Reader) (int, int) {
	d := xml.NewDecoder(r)
	d.Strict = false
	for {
		tok, err := d.RawToken()
		if err != nil {
			return 0, 0
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		var w, h int
		var vb string
		for _, a := range se.Attr {
			switch a.Name.Local {
			case "width":
				w = pixels(a.Value)
			case "height":
				h = pixels(a.Value)
			case "viewBox":
				vb = a.Value
			}
		}
		if (w == 0 || h == 0) && vb != "" {
			f := strings.FieldsFunc(vb, func(r rune) bool { return r == ' ' || r == ',' })
			if len(f) == 4 {
				w, h = pixels(f[2]), pixels(f[3])
			}
		}
		return w, h
	}
}

func pixels(v string) int {
	v = strings.TrimSuffix(strings.TrimSpace(v), "px")
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f <= 0 || f > 1e6 {
		return 0
	}
	return int(f + 0.5)
}
