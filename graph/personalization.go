package graph

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"sync"

	"github.com/99designs/gqlgen/graphql"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/experience"
	"github.com/mosaichq/mosaic/graph/model"
	"github.com/mosaichq/mosaic/personalization"
)

// visitorCache holds a request's visitors by context, so that segments are
// computed once per request even when several fields (entry, entries,
// linked entries) are decided for the same visitor.
type visitorCache struct {
	mu sync.Mutex
	m  map[string]*experience.Visitor
}

type visitorCacheKey struct{}

// withVisitors installs a fresh visitor cache for each request: visitors
// hold one visitor's segments and must never outlive the request.
func withVisitors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := &visitorCache{m: map[string]*experience.Visitor{}}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), visitorCacheKey{}, c)))
	})
}

// visitorsOf returns the visitors built for this request so far.
func visitorsOf(ctx context.Context) []*experience.Visitor {
	cache, _ := ctx.Value(visitorCacheKey{}).(*visitorCache)
	if cache == nil {
		return nil
	}
	cache.mu.Lock()
	defer cache.mu.Unlock()
	out := make([]*experience.Visitor, 0, len(cache.m))
	for _, v := range cache.m {
		out = append(out, v)
	}
	return out
}

// visitor turns a delivery field's ExperienceContext into the request's
// visitor for that context. A nil Experience service means delivery is not
// personalized (every block shows its default).
func (r *Resolver) visitor(ctx context.Context, in *model.ExperienceContext, locale string) (*experience.Visitor, error) {
	if r.Experience == nil {
		return nil, nil
	}
	c, err := r.experienceContext(ctx, in, locale)
	if err != nil {
		return nil, err
	}
	cache, _ := ctx.Value(visitorCacheKey{}).(*visitorCache)
	if cache == nil {
		return r.Experience.Visitor(ctx, c)
	}
	key, err := json.Marshal(c)
	if err != nil { // traits came from JSON: cannot happen
		return nil, err
	}
	cache.mu.Lock()
	defer cache.mu.Unlock()
	if v, ok := cache.m[string(key)]; ok {
		return v, nil
	}
	v, err := r.Experience.Visitor(ctx, c)
	if err != nil {
		return nil, err
	}
	cache.m[string(key)] = v
	return v, nil
}

// experienceContext applies the delivery rules to the client's context:
// at and preview need a preview-capable token (FORBIDDEN otherwise, also
// for anonymous callers: they are not asking who they are but for
// something delivery does not offer); consent defaults to true; a web
// request without a device gets one from its User-Agent; the locale is
// the one content is read in (else the default locale).
func (r *Resolver) experienceContext(ctx context.Context, in *model.ExperienceContext, locale string) (personalization.Context, error) {
	ua, fromAgent := "", graphql.HasOperationContext(ctx)
	if fromAgent {
		ua = graphql.GetOperationContext(ctx).Headers.Get("User-Agent")
	}
	return r.contextFor(ctx, in, locale, ua, fromAgent)
}

// contextFor is experienceContext with the request's User-Agent given
// (fromAgent: whether a web request without a device takes one from it).
func (r *Resolver) contextFor(ctx context.Context, in *model.ExperienceContext, locale, ua string, fromAgent bool) (personalization.Context, error) {
	if in == nil {
		in = &model.ExperienceContext{}
	}
	if in.At != nil || (in.Preview != nil && *in.Preview) {
		if err := checkPreview(ctx); err != nil {
			return personalization.Context{}, err
		}
	}
	c := personalization.Context{
		VisitorID: deref(in.VisitorID),
		Segments:  in.Segments,
		Device:    deref(in.Device),
		Channel:   deref(in.Channel),
		Locale:    locale,
		Consent:   in.Consent == nil || *in.Consent,
	}
	// An API key limited to channels decides which channels it may ask for.
	var err error
	if c.Channel, err = keyChannel(ctx, c.Channel); err != nil {
		return c, err
	}
	if c.Locale == "" && r.Content != nil {
		c.Locale = r.Content.Locales().Default
	}
	if in.At != nil {
		c.At = in.At.UTC()
		stampOf(ctx).mark(func(s *stamp) { s.travel = true })
	} else {
		// The request's one instant: every field of a response is decided
		// and read at the same instant, so none straddles a transition.
		c.At = requestNow(ctx)
	}
	if in.Traits != nil {
		traits, err := model.JSONObject(in.Traits)
		if err != nil {
			return c, errs.Invalid("context.traits "+err.Error(), errs.FieldError{Path: "context.traits", Message: err.Error()})
		}
		c.Traits = traits
	}
	if c.Device == "" && (c.Channel == "" || c.Channel == "web") && fromAgent {
		// Only a device the registry knows: an operator may have trimmed it.
		if d := personalization.DeviceFromUserAgent(ua); slices.Contains(r.Experience.Registry().Devices, d) {
			c.Device = d
		}
		stampOf(ctx).mark(func(s *stamp) { s.agent = true })
	}
	return c, nil
}

// checkPreview refuses context.at and context.preview to callers without
// the preview permission.
func checkPreview(ctx context.Context) error {
	if err := auth.ErrorFromContext(ctx); err != nil {
		return err
	}
	if p, ok := auth.FromContext(ctx); !ok || !p.Can(auth.PermPreview) {
		return errs.E(errs.Forbidden,
			"context.at and context.preview need a token with permission %s (preview or editor tokens)", auth.PermPreview)
	}
	return nil
}

// previewOf says whether a delivery field reads the latest drafts
// (context.preview: true, preview-capable callers only). A preview
// response is never cached: it holds unpublished content.
func previewOf(ctx context.Context, in *model.ExperienceContext) (bool, error) {
	if in == nil || in.Preview == nil || !*in.Preview {
		return false, nil
	}
	if err := checkPreview(ctx); err != nil {
		return false, err
	}
	stampOf(ctx).mark(func(s *stamp) { s.preview = true })
	return true, nil
}

func segmentOut(s experience.Segment) *model.Segment {
	return &model.Segment{Key: s.Key, Name: s.Name, Rule: optString(s.Rule), Version: s.Version,
		CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt, UpdatedBy: s.UpdatedBy}
}

func segmentIn(in model.SegmentInput) experience.Segment {
	return experience.Segment{Key: in.Key, Name: in.Name, Rule: deref(in.Rule)}
}

func experimentOut(x experience.Experiment) *model.Experiment {
	out := &model.Experiment{Key: x.Key, Name: x.Name, Holdout: x.Holdout, Version: x.Version,
		CreatedAt: x.CreatedAt, UpdatedAt: x.UpdatedAt, UpdatedBy: x.UpdatedBy, Arms: []*model.Arm{}}
	for _, a := range x.Arms {
		out.Arms = append(out.Arms, &model.Arm{Key: a.Key, Weight: a.Weight})
	}
	return out
}

func experimentIn(in model.ExperimentInput) experience.Experiment {
	x := experience.Experiment{Key: in.Key, Name: in.Name}
	if in.Holdout != nil {
		x.Holdout = *in.Holdout
	}
	for _, a := range in.Arms {
		x.Arms = append(x.Arms, personalization.Arm{Key: a.Key, Weight: a.Weight})
	}
	return x
}

func variantIn(in model.VariantInput) (personalization.Variant, error) {
	v := personalization.Variant{Key: in.Key, Campaign: deref(in.Campaign), Experiment: deref(in.Experiment),
		Arm: deref(in.Arm), Priority: derefInt(in.Priority, 0),
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
