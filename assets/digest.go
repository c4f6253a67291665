package assets

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/url"
)

// VerifiedDelivery is Delivery with the SHA-256 and size of the bytes its
// URL serves, so that a device can check what it downloaded (screen
// bundles list it). For a rendition that means making it now if it does
// not exist yet — the device is about to ask for it anyway — and hashing
// it once: rendition keys are derived from the original and the plan, so
// a key's bytes never change and its digest is remembered. If the
// rendition cannot be made or read, the original is offered instead: a
// screen should still get something it can check.
func (s *Service) VerifiedDelivery(ctx context.Context, a Asset, device string) (Delivered, string, int64, error) {
	d := s.Delivery(a, device)
	u, err := url.Parse(d.URL)
	if err != nil || u.RawQuery == "" {
		return d, a.SHA256, a.Size, nil
	}
	obj, err := s.Open(ctx, a.ID, u.Query())
	if err != nil {
		return s.original(a), a.SHA256, a.Size, nil
	}
	if sum, ok := s.digests.Get(obj.key); ok {
		return d, sum, obj.Size, nil
	}
	sum, err := digest(ctx, obj)
	if err != nil {
		if ctx.Err() != nil {
			return Delivered{}, "", 0, ctx.Err()
		}
		return s.original(a), a.SHA256, a.Size, nil
	}
	s.digests.Add(obj.key, sum)
	return d, sum, obj.Size, nil
}

// original is the delivery of a's original file.
func (s *Service) original(a Asset) Delivered {
	u, _ := s.URL(a, nil, false)
	return Delivered{URL: u, ContentType: a.ContentType, Width: a.Width, Height: a.Height}
}

func digest(ctx context.Context, obj *Object) (string, error) {
	rc, err := obj.Open(ctx, nil)
	if err != nil {
		return "", err
	}
	defer rc.Close()
	h := sha256.New()
	if _, err := io.Copy(h, rc); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
