package content

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"
)

// Rich text is a ProseMirror/TipTap-style JSON document:
//
//	{"type":"doc","content":[{"type":"paragraph","content":[
//	  {"type":"text","text":"Hello","marks":[{"type":"bold"}]}]}]}
//
// A structured document, rather than HTML, lets every channel render it its
// own way (a kiosk has no DOM) and leaves no markup to sanitise.

var (
	richNodes = map[string]bool{"doc": true, "paragraph": true, "heading": true, "text": true,
		"bulletList": true, "orderedList": true, "listItem": true, "blockquote": true,
		"codeBlock": true, "hardBreak": true, "horizontalRule": true, "image": true}
	richMarks = map[string]bool{"bold": true, "italic": true, "underline": true, "strike": true,
		"code": true, "link": true}
	// richAttrNames lists the attributes each node or mark may carry; any
	// other would reach renderers that spread attrs into markup (onclick,
	// a stray href on a paragraph).
	richAttrNames = map[string][]string{
		"heading": {"level"}, "image": {"src", "alt", "title"}, "codeBlock": {"language"},
		"orderedList": {"start"}, "link": {"href", "title", "target"},
	}
)

const (
	maxRichDepth = 16
	maxRichNodes = 20000
)

// richTextLength validates a rich text document and returns the length of
// its text in characters, which min/max bound.
func richTextLength(v any) (int, error) {
	doc, ok := v.(map[string]any)
	if !ok {
		return 0, errors.New(`must be a document object {"type":"doc","content":[...]}`)
	}
	if doc["type"] != "doc" {
		return 0, errors.New(`the root node must have type "doc"`)
	}
	w := richWalker{}
	if err := w.node(doc, 0); err != nil {
		return 0, err
	}
	return w.chars, nil
}

type richWalker struct {
	chars, nodes int
}

func (w *richWalker) node(n map[string]any, depth int) error {
	if depth > maxRichDepth {
		return fmt.Errorf("nested deeper than %d levels", maxRichDepth)
	}
	if w.nodes++; w.nodes > maxRichNodes {
		return fmt.Errorf("more than %d nodes", maxRichNodes)
	}
	typ, _ := n["type"].(string)
	if !richNodes[typ] || (typ == "doc" && depth > 0) {
		return fmt.Errorf("unknown node type %q", typ)
	}
	for k := range n {
		switch k {
		case "type", "content", "text", "marks", "attrs":
		default:
			return fmt.Errorf("node %q has unknown property %q", typ, k)
		}
	}
	if typ == "text" {
		s, ok := n["text"].(string)
		if !ok {
			return errors.New(`a text node needs a "text" string`)
		}
		w.chars += utf8.RuneCountInString(s)
	} else if _, has := n["text"]; has {
		return fmt.Errorf("node %q cannot carry text", typ)
	}
	if err := richAttrs(typ, n["attrs"]); err != nil {
		return err
	}
	if err := richMarksOK(n["marks"]); err != nil {
		return err
	}
	raw, has := n["content"]
	if !has {
		return nil
	}
	children, ok := raw.([]any)
	if !ok {
		return fmt.Errorf("content of %q must be a list", typ)
	}
	for _, c := range children {
		cm, ok := c.(map[string]any)
		if !ok {
			return fmt.Errorf("children of %q must be nodes", typ)
		}
		if err := w.node(cm, depth+1); err != nil {
			return err
		}
	}
	return nil
}

func richAttrs(typ string, raw any) error {
	if raw == nil {
		return nil
	}
	attrs, ok := raw.(map[string]any)
	if !ok {
		return fmt.Errorf("attrs of %q must be an object", typ)
	}
	if err := knownAttrs(typ, attrs); err != nil {
		return err
	}
	switch typ {
	case "heading":
		lvl, ok := attrs["level"].(float64)
		if !ok || lvl < 1 || lvl > 6 || lvl != float64(int(lvl)) {
			return errors.New("a heading level must be 1 to 6")
		}
	case "image":
		if src, ok := attrs["src"].(string); !ok || !safeURL(src) {
			return errors.New("an image needs a safe src URL (http, https or relative)")
		}
	case "orderedList":
		if start, has := attrs["start"]; has {
			if n, ok := start.(float64); !ok || n != float64(int(n)) {
				return errors.New("an ordered list's start must be an integer")
			}
		}
	}
	return nil
}

// knownAttrs refuses attributes typ does not take, and string attributes
// that are not strings (numbers are checked by the node's own rules).
func knownAttrs(typ string, attrs map[string]any) error {
	allowed := richAttrNames[typ]
	for k, v := range attrs {
		if !slices.Contains(allowed, k) {
			return fmt.Errorf("%q takes no attribute %q", typ, k)
		}
		switch k {
		case "level", "start":
		default:
			if _, ok := v.(string); !ok && v != nil {
				return fmt.Errorf("attribute %q of %q must be a string", k, typ)
			}
		}
	}
	return nil
}

func richMarksOK(raw any) error {
	if raw == nil {
		return nil
	}
	marks, ok := raw.([]any)
	if !ok {
		return errors.New("marks must be a list")
	}
	for _, m := range marks {
		mm, ok := m.(map[string]any)
		if !ok {
			return errors.New("a mark must be an object")
		}
		typ, _ := mm["type"].(string)
		if !richMarks[typ] {
			return fmt.Errorf("unknown mark %q", typ)
		}
		for k := range mm {
			if k != "type" && k != "attrs" {
				return fmt.Errorf("mark %q has unknown property %q", typ, k)
			}
		}
		attrs, ok := mm["attrs"].(map[string]any)
		if !ok && mm["attrs"] != nil {
			return fmt.Errorf("attrs of mark %q must be an object", typ)
		}
		if err := knownAttrs(typ, attrs); err != nil {
			return err
		}
		if typ == "link" {
			href, _ := attrs["href"].(string)
			if !safeURL(href) {
				return errors.New("a link needs a safe href (http, https, mailto, tel or relative)")
			}
		}
	}
	return nil
}

// safeURL refuses javascript:, data: and other schemes a renderer could
// turn into script.
func safeURL(s string) bool {
	if s == "" || strings.ContainsAny(s, "\x00\r\n") {
		return false
	}
	u, err := url.Parse(s)
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "", "http", "https", "mailto", "tel":
		return true
	}
	return false
}
