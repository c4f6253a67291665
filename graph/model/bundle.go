package model

import (
	"time"

	"github.com/mosaichq/mosaic/bundle"
)

// ScreenBundle is a signed screen bundle as GraphQL shows it.
type ScreenBundle struct {
	Version     string
	GeneratedAt time.Time
	ExpiresAt   time.Time
	Signature   string
	KeyID       string
	Frames      any
	Assets      any
	JSON        string
}

// NewScreenBundle wraps a built bundle.
func NewScreenBundle(d *bundle.Document) *ScreenBundle {
	b := d.Bundle
	return &ScreenBundle{Version: b.Version, GeneratedAt: b.GeneratedAt, ExpiresAt: b.ExpiresAt, Signature: b.Signature,
		KeyID: b.KeyID, Frames: b.Frames, Assets: b.Assets, JSON: string(d.JSON)}
}
