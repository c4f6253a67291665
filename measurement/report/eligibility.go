package report

import (
	"context"
	"time"

	"github.com/mosaichq/mosaic/errs"
)

// MaxEligibilityRange bounds how many days of decision records one
// eligibility report reads: it is the one report that scans raw records.
const MaxEligibilityRange = 31 * 24 * time.Hour

// EligibilityBlock is one block where the experiment exposed someone in
// the range, with the visitors its variants took first.
type EligibilityBlock struct {
	EntryID, BlockID string
	// Exposed is visitor ids exposed to the experiment in this block.
	Exposed int64
	// Taken is visitor ids whose decision in this block was a variant of
	// a higher precedence — a segment, context (device, channel, locale)
	// or campaign variant — and named no experiment: they reached the
	// block but were never in the test. By reason class.
	Taken, BySegment, ByContext, ByCampaign int64
}

// Eligibility is what eligibilityReport answers.
type Eligibility struct {
	Experiment string
	Range      Range
	Blocks     []EligibilityBlock
	// Scanned is the decision records read.
	Scanned    int64
	ComputedAt time.Time
}

// EligibilityStore reads decision records for the eligibility report.
type EligibilityStore interface {
	// Eligibility counts, per block where experiment exposed a visitor
	// between from and to, the visitors exposed and those taken by a
	// higher-precedence variant, and how many records it read.
	Eligibility(ctx context.Context, experiment string, from, to time.Time) ([]EligibilityBlock, int64, error)
}

// Eligibility says how many visitors reached each of the experiment's
// blocks but were taken by a higher-precedence variant (a vip or mobile
// variant silently removes those visitors from the test). It reads raw
// decision records (their blocks' reason classes), so the range is
// required and at most MaxEligibilityRange.
//
// What is counted: visitor ids (not people: records carry the visitor id)
// with a record in [from, to) on a block where the experiment exposed at
// least one visitor in that range. A visitor held out, anonymous, or
// served the default is not "taken"; one bucketed in another record is
// counted on both sides.
func (s *Service) Eligibility(ctx context.Context, experiment string, r Range) (Eligibility, error) {
	var fields []errs.FieldError
	switch {
	case r.From.IsZero() || r.To.IsZero():
		fields = append(fields, errs.FieldError{Path: "from", Message: "from and to are both required: this report scans decision records"})
	case !r.To.After(r.From):
		fields = append(fields, errs.FieldError{Path: "to", Message: "must be after from"})
	case r.To.Sub(r.From) > MaxEligibilityRange:
		fields = append(fields, errs.FieldError{Path: "to", Message: "the range is at most 31 days"})
	}
	if len(fields) > 0 {
		return Eligibility{}, errs.Invalid("invalid range", fields...)
	}
	if _, err := s.Experiments(ctx, experiment); err != nil {
		return Eligibility{}, err
	}
	st, ok := s.Store.(EligibilityStore)
	if !ok {
		return Eligibility{}, errs.E(errs.ServiceUnavailable, "this store cannot read decision records")
	}
	blocks, scanned, err := st.Eligibility(ctx, experiment, r.From.UTC(), r.To.UTC())
	if err != nil {
		return Eligibility{}, err
	}
	return Eligibility{Experiment: experiment, Range: r, Blocks: blocks, Scanned: scanned, ComputedAt: s.now()}, nil
}
