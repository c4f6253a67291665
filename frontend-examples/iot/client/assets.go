package client

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// assetLoop downloads the manifests of accepted bundles, one at a time,
// off the poll loop, so a slow image never delays a schedule.
func (c *Client) assetLoop(ctx context.Context) {
	done := map[string]bool{} // id|sha256|url already downloaded
	for {
		select {
		case <-ctx.Done():
			return
		case b := <-c.assetCh:
			for _, a := range b.Assets {
				k := a.ID + "|" + a.SHA256 + "|" + a.URL
				if done[k] || ctx.Err() != nil {
					continue
				}
				path, err := c.downloadAsset(ctx, a)
				if err != nil {
					c.log.Warn("downloading an asset failed; the next bundle tries again", "asset", a.ID, "error", err)
					continue
				}
				done[k] = true
				c.log.Debug("asset ready", "asset", a.ID, "path", path)
			}
		}
	}
}

// AssetPath is where an asset is kept in the state dir.
func (c *Client) AssetPath(a Asset) string {
	return filepath.Join(c.cfg.StateDir, assetsDir, safeName(a.ID)+safeExt(a.Filename))
}

// downloadAsset fetches one asset, at most AssetMaxBytes, and checks it
// against the manifest. A checksum mismatch is logged, not refused: the
// server has listed the original's digest for renditions, and a display
// showing a slightly different image beats one showing none.
func (c *Client) downloadAsset(ctx context.Context, a Asset) (string, error) {
	path := c.AssetPath(a)
	if a.SHA256 != "" && fileSum(path) == strings.ToLower(a.SHA256) {
		return path, nil // kept from an earlier run
	}
	if a.Size > c.cfg.AssetMaxBytes {
		return "", fmt.Errorf("the manifest says %d bytes, over the limit of %d", a.Size, c.cfg.AssetMaxBytes)
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	resp, err := c.do(ctx, http.MethodGet, a.URL, nil, nil)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", httpError(resp)
	}
	if resp.ContentLength > c.cfg.AssetMaxBytes {
		return "", fmt.Errorf("%d bytes, over the limit of %d", resp.ContentLength, c.cfg.AssetMaxBytes)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".download-*")
	if err != nil {
		return "", err
	}
	defer os.Remove(f.Name()) // no-op after the rename
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(resp.Body, c.cfg.AssetMaxBytes+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	switch {
	case err != nil:
		return "", err
	case n > c.cfg.AssetMaxBytes:
		return "", fmt.Errorf("over the limit of %d bytes", c.cfg.AssetMaxBytes)
	}
	if sum := hexSum(h); a.SHA256 != "" && sum != strings.ToLower(a.SHA256) {
		c.log.Warn("an asset's checksum differs from the manifest; keeping it", "asset", a.ID,
			"manifest", a.SHA256, "downloaded", sum, "url", a.URL)
	}
	if a.Size > 0 && n != a.Size {
		c.log.Warn("an asset's size differs from the manifest; keeping it", "asset", a.ID, "manifest", a.Size, "downloaded", n)
	}
	return path, os.Rename(f.Name(), path)
}

func hexSum(h hash.Hash) string { return hex.EncodeToString(h.Sum(nil)) }

func fileSum(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	return hexSum(h)
}

// safeName keeps letters, digits, '-' and '_': ids come from the server,
// and must not become paths.
func safeName(s string) string {
	out := []byte{}
	for i := 0; i < len(s) && len(out) < 100; i++ {
		switch ch := s[i]; {
		case ch >= 'a' && ch <= 'z', ch >= 'A' && ch <= 'Z', ch >= '0' && ch <= '9', ch == '-', ch == '_':
			out = append(out, ch)
		default:
			out = append(out, '_')
		}
	}
	if len(out) == 0 {
		return "_"
	}
	return string(out)
}

func safeExt(filename string) string {
	ext := filepath.Ext(filename)
	if len(ext) < 2 || len(ext) > 10 {
		return ""
	}
	return "." + safeName(ext[1:])
}
