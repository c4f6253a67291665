package graph

import (
	"context"
	"strings"

	"github.com/mosaichq/mosaic/assets"
	"github.com/mosaichq/mosaic/assets/rendition"
	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/graph/model"
)

// assetService is the asset service, or SERVICE_UNAVAILABLE when the
// server runs without asset storage.
func (r *Resolver) assetService() (*assets.Service, error) {
	if r.Assets == nil {
		return nil, errs.E(errs.ServiceUnavailable, "asset storage is not configured on this server")
	}
	return r.Assets, nil
}

// assetWriter checks that the caller may write content and returns the
// asset service with the acting subject: the preamble of every asset
// mutation.
func (r *Resolver) assetWriter(ctx context.Context) (*assets.Service, string, error) {
	actor, err := requireActor(ctx, auth.PermContentWrite)
	if err != nil {
		return nil, "", err
	}
	svc, err := r.assetService()
	return svc, actor, err
}

func assetOut(a assets.Asset, err error) (*model.Asset, error) {
	if err != nil {
		return nil, err
	}
	return model.NewAsset(a), nil
}

// metaIn maps asset metadata input. Alt texts come as altTexts, the name
// and shape Asset.altTexts answers with, or as the older alt; not both.
func metaIn(in *model.AssetInput) (assets.Meta, error) {
	var m assets.Meta
	if in == nil {
		return m, nil
	}
	m.Filename, m.Tags = in.Filename, in.Tags
	alt := in.AltTexts
	switch {
	case alt != nil && in.Alt != nil:
		return m, errs.Invalid("send alt texts once, as altTexts (alt is its deprecated name)",
			errs.FieldError{Path: "input.alt", Message: "use altTexts only"})
	case alt == nil:
		alt = in.Alt
	}
	if alt != nil {
		m.Alt = make(map[string]string, len(alt))
		for _, a := range alt {
			m.Alt[a.Locale] = a.Text
		}
	}
	if in.FocalPoint != nil {
		m.Focal = &assets.FocalPoint{X: in.FocalPoint.X, Y: in.FocalPoint.Y}
	}
	m.ClearFocal = derefBool(in.ClearFocalPoint)
	return m, nil
}

func transformIn(in *model.AssetTransform) *assets.Transform {
	if in == nil {
		return nil
	}
	t := &assets.Transform{Width: derefInt(in.Width, 0), Height: derefInt(in.Height, 0)}
	if in.Fit != nil {
		t.Fit = rendition.Fit(strings.ToLower(string(*in.Fit)))
	}
	if in.Format != nil {
		t.Format = rendition.Format(strings.ToLower(string(*in.Format)))
	}
	return t
}

// assetURL answers Asset.url: a transform (presets only for anonymous
// callers), a device preset, or the original.
func (r *Resolver) assetURL(ctx context.Context, a assets.Asset, transform *model.AssetTransform, device *string) (string, error) {
	svc, err := r.assetService()
	if err != nil {
		return "", err
	}
	_, trusted := auth.FromContext(ctx)
	switch {
	case transform != nil && device != nil:
		return "", errs.Invalid("give transform or device, not both", errs.FieldError{Path: "device", Message: "not with transform"})
	case transform != nil:
		return svc.URL(a, transformIn(transform), trusted)
	case device != nil:
		if _, ok := rendition.PresetWidth(*device); !ok {
			return "", errs.Invalid("unknown device "+*device+": watch, mobile, tablet, desktop, tv or kiosk",
				errs.FieldError{Path: "device", Message: "unknown device"})
		}
		return svc.DeviceURL(a, *device), nil
	}
	return svc.URL(a, nil, trusted)
}

// altChain is the locale chain alt texts are read along.
func (r *Resolver) altChain(locale *string) ([]string, error) {
	if r.Content == nil {
		return []string{deref(locale)}, nil
	}
	l := deref(locale)
	if l == "" {
		l = r.Content.Locales().Default
	}
	return r.Content.Locales().Chain(l)
}
