package model

import (
	"slices"
	"time"

	"github.com/mosaichq/mosaic/assets"
)

// Asset is a delivered asset; alt texts and URLs are resolved from A.
type Asset struct {
	ID          string
	Filename    string
	ContentType string
	Size        int
	Sha256      string
	Width       *int
	Height      *int
	FocalPoint  *FocalPoint
	Tags        []string
	Version     int
	CreatedAt   time.Time
	UpdatedAt   time.Time

	A assets.Asset
}

// NewAsset wraps a domain asset.
func NewAsset(a assets.Asset) *Asset {
	out := &Asset{ID: a.ID, Filename: a.Filename, ContentType: a.ContentType, Size: int(a.Size), Sha256: a.SHA256,
		Tags: a.Tags, Version: a.Version, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt, A: a}
	if out.Tags == nil {
		out.Tags = []string{}
	}
	if a.Width > 0 && a.Height > 0 {
		w, h := a.Width, a.Height
		out.Width, out.Height = &w, &h
	}
	if a.Focal != nil {
		out.FocalPoint = &FocalPoint{X: a.Focal.X, Y: a.Focal.Y}
	}
	return out
}

// AltTexts lists the alt texts by locale, sorted.
func (a *Asset) AltTexts() []*AltText {
	out := make([]*AltText, 0, len(a.A.Alt))
	for l, t := range a.A.Alt {
		out = append(out, &AltText{Locale: l, Text: t})
	}
	slices.SortFunc(out, func(x, y *AltText) int {
		if x.Locale < y.Locale {
			return -1
		}
		if x.Locale > y.Locale {
			return 1
		}
		return 0
	})
	return out
}
