package graph

import (
	"context"
	"encoding/json"

	"github.com/mosaichq/mosaic/delivery"
	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/graph/model"
	"github.com/mosaichq/mosaic/measurement"
	"github.com/mosaichq/mosaic/measurement/identity"
)

// people is the editors' view of people, or SERVICE_UNAVAILABLE.
func (r *Resolver) people() (*measurement.People, error) {
	if r.People == nil {
		return nil, errs.E(errs.ServiceUnavailable, "measurement is not configured on this server")
	}
	return r.People, nil
}

func profileOut(p *measurement.Profile) *model.VisitorProfile {
	if p == nil {
		return nil
	}
	out := &model.VisitorProfile{ClusterID: p.ClusterID, UserID: optString(p.UserID), Visitors: []*model.ClusterMember{},
		Devices: []*model.VisitorDevice{}, RecentEvents: []*model.CollectedEvent{}, Consent: []*model.VisitorConsent{},
		Assignments: []*model.ExperimentAssignment{}, Links: []*model.IdentityLink{}}
	for _, m := range p.Members {
		cm := &model.ClusterMember{VisitorID: m.VisitorID, Kiosk: identity.Kiosk(m.VisitorID)}
		if !m.LinkedAt.IsZero() {
			at := m.LinkedAt
			cm.LinkedAt = &at
		}
		out.Visitors = append(out.Visitors, cm)
	}
	for _, d := range p.Devices {
		out.Devices = append(out.Devices, &model.VisitorDevice{VisitorID: d.VisitorID, Device: optString(d.Device),
			Channel: optString(d.Channel), LastSeen: d.LastSeen})
	}
	for _, e := range p.Events {
		out.RecentEvents = append(out.RecentEvents, eventOut(e))
	}
	for _, c := range p.Consent {
		out.Consent = append(out.Consent, &model.VisitorConsent{VisitorID: c.VisitorID, Granted: purposeNames(c.Granted),
			Withdrawn: purposeNames(c.Withdrawn), At: c.At})
	}
	for _, a := range p.Assignments {
		ma := &model.ExperimentAssignment{Experiment: a.Experiment, Arm: a.Arm, First: exposureOut(a.First),
			Conflicts: []*model.Exposure{}}
		for _, c := range a.Conflicts {
			ma.Conflicts = append(ma.Conflicts, exposureOut(c))
		}
		out.Assignments = append(out.Assignments, ma)
	}
	for _, l := range p.Links {
		out.Links = append(out.Links, linkOut(l))
	}
	return out
}

func eventOut(e measurement.Event) *model.CollectedEvent {
	out := &model.CollectedEvent{ID: e.ID, Type: string(e.Type), VisitorID: e.VisitorID, UserID: optString(e.UserID),
		Time: e.Time, ReceivedAt: e.ReceivedAt, DecisionID: optString(e.DecisionID), BlockID: optString(e.BlockID),
		Entry: optString(e.Entry), Goal: optString(e.Goal), Value: e.Value, Currency: optString(e.Currency), Name: optString(e.Name)}
	var raw json.RawMessage
	switch e.Type {
	case measurement.TypeTrack:
		raw = e.Properties
	case measurement.TypeIdentify:
		raw = e.Traits
	case measurement.TypeConsent:
		raw, _ = json.Marshal(map[string][]string{"granted": purposeNames(e.Granted), "withdrawn": purposeNames(e.Withdrawn)})
	}
	if len(raw) > 0 {
		var v any
		if json.Unmarshal(raw, &v) == nil {
			out.Data = v
		}
	}
	return out
}

func exposureOut(x identity.Exposure) *model.Exposure {
	return &model.Exposure{VisitorID: x.VisitorID, Arm: x.Arm, DecisionID: x.DecisionID, ExposedAt: x.At}
}

func linkOut(l measurement.Link) *model.IdentityLink {
	return &model.IdentityLink{Seq: int(l.Seq), At: l.At, EventTime: l.EventTime, Action: l.Action, VisitorID: l.VisitorID,
		UserID: optString(l.UserID), ClusterID: optString(l.ClusterID), Code: optString(l.Code), Reason: l.Reason,
		EventID: optString(l.EventID), Actor: optString(l.Actor)}
}

func decisionRecordOut(d *measurement.Decision) *model.DecisionRecord {
	if d == nil {
		return nil
	}
	out := &model.DecisionRecord{ID: d.ID, Time: d.Time, VisitorID: optString(d.VisitorID), UserID: optString(d.UserID),
		Channel: optString(d.Channel), Device: optString(d.Device), Locale: optString(d.Locale), Consent: d.Consent,
		EntryID: d.EntryID, EntrySlug: d.EntrySlug, EntryVersion: d.EntryVersion, Blocks: []*model.DecisionRecordBlock{}}
	if d.Purposes != nil {
		out.Purposes = purposeNames(d.Purposes)
	}
	for _, b := range d.Blocks {
		out.Blocks = append(out.Blocks, &model.DecisionRecordBlock{BlockID: b.BlockID, Variant: b.Variant,
			Experiment: optString(b.Experiment), Arm: optString(b.Arm), Campaign: optString(b.Campaign), ReasonClass: b.Reason})
	}
	return out
}

func erasureOut(e measurement.Erasure) *model.Erasure {
	return &model.Erasure{ClusterID: optString(e.ClusterID), Visitors: e.Visitors, Events: e.Events, Decisions: e.Decisions,
		Exposures: e.Exposures, Links: e.Links}
}

func purposeNames(ps []measurement.Purpose) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = string(p)
	}
	return out
}

// forgetter is a Recommender that holds people's histories in memory
// (measurement/recommend.Engine): an erasure must reach it too.
type forgetter interface {
	Forget(ctx context.Context, cluster string, visitors []string)
}

// forgetRecommended drops an erased person's recommendation history (on
// every replica when they share batches): what the store erased must not
// keep showing as recentlyViewed until a restart.
func forgetRecommended(ctx context.Context, rec delivery.Recommender, e measurement.Erasure) {
	if f, ok := rec.(forgetter); ok {
		f.Forget(ctx, e.ClusterID, e.Visitors)
	}
}
