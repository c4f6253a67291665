package capcount

import (
	"context"
	"time"

	"github.com/mosaichq/mosaic/errs"
)

// Suppression is one row of the reach lost to caps: a capped variant in
// one block of one entry, how often a cap kept it from someone who would
// have been shown it, and from how many people.
type Suppression struct {
	EntrySlug, BlockID, Variant string
	Campaign, Experiment        string
	// Scope is what the cap was on: variant, campaign or experiment.
	Scope string
	// Suppressed counts records where the cap was reached; Pending those
	// where a replica waited for its last exposure to be counted.
	Suppressed, Pending int
	People              int
}

// ReportStore reads suppressions from decision records (storage/postgres).
type ReportStore interface {
	CapSuppressions(ctx context.Context, from, to time.Time, campaign, experiment string) ([]Suppression, error)
}

// MaxReportRange bounds a capReport's window.
const MaxReportRange = 400 * 24 * time.Hour

// Reports answers capReport.
type Reports struct{ Store ReportStore }

// Suppressions is the reach lost to caps in [from, to), most suppressed
// first; campaign and experiment ("" for any) filter by the capped
// variant's.
func (r *Reports) Suppressions(ctx context.Context, from, to time.Time, campaign, experiment string) ([]Suppression, error) {
	switch {
	case !to.After(from):
		return nil, errs.Invalid("to must be after from", errs.FieldError{Path: "to", Message: "must be after from"})
	case to.Sub(from) > MaxReportRange:
		return nil, errs.Invalid("the range is longer than 400 days", errs.FieldError{Path: "to", Message: "at most 400 days after from"})
	}
	return r.Store.CapSuppressions(ctx, from.UTC(), to.UTC(), campaign, experiment)
}
