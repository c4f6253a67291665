package experience

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/personalization"
)

// Segment is a stored audience definition. Rule is a CEL expression (see
// personalization.CompileRule); empty means the segment is explicit only.
type Segment struct {
	Key       string
	Name      string
	Rule      string
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
	UpdatedBy string
}

// Experiment is a stored experiment: arms with relative weights and a
// holdout share. Variants opt in by naming its key and one of its arms.
type Experiment struct {
	Key     string
	Name    string
	Arms    []personalization.Arm
	Holdout float64
	// Status is the lifecycle: DRAFT → RUNNING → STOPPED. Only a running
	// experiment buckets visitors; created RUNNING unless asked for a
	// draft (experiments ran from creation before they had a lifecycle).
	Status Status
	// StartedAt and StoppedAt are when it was started and stopped (nil
	// until then); Winner is the arm named when it was stopped, if any.
	StartedAt, StoppedAt *time.Time
	Winner               string
	// PrimaryMetric and GuardrailMetrics name the metrics (by key) the
	// experiment is judged on; the store refuses unknown keys.
	PrimaryMetric    string
	GuardrailMetrics []string
	// PlannedSampleSize is the units over all arms the test was planned
	// for; nil when not planned.
	PlannedSampleSize *int64
	// Rollout lists the entry versions published when the winner was
	// rolled out as the default (StopExperiment with rollout).
	Rollout []RolloutEntry
	// Cap limits how often one person is exposed (personalization.Cap);
	// nil: no cap.
	Cap       *personalization.Cap
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
	UpdatedBy string
}

// RolloutEntry is one locale of an entry a rollout changed, and the
// version it published.
type RolloutEntry struct {
	EntryID string `json:"entryId"`
	Locale  string `json:"locale"`
	Version int    `json:"version"`
}

// Store is the persistence the service needs; storage/postgres implements
// it. Every write must announce itself on the change feed in the same
// transaction, so other replicas rebuild their engine.
//
// Errors: a missing row is NOT_FOUND; an existing key on create or a stale
// expectedVersion on update is CONFLICT.
type Store interface {
	// Segments and Experiments list every definition, sorted by key.
	Segments(ctx context.Context) ([]Segment, error)
	CreateSegment(ctx context.Context, s Segment) (Segment, error)
	UpdateSegment(ctx context.Context, s Segment, expectedVersion int) (Segment, error)
	DeleteSegment(ctx context.Context, key, actor string) error

	Experiments(ctx context.Context) ([]Experiment, error)
	CreateExperiment(ctx context.Context, x Experiment) (Experiment, error)
	UpdateExperiment(ctx context.Context, x Experiment, expectedVersion int) (Experiment, error)
	DeleteExperiment(ctx context.Context, key, actor string) error
	// MoveExperiment changes key's status from one of from to to, stamping
	// the instant of the new status and winner (when stopping), and
	// announces it; NOT_FOUND when key is missing, CONFLICT (naming the
	// current status) when it is in none of from.
	MoveExperiment(ctx context.Context, key string, from []Status, to Status, winner, actor string) (Experiment, error)
	// SetRollout records the entry versions a rollout published.
	SetRollout(ctx context.Context, key string, rollout []RolloutEntry) (Experiment, error)
	// VariantEntries lists the entry locales whose published version has
	// a variant naming experiment (in a block or the entry's own).
	VariantEntries(ctx context.Context, experiment string) ([]Target, error)
}

// Status is an experiment's place in its lifecycle.
type Status string

// Statuses.
const (
	Draft   Status = "DRAFT"
	Running Status = "RUNNING"
	Stopped Status = "STOPPED"
)

// CampaignSource supplies the campaigns the engine knows: every stored
// campaign (package campaign's EngineSource). With a nil source every
// campaign-owned variant is ineligible and campaign keys are not checked.
type CampaignSource interface {
	Campaigns(ctx context.Context) ([]personalization.Campaign, error)
}

// keyPattern bounds the keys of definitions: they appear in variants,
// reasons and client SDKs, so they stay short and URL-safe.
var keyPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$`)

const maxNameLength = 200

func checkKeyName(key, name, what string) []errs.FieldError {
	var fields []errs.FieldError
	if !keyPattern.MatchString(key) {
		fields = append(fields, errs.FieldError{Path: "key",
			Message: fmt.Sprintf("%s key must be 1-64 letters, digits, _ or -, starting with a letter or digit", what)})
	}
	if len(name) > maxNameLength {
		fields = append(fields, errs.FieldError{Path: "name", Message: fmt.Sprintf("name is longer than %d bytes", maxNameLength)})
	}
	return fields
}

// validateSegment checks a segment before it is saved: a valid key and, when
// there is a rule, one that compiles (errors carry line and column).
func validateSegment(s Segment) error {
	fields := checkKeyName(s.Key, s.Name, "segment")
	if strings.TrimSpace(s.Rule) != "" {
		if _, err := personalization.CompileRule(s.Rule); err != nil {
			e, ok := errs.As(err)
			if !ok {
				return fmt.Errorf("compiling rule of segment %q: %w", s.Key, err)
			}
			fields = append(fields, e.Fields...)
		}
	}
	if len(fields) == 0 {
		return nil
	}
	return errs.Invalid("invalid segment: "+fields[0].Path+": "+fields[0].Message, fields...)
}

// validateExperiment checks an experiment before it is saved.
func validateExperiment(x Experiment) error {
	fields := checkKeyName(x.Key, x.Name, "experiment")
	for i, a := range x.Arms {
		if a.Key != "" && !keyPattern.MatchString(a.Key) {
			fields = append(fields, errs.FieldError{Path: fmt.Sprintf("arms.%d.key", i),
				Message: "arm key must be 1-64 letters, digits, _ or -"})
		}
	}
	if x.PlannedSampleSize != nil && *x.PlannedSampleSize < 1 {
		fields = append(fields, errs.FieldError{Path: "plannedSampleSize", Message: "must be 1 or more (units over all arms), or null"})
	}
	for i, g := range x.GuardrailMetrics {
		if slices.Contains(x.GuardrailMetrics[:i], g) {
			fields = append(fields, errs.FieldError{Path: fmt.Sprintf("guardrailMetrics.%d", i), Message: fmt.Sprintf("metric %q is listed twice", g)})
		}
	}
	if err := x.engineExperiment().Validate(); err != nil {
		e, ok := errs.As(err)
		if !ok {
			return err
		}
		fields = append(fields, e.Fields...)
	}
	if len(fields) == 0 {
		return nil
	}
	return errs.Invalid("invalid experiment: "+fields[0].Path+": "+fields[0].Message, fields...)
}

func (x Experiment) engineExperiment() personalization.Experiment {
	return personalization.Experiment{Key: x.Key, Arms: x.Arms, Holdout: x.Holdout, Stopped: x.Status != Running, Cap: x.Cap}
}

func (x Experiment) hasArm(arm string) bool {
	for _, a := range x.Arms {
		if a.Key == arm {
			return true
		}
	}
	return false
}
