package seed

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"path"

	"github.com/mosaichq/mosaic/assets"
	"github.com/mosaichq/mosaic/errs"
)

// DemoTag tags the demo's pictures in the asset library; `/demo/{name}`
// resolves a name among them.
const DemoTag = "demo"

// Uploader is what the demo pictures need of the asset service (which
// satisfies it).
type Uploader interface {
	Upload(ctx context.Context, in assets.UploadInput) (assets.Asset, error)
	List(ctx context.Context, tag, after string, first int) ([]assets.Asset, bool, error)
}

// WithAssets uploads the demo's pictures through the asset service and
// sets the asset fields of the demo content to them.
func WithAssets(u Uploader) Option { return func(o *options) { o.assets = u } }

// Picture is one demo picture: drawn, never downloaded, so the demo needs
// no network and no licence question.
type Picture struct {
	Name string
	W, H int
	Alt  map[string]string
}

// Pictures lists every picture the demo content refers to as /demo/{name}.
var Pictures = []Picture{
	{"hero-winter.jpg", 960, 400, map[string]string{"en": "A snowy street at dusk", "ro": "O stradă înzăpezită la apus"}},
	{"hero-winter-mobile.jpg", 480, 400, map[string]string{"en": "A snowy street at dusk", "ro": "O stradă înzăpezită la apus"}},
	{"hero-winter-sale.jpg", 960, 400, map[string]string{"en": "Winter sale", "ro": "Reduceri de iarnă"}},
	{"lobby.jpg", 960, 540, map[string]string{"en": "The store's lobby", "ro": "Holul magazinului"}},
	{"lobby-kiosk.jpg", 960, 540, map[string]string{"en": "Today's offers", "ro": "Ofertele de azi"}},
	{"lobby-sale.jpg", 960, 540, map[string]string{"en": "Winter sale", "ro": "Reduceri de iarnă"}},
	{"lookbook.jpg", 960, 540, map[string]string{"en": "A snowy street at dusk", "ro": "O stradă înzăpezită la apus"}},
	{"store-map.png", 640, 400, map[string]string{"en": "Store map", "ro": "Harta magazinului"}},
	{"wool-scarf.jpg", 400, 400, map[string]string{"en": "Merino wool scarf", "ro": "Fular din lână merinos"}},
	{"winter-boots.jpg", 400, 400, map[string]string{"en": "Waterproof winter boots", "ro": "Cizme de iarnă impermeabile"}},
	{"thermal-mug.jpg", 400, 400, map[string]string{"en": "Thermal travel mug", "ro": "Cană termică de voiaj"}},
	{"knit-beanie.jpg", 400, 400, map[string]string{"en": "Cable-knit beanie", "ro": "Căciulă tricotată"}},
}

// Draw renders a demo picture: the same bytes for the same name, every
// time (a winter scene: a sky gradient, a moon, hills and snowflakes, in
// colours picked from the name).
func Draw(name string, w, h int) []byte {
	f := fnv.New64a()
	f.Write([]byte(name))
	seed := f.Sum64()
	hue := float64(seed%360) / 360
	top, bottom := hsl(hue, 0.55, 0.25), hsl(math.Mod(hue+0.1, 1), 0.6, 0.7)
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	moonX, moonY, moonR := float64(w)*(0.2+float64(seed>>8%60)/100), float64(h)*0.3, float64(h)*0.12
	phase := float64(seed>>16%628) / 100
	for y := range h {
		t := float64(y) / float64(h-1)
		sky := mix(top, bottom, t)
		for x := range w {
			c := sky
			if dx, dy := float64(x)-moonX, float64(y)-moonY; dx*dx+dy*dy < moonR*moonR {
				c = color.NRGBA{R: 250, G: 245, B: 225, A: 255}
			}
			far := float64(h) * (0.62 + 0.08*math.Sin(float64(x)/float64(w)*7+phase))
			near := float64(h) * (0.78 + 0.06*math.Sin(float64(x)/float64(w)*4.3+phase*2))
			switch {
			case float64(y) > near:
				c = mix(color.NRGBA{R: 245, G: 248, B: 255, A: 255}, color.NRGBA{R: 200, G: 210, B: 230, A: 255}, (float64(y)-near)/float64(h))
			case float64(y) > far:
				c = mix(top, color.NRGBA{R: 30, G: 40, B: 60, A: 255}, 0.5)
			}
			img.SetNRGBA(x, y, c)
		}
	}
	// Snowflakes at positions from a small LCG seeded by the name.
	r := seed | 1
	for range w * h / 900 {
		r = r*6364136223846793005 + 1442695040888963407
		x, y := int(r>>33)%w, int(r>>13)%h
		for dy := -1; dy <= 1; dy++ {
			for dx := -1; dx <= 1; dx++ {
				if (dx == 0 || dy == 0) && image.Pt(x+dx, y+dy).In(img.Rect) {
					img.SetNRGBA(x+dx, y+dy, color.NRGBA{R: 255, G: 255, B: 255, A: 255})
				}
			}
		}
	}
	var b bytes.Buffer
	var err error
	if path.Ext(name) == ".png" {
		err = png.Encode(&b, img)
	} else {
		err = jpeg.Encode(&b, img, &jpeg.Options{Quality: 80})
	}
	if err != nil {
		panic(err) // encoding to memory fails only on a bug
	}
	return b.Bytes()
}

func mix(a, b color.NRGBA, t float64) color.NRGBA {
	t = max(0, min(1, t))
	l := func(x, y uint8) uint8 { return uint8(float64(x) + (float64(y)-float64(x))*t) }
	return color.NRGBA{R: l(a.R, b.R), G: l(a.G, b.G), B: l(a.B, b.B), A: 255}
}

func hsl(h, s, l float64) color.NRGBA {
	q := l + s - l*s
	if l < 0.5 {
		q = l * (1 + s)
	}
	p := 2*l - q
	ch := func(t float64) uint8 {
		t = math.Mod(t+1, 1)
		v := p
		switch {
		case t < 1.0/6:
			v = p + (q-p)*6*t
		case t < 0.5:
			v = q
		case t < 2.0/3:
			v = p + (q-p)*(2.0/3-t)*6
		}
		return uint8(math.Round(v * 255))
	}
	return color.NRGBA{R: ch(h + 1.0/3), G: ch(h), B: ch(h - 1.0/3), A: 255}
}

// uploadPictures uploads every demo picture not already in the library
// (same name, same bytes, tagged demo) and returns name → asset id.
func uploadPictures(ctx context.Context, u Uploader) (map[string]string, error) {
	have := map[string]assets.Asset{}
	list, _, err := u.List(ctx, DemoTag, "", assets.MaxFirst)
	if err != nil {
		return nil, fmt.Errorf("listing the demo pictures: %w", err)
	}
	for _, a := range list {
		if _, dup := have[a.Filename]; !dup {
			have[a.Filename] = a
		}
	}
	out := make(map[string]string, len(Pictures))
	for _, p := range Pictures {
		data := Draw(p.Name, p.W, p.H)
		sum := sha256.Sum256(data)
		if a, ok := have[p.Name]; ok && a.SHA256 == hex.EncodeToString(sum[:]) {
			out[p.Name] = a.ID
			continue
		}
		a, err := u.Upload(ctx, assets.UploadInput{Filename: p.Name, Size: int64(len(data)), Body: bytes.NewReader(data),
			Meta: assets.Meta{Alt: p.Alt, Tags: []string{DemoTag}}, Actor: actor})
		if err != nil {
			return nil, fmt.Errorf("uploading the demo picture %s: %w", p.Name, err)
		}
		out[p.Name] = a.ID
	}
	return out, nil
}

// attachPictures sets the asset field next to each demo picture path in v
// (entry fields, blocks, variants, at any depth): `image` beside a
// hero's or product's imageUrl, `asset` beside a media block's url. The
// paths stay: /demo/{name} resolves too.
func attachPictures(v any, images map[string]string) {
	switch x := v.(type) {
	case map[string]any:
		for field, assetField := range map[string]string{"imageUrl": "image", "url": "asset"} {
			if p, ok := x[field].(string); ok && path.Dir(p) == "/demo" {
				if id := images[path.Base(p)]; id != "" {
					x[assetField] = id
				}
			}
		}
		for _, child := range x {
			attachPictures(child, images)
		}
	case []any:
		for _, child := range x {
			attachPictures(child, images)
		}
	}
}

// FindPicture finds the demo picture name (hero-winter.jpg) in the asset
// library: the newest asset tagged demo with that file name. It is how
// `/demo/{name}`, which demo content refers to, resolves; NOT_FOUND when
// the demo was seeded without an asset service or the picture is gone.
func FindPicture(ctx context.Context, u Uploader, name string) (assets.Asset, error) {
	list, _, err := u.List(ctx, DemoTag, "", assets.MaxFirst)
	if err != nil {
		return assets.Asset{}, err
	}
	for _, a := range list {
		if a.Filename == name {
			return a, nil
		}
	}
	return assets.Asset{}, errs.E(errs.NotFound, "no demo picture %q (mosaic dev --reset-demo uploads them again)", name)
}
