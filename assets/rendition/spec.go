package rendition

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Format is an output encoding.
type Format string

const (
	WebP Format = "webp"
	JPEG Format = "jpeg"
	PNG  Format = "png"
)

// Formats lists the allowed output formats.
func Formats() []Format { return []Format{WebP, JPEG, PNG} }

// ContentType is the format's media type.
func (f Format) ContentType() string { return "image/" + string(f) }

// Ext is the format's file name extension.
func (f Format) Ext() string {
	if f == JPEG {
		return ".jpg"
	}
	return "." + string(f)
}

// ParseFormat accepts "webp", "jpeg" (or "jpg") and "png", any case.
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(s) {
	case "webp":
		return WebP, nil
	case "jpeg", "jpg":
		return JPEG, nil
	case "png":
		return PNG, nil
	}
	return "", fmt.Errorf("format %q is not one of webp, jpeg, png", s)
}

// Fit says how an image meets a box of both width and height.
type Fit string

const (
	// Contain scales the whole image to fit inside the box.
	Contain Fit = "contain"
	// Cover fills the box, cropping around the focal point.
	Cover Fit = "cover"
)

// ParseFit accepts "contain" and "cover", any case.
func ParseFit(s string) (Fit, error) {
	switch strings.ToLower(s) {
	case "", "contain":
		return Contain, nil
	case "cover":
		return Cover, nil
	}
	return "", fmt.Errorf("fit %q is not one of contain, cover", s)
}

// Spec is a requested rendition. Width or Height may be 0 (derived from
// the other by the aspect ratio), not both.
type Spec struct {
	Width  int
	Height int
	Fit    Fit
	Format Format
}

// Presets are the device widths: what anonymous callers may ask for.
var presets = []struct {
	Device string
	Width  int
}{{"watch", 320}, {"mobile", 640}, {"tablet", 1280}, {"desktop", 1920}, {"tv", 3840}, {"kiosk", 3840}}

// PresetWidth is the rendition width for a device; ok is false for a
// device without a preset.
func PresetWidth(device string) (int, bool) {
	for _, p := range presets {
		if p.Device == device {
			return p.Width, true
		}
	}
	return 0, false
}

// PresetWidths lists the preset widths, ascending, without repeats.
func PresetWidths() []int {
	var ws []int
	for _, p := range presets {
		if !slices.Contains(ws, p.Width) {
			ws = append(ws, p.Width)
		}
	}
	slices.Sort(ws)
	return ws
}

// IsPreset reports whether s is a preset: a preset width, no height, any
// allowed format. Presets are what anyone may ask for.
func (s Spec) IsPreset() bool {
	return s.Height == 0 && (s.Fit == "" || s.Fit == Contain) && slices.Contains(PresetWidths(), s.Width)
}

// Validate checks s against the bounds: each side at most maxSide, an
// allowed fit and format.
func (s Spec) Validate(maxSide int) error {
	switch {
	case s.Width < 0 || s.Height < 0:
		return fmt.Errorf("width and height must not be negative")
	case s.Width == 0 && s.Height == 0:
		return fmt.Errorf("give a width, a height or both")
	case s.Width > maxSide || s.Height > maxSide:
		return fmt.Errorf("width and height are at most %d pixels", maxSide)
	case s.Fit != Contain && s.Fit != Cover:
		return fmt.Errorf("fit %q is not one of contain, cover", s.Fit)
	case !slices.Contains(Formats(), s.Format):
		return fmt.Errorf("format %q is not one of webp, jpeg, png", s.Format)
	}
	return nil
}

// Plan is a validated spec resolved against a source image: the output
// size, never larger than the source.
type Plan struct {
	Spec
	// OutWidth and OutHeight are the rendition's pixel size.
	OutWidth, OutHeight int
}

// PlanFor resolves s against a srcW×srcH source. Asking for more pixels
// than the source has gives the source's size (never upscaled), so every
// request beyond it maps to one stored rendition.
func PlanFor(s Spec, srcW, srcH int) Plan {
	w, h := s.Width, s.Height
	fw, fh := float64(srcW), float64(srcH)
	switch {
	case h == 0:
		h = int(math.Round(fh * float64(w) / fw))
	case w == 0:
		w = int(math.Round(fw * float64(h) / fh))
	case s.Fit == Contain:
		scale := math.Min(float64(w)/fw, float64(h)/fh)
		w, h = int(math.Round(fw*scale)), int(math.Round(fh*scale))
	}
	// Never upscale: shrink the box until it fits in the source (for
	// cover, the crop's aspect ratio is kept).
	if over := math.Max(float64(w)/fw, float64(h)/fh); over > 1 {
		w, h = int(math.Floor(float64(w)/over)), int(math.Floor(float64(h)/over))
	}
	p := Plan{Spec: s, OutWidth: max(w, 1), OutHeight: max(h, 1)}
	if s.Height == 0 || s.Width == 0 || s.Fit == Contain {
		p.Fit = Contain
	}
	return p
}

// Key names the rendition among its source's renditions; focal matters
// only to cover crops.
func (p Plan) Key(focalX, focalY float64) string {
	k := strconv.Itoa(p.OutWidth) + "x" + strconv.Itoa(p.OutHeight) + "-" + string(p.Fit)
	if p.Fit == Cover {
		k += fmt.Sprintf("-f%03d-%03d", int(math.Round(focalX*1000)), int(math.Round(focalY*1000)))
	}
	return k + p.Format.Ext()
}
