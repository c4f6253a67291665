package graph

import (
	"context"
	"fmt"
	"net/http"

	"github.com/99designs/gqlgen/graphql"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/delivery"
	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/experience"
	"github.com/mosaichq/mosaic/graph/model"
	"github.com/mosaichq/mosaic/measurement/profile"
	"github.com/mosaichq/mosaic/personalization"
)

// visitor is the request's visitor for a delivery field's
// ExperienceContext (nil when delivery is not personalized: every block
// shows its default). delivery.Request applies the rules and computes
// segments once per request and context.
func (r *Resolver) visitor(ctx context.Context, in *model.ExperienceContext, locale string) (*experience.Visitor, error) {
	var h http.Header
	fromAgent := graphql.HasOperationContext(ctx)
	if fromAgent {
		h = graphql.GetOperationContext(ctx).Headers
	}
	input, err := deliveryInput(in, locale, h, fromAgent)
	if err != nil {
		return nil, err
	}
	return r.request(ctx).Visitor(ctx, input)
}

// secGPC is the Sec-GPC header's name as net/http keeps it: Get of any
// other spelling canonicalizes it anew, an allocation per request.
const secGPC = "Sec-Gpc"

// deliveryInput maps a delivery field's ExperienceContext (nil: none) and
// the request's headers (nil: none; User-Agent, Sec-GPC) to what delivery
// decides on; locale is the one content is read in.
func deliveryInput(in *model.ExperienceContext, locale string, h http.Header, fromAgent bool) (delivery.Input, error) {
	if in == nil {
		in = &model.ExperienceContext{}
	}
	out := delivery.Input{VisitorID: deref(in.VisitorID), Segments: in.Segments, Device: deref(in.Device),
		Channel: deref(in.Channel), Locale: locale, Consent: in.Consent, Purposes: in.Purposes, TCF: in.Tcf, At: in.At,
		Preview: in.Preview != nil && *in.Preview, UserAgent: h.Get("User-Agent"), FromAgent: fromAgent,
		GPC: h.Get(secGPC) == "1"}
	if in.Traits != nil {
		traits, err := model.JSONObject(in.Traits)
		if err != nil {
			return out, errs.Invalid("context.traits "+err.Error(), errs.FieldError{Path: "context.traits", Message: err.Error()})
		}
		out.Traits = traits
	}
	if in.Profile != nil {
		sim, err := simulationIn(in.Profile)
		if err != nil {
			return out, err
		}
		out.Simulated = sim
	}
	return out, nil
}

// simulationIn maps ExperienceContext.profile; measurement/profile checks
// it (Simulation.Profile) once the instant is known.
func simulationIn(in *model.SimulatedProfile) (*profile.Simulation, error) {
	out := &profile.Simulation{Devices: in.Devices, Channels: in.Channels, FirstSeen: in.FirstSeen}
	if in.Visitors != nil {
		out.Visitors = *in.Visitors
	}
	object := func(v any, path string) (map[string]any, error) {
		if v == nil {
			return nil, nil
		}
		m, err := model.JSONObject(v)
		if err != nil {
			return nil, errs.Invalid(path+" "+err.Error(), errs.FieldError{Path: path, Message: err.Error()})
		}
		return m, nil
	}
	var err error
	if out.Traits, err = object(in.Traits, "context.profile.traits"); err != nil {
		return nil, err
	}
	for i, e := range in.Events {
		se := profile.SimulatedEvent{Name: e.Name, At: e.At, Ago: deref(e.Ago), Value: e.Value}
		if se.Properties, err = object(e.Properties, fmt.Sprintf("context.profile.events.%d.properties", i)); err != nil {
			return nil, err
		}
		out.Events = append(out.Events, se)
	}
	for _, x := range in.Exposures {
		out.Exposures = append(out.Exposures, profile.SimulatedExposure{Block: deref(x.Block), Variant: deref(x.Variant),
			Campaign: deref(x.Campaign), Experiment: deref(x.Experiment), Channel: deref(x.Channel), At: x.At, Ago: deref(x.Ago)})
	}
	return out, nil
}

// previewOf says whether a delivery field reads the latest drafts
// (context.preview: true, preview-capable callers only).
func (r *Resolver) previewOf(ctx context.Context, in *model.ExperienceContext) (bool, error) {
	return r.request(ctx).Drafts(ctx, in != nil && in.Preview != nil && *in.Preview)
}

func segmentOut(s experience.Segment) *model.Segment {
	return &model.Segment{Key: s.Key, Name: s.Name, Rule: optString(s.Rule), Version: s.Version,
		CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt, UpdatedBy: s.UpdatedBy}
}

func segmentIn(in model.SegmentInput) experience.Segment {
	return experience.Segment{Key: in.Key, Name: in.Name, Rule: deref(in.Rule)}
}

func experimentOut(x experience.Experiment) *model.Experiment {
	out := &model.Experiment{Key: x.Key, Name: x.Name, Holdout: x.Holdout, Coverage: 1 - x.Holdout, Version: x.Version,
		CreatedAt: x.CreatedAt, UpdatedAt: x.UpdatedAt, UpdatedBy: x.UpdatedBy, Arms: []*model.Arm{},
		Status: model.ExperimentStatus(x.Status), StartedAt: x.StartedAt, StoppedAt: x.StoppedAt, Winner: optString(x.Winner),
		Cap: capOut(x.Cap)}
	for _, a := range x.Arms {
		out.Arms = append(out.Arms, &model.Arm{Key: a.Key, Weight: a.Weight})
	}
	out.PrimaryMetric, out.GuardrailMetrics, out.Rollout = optString(x.PrimaryMetric), x.GuardrailMetrics, []*model.RolloutEntry{}
	if out.GuardrailMetrics == nil {
		out.GuardrailMetrics = []string{}
	}
	if p := x.PlannedSampleSize; p != nil {
		n := int(*p)
		out.PlannedSampleSize = &n
	}
	for _, e := range x.Rollout {
		out.Rollout = append(out.Rollout, &model.RolloutEntry{EntryID: e.EntryID, Locale: e.Locale, Version: e.Version})
	}
	return out
}

func experimentIn(in model.ExperimentInput) experience.Experiment {
	x := experience.Experiment{Key: in.Key, Name: in.Name, Cap: capIn(in.Cap)}
	if derefBool(in.Draft) {
		x.Status = experience.Draft
	}
	if in.Holdout != nil {
		x.Holdout = *in.Holdout
	}
	for _, a := range in.Arms {
		x.Arms = append(x.Arms, personalization.Arm{Key: a.Key, Weight: a.Weight})
	}
	x.PrimaryMetric, x.GuardrailMetrics = deref(in.PrimaryMetric), in.GuardrailMetrics
	if p := in.PlannedSampleSize; p != nil {
		n := int64(*p)
		x.PlannedSampleSize = &n
	}
	return x
}

func variantIn(in model.VariantInput) (personalization.Variant, error) {
	v := personalization.Variant{Key: in.Key, Campaign: deref(in.Campaign), Experiment: deref(in.Experiment),
		Arm: deref(in.Arm), Priority: derefInt(in.Priority, 0), Cap: capIn(in.Cap),
		Targeting: personalization.Targeting{Segments: in.Segments, Devices: in.Devices, Channels: in.Channels, Locales: in.Locales}}
	if in.Fields != nil {
		f, err := fieldsIn(in.Fields, "input.fields")
		if err != nil {
			return v, err
		}
		v.Fields = f
	}
	return v, nil
}

func target(entryID string, locale, blockID *string) experience.Target {
	return experience.Target{EntryID: entryID, Locale: deref(locale), BlockID: deref(blockID)}
}

func explanationOut(entryID string, x experience.Explanation) *model.DecisionExplanation {
	out := &model.DecisionExplanation{EntryID: entryID, BlockID: optString(x.BlockID), Segments: x.Segments,
		Decision: model.NewDecision(x.Decision)}
	if out.Segments == nil {
		out.Segments = []string{}
	}
	for _, e := range x.Variants {
		out.Variants = append(out.Variants, &model.VariantExplanation{Variant: e.Variant, Matched: e.Matched,
			Chosen: e.Chosen, Reasons: e.Reasons})
	}
	return out
}

// stopExperiment stops key, rolling its winner out as the default when
// asked (which publishes content, so the actor needs that right too).
func (r *mutationResolver) stopExperiment(ctx context.Context, actor, key, winner string, rollout bool) (experience.Experiment, error) {
	if !rollout {
		return r.Experience.StopExperiment(ctx, actor, key, winner)
	}
	if _, err := requireActor(ctx, auth.PermContentPublish); err != nil {
		return experience.Experiment{}, err
	}
	x, err := r.Experience.StopAndRollout(ctx, actor, key, winner, r.Content)
	if err != nil {
		return x, err
	}
	// The mutation is audited as stopExperiment; each entry it published
	// is audited too, as publishEntry would be, so an entry's audit trail
	// shows the rollout that changed it.
	for _, e := range x.Rollout {
		r.auditRolloutPublish(ctx, x, e)
	}
	return x, nil
}

func (r *mutationResolver) auditRolloutPublish(ctx context.Context, x experience.Experiment, ro experience.RolloutEntry) {
	if r.Access == nil {
		return
	}
	args := map[string]any{"id": ro.EntryID, "locale": ro.Locale, "rollout": map[string]any{"experiment": x.Key, "winner": x.Winner}}
	e := auditEntry(ctx, "publishEntry", args, nil)
	e.EntityType, e.EntityID = "EntryDraft", ro.EntryID
	e.Detail["publishedVersion"] = ro.Version
	if werr := r.Access.Record(context.WithoutCancel(ctx), e); werr != nil && r.Log != nil {
		r.Log.ErrorContext(ctx, "writing an audit entry", "action", e.Action, "entity", e.EntityID, "error", werr)
	}
}
