package measurement

import (
	"context"
	"strings"
	"time"
)

// Reason classes: why a block shows what it shows, as a short enum that
// reports group by (the decision's reason in words stays in the engine).
const (
	// ReasonDefault: no variant matched, the block shows its default.
	ReasonDefault = "default"
	// ReasonSegment: a variant matched on segments (or traits).
	ReasonSegment = "segment"
	// ReasonContext: a variant matched on context alone (device, channel,
	// locale).
	ReasonContext = "context"
	// ReasonCampaign: a live campaign's variant.
	ReasonCampaign = "campaign"
	// ReasonExperiment: the visitor was exposed to an experiment arm
	// (whether the arm has a variant here or serves the default).
	ReasonExperiment = "experiment"
	// ReasonHoldout: a live campaign's variant would have won, but the
	// person is in the campaign's holdout and was shown the default.
	ReasonHoldout = "holdout"
)

// ReasonClass derives a block's reason class from its decision: an
// experiment exposure first (it is what reports count), then a campaign,
// then the default, then segment or context.
func ReasonClass(variant, reason, campaign, experiment string) string {
	switch {
	case experiment != "":
		return ReasonExperiment
	case campaign != "":
		return ReasonCampaign
	case variant == "" || variant == "default":
		return ReasonDefault
	case strings.Contains(reason, "segment"):
		return ReasonSegment
	}
	return ReasonContext
}

// Decision is the record of one delivered entry decided for one visitor:
// what every block showed, and why. Its ID (a UUIDv7, so records sort by
// time) is returned to the client, whose view events name it.
type Decision struct {
	ID        string    `json:"id"`
	Time      time.Time `json:"time"`
	VisitorID string    `json:"visitorId"`
	UserID    string    `json:"userId,omitempty"`
	Channel   string    `json:"channel,omitempty"`
	Device    string    `json:"device,omitempty"`
	Locale    string    `json:"locale,omitempty"`
	// Segments are the visitor's segments after consent (explicit and
	// matched rules). They travel the log for the recommendations'
	// per-segment popularity (measurement/recommend); the store does not
	// keep them.
	Segments []string `json:"segments,omitempty"`
	// Consent is true when every purpose was granted (Purposes lists
	// which were).
	Consent   bool      `json:"consent"`
	Purposes  []Purpose `json:"purposes"`
	EntryID   string    `json:"entryId"`
	EntrySlug string    `json:"entrySlug"`
	// EntryVersion is the published version delivered.
	EntryVersion int             `json:"entryVersion"`
	Blocks       []BlockDecision `json:"blocks"`
}

// BlockDecision is one block's decision; the entry's own decision (its
// entry-level variants) is the block whose id is the entry's.
type BlockDecision struct {
	BlockID string `json:"blockId"`
	// GlobalID is the global block entry the block showed, when it is one:
	// its variants are that entry's, and so are their caps' counts.
	GlobalID   string `json:"globalId,omitempty"`
	Variant    string `json:"variant"`
	Experiment string `json:"experiment,omitempty"`
	Arm        string `json:"arm,omitempty"`
	Campaign   string `json:"campaign,omitempty"`
	// Cohort is set in a block of a campaign with a holdout
	// (personalization.Decision.HoldoutCampaign): CohortHoldout for a
	// held-out person (Campaign names the campaign, Arm is "holdout",
	// Variant "default"), CohortExposed for a person shown it. It is what
	// the person's cohort is pinned from across devices, and what the
	// campaign's rollups split exposed from held-out people by.
	Cohort string `json:"cohort,omitempty"`
	Reason string `json:"reason"`
	// Suppressed are the variants a frequency cap kept from this block
	// (personalization.Decision.Suppressed): what capReport counts.
	Suppressed []Suppressed `json:"suppressed,omitempty"`
}

// Suppressed is one capped variant in a decision record.
type Suppressed struct {
	Variant    string `json:"variant"`
	Campaign   string `json:"campaign,omitempty"`
	Experiment string `json:"experiment,omitempty"`
	// Scope is what the cap was on: variant, campaign or experiment.
	Scope string `json:"scope"`
	// Pending: waiting for this replica's last exposure to be counted,
	// rather than the cap reached.
	Pending bool `json:"pending,omitempty"`
}

// A campaign holdout's cohorts (BlockDecision.Cohort); the same words as
// personalization.HoldoutArm and ExposedArm.
const (
	CohortHoldout = "holdout"
	CohortExposed = "exposed"
)

// HeldOut says the block was decided as the campaign's holdout.
func (b BlockDecision) HeldOut() bool { return b.Cohort == CohortHoldout && b.Campaign != "" }

// CampaignArm is the arm a campaign block counts in for the campaign's
// rollups: the variant shown, or CohortHoldout for a held-out person.
func (b BlockDecision) CampaignArm() string {
	if b.HeldOut() {
		return CohortHoldout
	}
	return b.Variant
}

// Day is the UTC day the record is partitioned by.
func (d Decision) Day() time.Time {
	return Event{Time: d.Time}.Day()
}

// DecisionLog is where decision records go on their way to the store (the
// same durable log as events, measurement/eventlog).
type DecisionLog interface {
	// AppendDecisions returns once the log holds every record, or fails.
	AppendDecisions(ctx context.Context, ds []Decision) error
}

// DecisionStore keeps decision records (storage/postgres).
type DecisionStore interface {
	// WriteDecisions stores ds idempotently by id (and day); written counts
	// the new rows. BAD_USER_INPUT says a record is refused for what it
	// holds; any other error is worth retrying.
	WriteDecisions(ctx context.Context, ds []Decision) (written int, err error)
}
