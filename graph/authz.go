package graph

import (
	"context"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/graph/model"
)

// requireActor checks perm and returns who is acting, for the audit trail.
func requireActor(ctx context.Context, perm auth.Permission) (string, error) {
	if err := auth.Require(ctx, perm); err != nil {
		return "", err
	}
	p, _ := auth.FromContext(ctx)
	return p.Subject, nil
}

func draftOut(e content.Entry, err error) (*model.EntryDraft, error) {
	if err != nil {
		return nil, err
	}
	return model.NewEntryDraft(e), nil
}
