package assets

import (
	"context"
	"time"
)

// Asset is one stored file and what editors say about it.
type Asset struct {
	ID          string
	SHA256      string
	Filename    string
	ContentType string
	Size        int64
	// Width and Height are the image's pixel dimensions; 0 when unknown
	// (not an image, or an SVG without a size).
	Width  int
	Height int
	// Alt is the alternative text per locale.
	Alt map[string]string
	// Focal is where a cover crop centres; nil: the middle.
	Focal     *FocalPoint
	Tags      []string
	Version   int
	CreatedAt time.Time
	CreatedBy string
	UpdatedAt time.Time
	UpdatedBy string
}

// FocalPoint is a point of the image as fractions of its width and height
// from the top-left corner, each in [0, 1].
type FocalPoint struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

// IsImage reports whether the asset is an image (raster or SVG).
func (a Asset) IsImage() bool { return kindOf(a.ContentType).image }

// HasRenditions reports whether renditions can be made of the asset.
func (a Asset) HasRenditions() bool { return kindOf(a.ContentType).raster }

// Meta is what editors set on an asset. On update, nil fields are left as
// they are; an empty Alt text removes that locale.
type Meta struct {
	Filename *string
	Alt      map[string]string
	Focal    *FocalPoint
	// ClearFocal removes the focal point.
	ClearFocal bool
	Tags       []string
}

// PendingUpload is a direct upload between CreateUpload and FinalizeUpload.
type PendingUpload struct {
	ID          string
	Filename    string
	ContentType string
	Size        int64
	// SHA256 is the digest the client promised, or "".
	SHA256    string
	CreatedBy string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// Store keeps asset metadata. storage/postgres implements it.
type Store interface {
	// CreateAsset inserts a, holding the blob lock of a.SHA256 (see
	// WithBlobLock) so the blob cannot be swept while the row appears.
	CreateAsset(ctx context.Context, a Asset) (Asset, error)
	// Asset returns one asset or an errs NOT_FOUND.
	Asset(ctx context.Context, id string) (Asset, error)
	// AssetsByIDs returns the assets that exist among ids.
	AssetsByIDs(ctx context.Context, ids []string) (map[string]Asset, error)
	// ListAssets returns assets newest first, after the cursor (an id, ""
	// for the first page), optionally only those with tag.
	ListAssets(ctx context.Context, tag, after string, limit int) ([]Asset, error)
	// UpdateAsset saves a's metadata if the stored version is
	// expectedVersion (CONFLICT otherwise), bumping the version.
	UpdateAsset(ctx context.Context, a Asset, expectedVersion int) (Asset, error)

	CreateUpload(ctx context.Context, u PendingUpload) error
	// Upload returns a pending direct upload or NOT_FOUND.
	Upload(ctx context.Context, id string) (PendingUpload, error)
	DeleteUpload(ctx context.Context, id string) error
	// ExpiredUploads lists uploads that expired before t.
	ExpiredUploads(ctx context.Context, t time.Time, limit int) ([]PendingUpload, error)
	// UploadExists reports whether a pending upload with id exists.
	UploadExists(ctx context.Context, id string) (bool, error)

	// WithBlobLock runs fn while holding a lock on the blob sha256 that
	// CreateAsset also takes; referenced says whether an asset uses it.
	WithBlobLock(ctx context.Context, sha256 string, fn func(referenced bool) error) error
}
