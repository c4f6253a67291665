package assets

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/mosaichq/mosaic/assets/rendition"
	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/storage/blob"
)

// Transform is a requested rendition; zero fields take defaults (fit
// contain, the source's format family).
type Transform = rendition.Spec

// Query parameters of a rendition URL.
const (
	qWidth, qHeight, qFit, qFormat, qVersion, qSig = "w", "h", "fit", "fmt", "v", "sig"
)

// URL is where a is delivered, or the rendition t of it (nil: the
// original). Anonymous callers (trusted false) may only ask for presets;
// a trusted caller's other sizes get a signed URL.
func (s *Service) URL(a Asset, t *Transform, trusted bool) (string, error) {
	base := s.cfg.PublicURL + "/assets/" + a.ID + "/" + url.PathEscape(a.Filename)
	if t == nil {
		return base, nil
	}
	spec, err := s.spec(a, *t)
	if err != nil {
		return "", err
	}
	if !trusted && !spec.IsPreset() {
		return "", errs.E(errs.Forbidden, "without a token only device preset widths (%s) without a height are available",
			joinInts(rendition.PresetWidths()))
	}
	name := strings.TrimSuffix(a.Filename, path.Ext(a.Filename)) + spec.Format.Ext()
	return s.cfg.PublicURL + "/assets/" + a.ID + "/" + url.PathEscape(name) + "?" + s.query(a, spec), nil
}

// DeviceURL is the URL of the preset rendition for device (WebP) when a is
// a raster image and the device has a preset; otherwise the original's.
func (s *Service) DeviceURL(a Asset, device string) string { return s.Delivery(a, device).URL }

// Delivered is how a device should fetch an asset.
type Delivered struct {
	URL         string
	ContentType string
	// Width and Height are the pixels URL delivers (0 when unknown).
	Width, Height int
}

// Delivery is DeviceURL with what it points at: for a raster image and a
// device with a preset, the WebP rendition and its size; otherwise the
// original. GIFs stay GIFs: a rendition would keep only the first frame of
// an animation (an explicit transform may still ask for one).
func (s *Service) Delivery(a Asset, device string) Delivered {
	if w, ok := rendition.PresetWidth(device); ok && a.HasRenditions() && a.Width > 0 && a.ContentType != "image/gif" {
		t := Transform{Width: w, Fit: rendition.Contain, Format: rendition.WebP}
		if u, err := s.URL(a, &t, false); err == nil {
			p := rendition.PlanFor(t, a.Width, a.Height)
			return Delivered{URL: u, ContentType: t.Format.ContentType(), Width: p.OutWidth, Height: p.OutHeight}
		}
	}
	u, _ := s.URL(a, nil, false)
	return Delivered{URL: u, ContentType: a.ContentType, Width: a.Width, Height: a.Height}
}

// spec completes and validates t for a.
func (s *Service) spec(a Asset, t Transform) (Transform, error) {
	if !a.HasRenditions() {
		return t, errs.Invalid(fmt.Sprintf("asset %s is %s: only JPEG, PNG, GIF and WebP images have renditions", a.ID, a.ContentType),
			errs.FieldError{Path: "transform", Message: "not a raster image"})
	}
	if t.Fit == "" {
		t.Fit = rendition.Contain
	}
	if t.Format == "" {
		switch a.ContentType {
		case "image/jpeg":
			t.Format = rendition.JPEG
		case "image/webp":
			t.Format = rendition.WebP
		default:
			t.Format = rendition.PNG
		}
	}
	if err := t.Validate(s.cfg.MaxDimension); err != nil {
		return t, errs.Invalid("transform: "+err.Error(), errs.FieldError{Path: "transform", Message: err.Error()})
	}
	return t, nil
}

func (s *Service) query(a Asset, t Transform) string {
	q := url.Values{}
	if t.Width > 0 {
		q.Set(qWidth, strconv.Itoa(t.Width))
	}
	if t.Height > 0 {
		q.Set(qHeight, strconv.Itoa(t.Height))
	}
	if t.Fit == rendition.Cover {
		q.Set(qFit, string(t.Fit))
		// The crop follows the focal point: a new version, a new URL.
		q.Set(qVersion, strconv.Itoa(a.Version))
	}
	q.Set(qFormat, string(t.Format))
	if !t.IsPreset() {
		q.Set(qSig, s.sign(a.ID, t))
	}
	return q.Encode()
}

func (s *Service) sign(id string, t Transform) string {
	m := hmac.New(sha256.New, s.cfg.URLSecret)
	fmt.Fprintf(m, "%s\n%d\n%d\n%s\n%s", id, t.Width, t.Height, t.Fit, t.Format)
	return hex.EncodeToString(m.Sum(nil))[:32]
}

// Object is something /assets/ serves: its description, and a way to read
// all or part of it.
type Object struct {
	Size        int64
	ContentType string
	ETag        string
	ModTime     time.Time
	Filename    string
	key         string // the blob's key
	open        func(ctx context.Context, rng *blob.Range) (io.ReadCloser, error)
}

// Open reads the object, or the part rng selects.
func (o *Object) Open(ctx context.Context, rng *blob.Range) (io.ReadCloser, error) {
	rc, err := o.open(ctx, rng)
	switch {
	case errors.Is(err, blob.ErrNotFound):
		// A row whose bytes are gone is our inconsistency, not the
		// caller's: logged as internal.
		return nil, errs.Wrap(errs.Internal, err, "the stored file is missing")
	case err != nil:
		return nil, storageError(err, "reading the file")
	}
	return rc, nil
}

// Open finds what /assets/{id}/...?query names: the original, or a
// rendition (made now, once, if it is not stored yet).
func (s *Service) Open(ctx context.Context, id string, q url.Values) (*Object, error) {
	a, err := s.deliveryAsset(ctx, id)
	if err != nil {
		return nil, err
	}
	if !q.Has(qWidth) && !q.Has(qHeight) && !q.Has(qFit) && !q.Has(qFormat) {
		key := originalKey(a.SHA256)
		return &Object{key: key, Size: a.Size, ContentType: a.ContentType, ETag: `"` + a.SHA256 + `"`, ModTime: a.CreatedAt,
			Filename: a.Filename, open: func(ctx context.Context, rng *blob.Range) (io.ReadCloser, error) {
				rc, _, err := s.blobs.Get(ctx, key, rng)
				return rc, err
			}}, nil
	}
	t, err := parseTransform(q)
	if err != nil {
		return nil, err
	}
	if t, err = s.spec(a, t); err != nil {
		return nil, err
	}
	if !t.IsPreset() && !hmac.Equal([]byte(q.Get(qSig)), []byte(s.sign(a.ID, t))) {
		return nil, errs.E(errs.Forbidden, "this rendition is not a device preset and its URL is not signed: ask the API for its url")
	}
	fx, fy := 0.5, 0.5
	if a.Focal != nil {
		fx, fy = a.Focal.X, a.Focal.Y
	}
	plan := rendition.PlanFor(t, a.Width, a.Height)
	name := plan.Key(fx, fy)
	key := renditionPrefix(a.SHA256) + name
	info, err := s.ensureRendition(ctx, a, plan, fx, fy, key)
	if err != nil {
		return nil, err
	}
	return &Object{key: key, Size: info.Size, ContentType: plan.Format.ContentType(), ETag: `"` + a.SHA256[:32] + "-" + name + `"`,
		ModTime: info.ModTime, Filename: strings.TrimSuffix(a.Filename, path.Ext(a.Filename)) + plan.Format.Ext(),
		open: func(ctx context.Context, rng *blob.Range) (io.ReadCloser, error) {
			rc, _, err := s.blobs.Get(ctx, key, rng)
			if err != nil {
				s.made.Remove(key) // gone (swept?): make it again next time
			}
			return rc, err
		}}, nil
}

func parseTransform(q url.Values) (Transform, error) {
	var t Transform
	bad := func(param, why string) (Transform, error) {
		return t, errs.Invalid(fmt.Sprintf("query parameter %s %s", param, why), errs.FieldError{Path: param, Message: why})
	}
	var err error
	for _, p := range []struct {
		name string
		into *int
	}{{qWidth, &t.Width}, {qHeight, &t.Height}} {
		if v := q.Get(p.name); v != "" {
			if *p.into, err = strconv.Atoi(v); err != nil {
				return bad(p.name, "must be a whole number of pixels")
			}
		}
	}
	if t.Fit, err = rendition.ParseFit(q.Get(qFit)); err != nil {
		return bad(qFit, err.Error())
	}
	if v := q.Get(qFormat); v != "" {
		if t.Format, err = rendition.ParseFormat(v); err != nil {
			return bad(qFormat, err.Error())
		}
	}
	return t, nil
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ", ")
}
