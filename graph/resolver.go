// Package graph is Mosaic's GraphQL API: the schema (graph/*.graphqls), thin
// resolvers that parse, call a domain service and map the result, and the
// HTTP handler with its limits, error presenter and GraphQL-over-HTTP
// transports (media types and statuses: transport.go).
package graph

import (
	"log/slog"

	"github.com/mosaichq/mosaic/access"
	"github.com/mosaichq/mosaic/assets"
	"github.com/mosaichq/mosaic/bundle"
	"github.com/mosaichq/mosaic/campaign"
	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/delivery"
	"github.com/mosaichq/mosaic/documents"
	"github.com/mosaichq/mosaic/experience"
	"github.com/mosaichq/mosaic/fleet"
	"github.com/mosaichq/mosaic/measurement"
	"github.com/mosaichq/mosaic/measurement/capcount"
	"github.com/mosaichq/mosaic/measurement/report"
	"github.com/mosaichq/mosaic/search"
	"github.com/mosaichq/mosaic/webhook"
)

// Resolver is where the API's dependencies are wired; one per server.
type Resolver struct {
	Content *content.Service
	// Experience decides variants; nil serves every block's default.
	Experience *experience.Service
	// Variants edits variants on drafts.
	Variants *experience.Editor
	// Search answers search(); nil makes it SERVICE_UNAVAILABLE.
	Search *search.Index
	// Assets stores and delivers files; nil makes asset operations
	// SERVICE_UNAVAILABLE and leaves asset fields as ids.
	Assets *assets.Service
	// Webhooks manages webhook endpoints and the delivery log; nil makes
	// them SERVICE_UNAVAILABLE.
	Webhooks *webhook.Service
	// Campaigns manages campaigns; nil makes campaign operations
	// SERVICE_UNAVAILABLE (decisions still name no campaign).
	Campaigns *campaign.Service
	// Access is users, API keys and the audit log; nil makes their
	// operations SERVICE_UNAVAILABLE and records no audit rows.
	Access *access.Service
	// Bundles builds signed screen bundles; nil makes screenBundle
	// SERVICE_UNAVAILABLE.
	Bundles *bundle.Builder
	// Fleet is the screens' heartbeats; nil makes screenFleet
	// SERVICE_UNAVAILABLE.
	Fleet *fleet.Service
	// Documents is the registry of trusted documents and persisted
	// queries; nil serves neither documentId nor its management fields.
	Documents *documents.Service
	// Decisions records what delivery decided for identified visitors
	// (Entry.decisionId); nil records nothing.
	Decisions delivery.Recorder
	// RecordEveryServe: an answer showing decisionId is each visitor's
	// own, with a record per serve (delivery.Service.RecordEveryServe).
	RecordEveryServe bool
	// People is the editors' view of people (visitorProfile, erasure,
	// unmerging); nil makes those SERVICE_UNAVAILABLE.
	People *measurement.People
	// Reports is metrics and experiment results from the rollups; nil
	// makes them SERVICE_UNAVAILABLE.
	Reports *report.Service
	// Arms pins visitors' experiment arms to their person's first
	// (delivery.Service.Arms); nil: none.
	Arms delivery.ArmSource
	// Profiles tells visitors' behaviour to segment rules
	// (delivery.Service.Profiles); nil: an empty history.
	Profiles delivery.ProfileSource
	// Caps counts people's exposures to capped targets
	// (delivery.Service.Caps); nil: capped targets are not shown.
	Caps delivery.CapSource
	// CapReports answers capReport; nil makes it SERVICE_UNAVAILABLE.
	CapReports *capcount.Reports
	// Recommender fills recommended reference lists
	// (delivery.Service.Recommender); nil: the editor's lists.
	Recommender delivery.Recommender
	Log         *slog.Logger

	// respCache is the handler's response cache (nil: off); its counters
	// are ResponseCacheStats.
	respCache *responseCache

	// deliverySvc answers delivery reads; built from Content, Experience
	// and the handler's Limits by NewHandler.
	deliverySvc *delivery.Service
}

// delivery is the delivery service the resolvers read through.
func (r *Resolver) delivery() *delivery.Service {
	if r.deliverySvc == nil {
		r.deliverySvc = r.newDelivery(delivery.Policy{})
	}
	return r.deliverySvc
}

// newDelivery is the delivery service of r's parts, reading under policy.
func (r *Resolver) newDelivery(policy delivery.Policy) *delivery.Service {
	return &delivery.Service{Content: r.Content, Experience: r.Experience, Decisions: r.Decisions, RecordEveryServe: r.RecordEveryServe,
		Arms: r.Arms, Profiles: r.Profiles, Caps: r.Caps, Recommender: r.Recommender, Policy: policy}
}
