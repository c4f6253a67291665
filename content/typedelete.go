package content

import (
	"context"
	"slices"
	"strings"

	"github.com/mosaichq/mosaic/errs"
)

// DeleteContentType removes a content type nothing uses any more. It is
// refused with CONFLICT, saying what to do first, while another type allows
// it (in blocks or references: their definitions would name a missing
// type), while entries of it exist, or while blocks of it are held in any
// entry. The store repeats the content checks under the type's lock, so an
// entry created meanwhile cannot be orphaned.
func (s *Service) DeleteContentType(ctx context.Context, key string, expectedVersion int) error {
	types, err := s.typeSet(ctx)
	if err != nil {
		return err
	}
	if _, ok := types[key]; !ok {
		return errs.E(errs.NotFound, "content type %q not found", key)
	}
	var users []string
	for _, t := range types {
		if t.Key == key {
			continue
		}
		for _, f := range t.Fields {
			if slices.Contains(f.AllowedTypes, key) {
				users = append(users, t.Key+"."+f.Key)
			}
		}
	}
	if len(users) > 0 {
		slices.Sort(users)
		return errs.E(errs.Conflict, "content type %q is allowed by %s: remove it from their allowed types first",
			key, strings.Join(users, ", "))
	}
	err = s.store.DeleteContentType(ctx, key, expectedVersion)
	s.Changed(true)
	return err
}
