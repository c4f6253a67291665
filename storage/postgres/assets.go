package postgres

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/mosaichq/mosaic/assets"
	"github.com/mosaichq/mosaic/errs"
)

const (
	assetColumns = `id, sha256, filename, content_type, size, width, height, alt, focal_x, focal_y, tags,
		version, created_at, created_by, updated_at, updated_by`
	// The blob lock: CreateAsset and the sweeper's discard serialise on it,
	// so a blob is never deleted while a row that uses it appears.
	sqlBlobLock     = `SELECT pg_advisory_xact_lock(hashtextextended('mosaic.blob:' || $1, 0))`
	sqlBlobUsed     = `SELECT EXISTS (SELECT 1 FROM assets WHERE sha256 = $1)`
	sqlInsertAsset  = `INSERT INTO assets (` + assetColumns + `) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING ` + assetColumns
	sqlAsset        = `SELECT ` + assetColumns + ` FROM assets WHERE id = $1`
	sqlAssetsByIDs  = `SELECT ` + assetColumns + ` FROM assets WHERE id = ANY($1::uuid[])`
	sqlListAssets   = `SELECT ` + assetColumns + ` FROM assets WHERE ($1 = '' OR tags @> ARRAY[$1]) AND ($2 = '' OR (created_at, id) < (SELECT created_at, id FROM assets WHERE id = NULLIF($2, '')::uuid)) ORDER BY created_at DESC, id DESC LIMIT $3`
	sqlUpdateAsset  = `UPDATE assets SET filename = $2, alt = $3, focal_x = $4, focal_y = $5, tags = $6, updated_by = $7, updated_at = now(), version = version + 1 WHERE id = $1 AND version = $8 RETURNING ` + assetColumns
	sqlInsertUpload = `INSERT INTO asset_uploads (id, filename, content_type, size, sha256, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`
	uploadColumns   = `id, filename, content_type, size, sha256, created_by, created_at, expires_at`
	sqlUpload       = `SELECT ` + uploadColumns + ` FROM asset_uploads WHERE id = $1`
	sqlUploadExists = `SELECT EXISTS (SELECT 1 FROM asset_uploads WHERE id::text = $1)`
	sqlDeleteUpload = `DELETE FROM asset_uploads WHERE id = $1`
	sqlExpired      = `SELECT ` + uploadColumns + ` FROM asset_uploads WHERE expires_at < $1 ORDER BY expires_at LIMIT $2`
)

// AssetStore implements assets.Store.
type AssetStore struct{ s *Store }

var _ assets.Store = (*AssetStore)(nil)

// Assets returns the store of asset metadata.
func (s *Store) Assets() *AssetStore { return &AssetStore{s: s} }

func scanAsset(row pgx.Row) (assets.Asset, error) {
	var a assets.Asset
	var alt []byte
	var fx, fy *float64
	err := row.Scan(&a.ID, &a.SHA256, &a.Filename, &a.ContentType, &a.Size, &a.Width, &a.Height, &alt, &fx, &fy, &a.Tags,
		&a.Version, &a.CreatedAt, &a.CreatedBy, &a.UpdatedAt, &a.UpdatedBy)
	if err != nil {
		return a, err
	}
	if err := json.Unmarshal(alt, &a.Alt); err != nil {
		return a, err
	}
	if fx != nil && fy != nil {
		a.Focal = &assets.FocalPoint{X: *fx, Y: *fy}
	}
	return a, nil
}

func focal(a assets.Asset) (x, y *float64) {
	if a.Focal == nil {
		return nil, nil
	}
	return &a.Focal.X, &a.Focal.Y
}

func altJSON(a assets.Asset) []byte {
	if a.Alt == nil {
		return []byte("{}")
	}
	b, _ := json.Marshal(a.Alt)
	return b
}

// CreateAsset implements assets.Store.
func (st *AssetStore) CreateAsset(ctx context.Context, a assets.Asset) (out assets.Asset, err error) {
	fx, fy := focal(a)
	err = st.s.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, sqlBlobLock, a.SHA256); err != nil {
			return err
		}
		out, err = scanAsset(tx.QueryRow(ctx, sqlInsertAsset, a.ID, a.SHA256, a.Filename, a.ContentType, a.Size, a.Width, a.Height,
			altJSON(a), fx, fy, a.Tags, a.Version, a.CreatedAt, a.CreatedBy, a.UpdatedAt, a.UpdatedBy))
		return err
	})
	return out, mapError(err, "asset")
}

// Asset implements assets.Store.
func (st *AssetStore) Asset(ctx context.Context, id string) (assets.Asset, error) {
	a, err := scanAsset(st.s.pool.QueryRow(ctx, sqlAsset, id))
	return a, mapError(err, "asset "+id)
}

// AssetsByIDs implements assets.Store.
func (st *AssetStore) AssetsByIDs(ctx context.Context, ids []string) (map[string]assets.Asset, error) {
	rows, err := st.s.pool.Query(ctx, sqlAssetsByIDs, ids)
	if err != nil {
		return nil, mapError(err, "assets")
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (assets.Asset, error) { return scanAsset(r) })
	if err != nil {
		return nil, mapError(err, "assets")
	}
	out := make(map[string]assets.Asset, len(list))
	for _, a := range list {
		out[a.ID] = a
	}
	return out, nil
}

// ListAssets implements assets.Store.
func (st *AssetStore) ListAssets(ctx context.Context, tag, after string, limit int) ([]assets.Asset, error) {
	rows, err := st.s.pool.Query(ctx, sqlListAssets, tag, after, limit)
	if err != nil {
		return nil, mapError(err, "assets")
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (assets.Asset, error) { return scanAsset(r) })
	return list, mapError(err, "assets")
}

// UpdateAsset implements assets.Store.
func (st *AssetStore) UpdateAsset(ctx context.Context, a assets.Asset, expectedVersion int) (assets.Asset, error) {
	fx, fy := focal(a)
	out, err := scanAsset(st.s.pool.QueryRow(ctx, sqlUpdateAsset, a.ID, a.Filename, altJSON(a), fx, fy, a.Tags, a.UpdatedBy, expectedVersion))
	if err == pgx.ErrNoRows {
		return out, conflictOrMissing(ctx, st, a.ID, expectedVersion)
	}
	return out, mapError(err, "asset "+a.ID)
}

func conflictOrMissing(ctx context.Context, st *AssetStore, id string, expected int) error {
	cur, err := st.Asset(ctx, id)
	if err != nil {
		return err
	}
	return staleAsset(id, cur.Version, expected)
}

// CreateUpload implements assets.Store.
func (st *AssetStore) CreateUpload(ctx context.Context, u assets.PendingUpload) error {
	_, err := st.s.pool.Exec(ctx, sqlInsertUpload, u.ID, u.Filename, u.ContentType, u.Size, u.SHA256, u.CreatedBy, u.CreatedAt, u.ExpiresAt)
	return mapError(err, "upload")
}

func scanUpload(row pgx.Row) (assets.PendingUpload, error) {
	var u assets.PendingUpload
	err := row.Scan(&u.ID, &u.Filename, &u.ContentType, &u.Size, &u.SHA256, &u.CreatedBy, &u.CreatedAt, &u.ExpiresAt)
	return u, err
}

// Upload implements assets.Store.
func (st *AssetStore) Upload(ctx context.Context, id string) (assets.PendingUpload, error) {
	u, err := scanUpload(st.s.pool.QueryRow(ctx, sqlUpload, id))
	return u, mapError(err, "upload "+id)
}

// UploadExists implements assets.Store.
func (st *AssetStore) UploadExists(ctx context.Context, id string) (bool, error) {
	var ok bool
	err := st.s.pool.QueryRow(ctx, sqlUploadExists, id).Scan(&ok)
	return ok, mapError(err, "upload "+id)
}

// DeleteUpload implements assets.Store.
func (st *AssetStore) DeleteUpload(ctx context.Context, id string) error {
	_, err := st.s.pool.Exec(ctx, sqlDeleteUpload, id)
	return mapError(err, "upload "+id)
}

// ExpiredUploads implements assets.Store.
func (st *AssetStore) ExpiredUploads(ctx context.Context, t time.Time, limit int) ([]assets.PendingUpload, error) {
	rows, err := st.s.pool.Query(ctx, sqlExpired, t, limit)
	if err != nil {
		return nil, mapError(err, "uploads")
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (assets.PendingUpload, error) { return scanUpload(r) })
	return list, mapError(err, "uploads")
}

// WithBlobLock implements assets.Store.
func (st *AssetStore) WithBlobLock(ctx context.Context, sha string, fn func(referenced bool) error) error {
	return st.s.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, sqlBlobLock, sha); err != nil {
			return err
		}
		var used bool
		if err := tx.QueryRow(ctx, sqlBlobUsed, sha).Scan(&used); err != nil {
			return err
		}
		return fn(used)
	})
}

func staleAsset(id string, cur, expected int) error {
	return errs.E(errs.Conflict, "asset %s is at version %d, not %d: reload and reapply your change", id, cur, expected)
}
