package webhook

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/events"
)

// Endpoint is a registered receiver of events.
type Endpoint struct {
	ID          string
	URL         string
	Description string
	// EventTypes are the event types delivered (exact, or a prefix ending
	// in "*"); empty means all.
	EventTypes []string
	// Secret signs deliveries; it is shown once, when the endpoint is
	// created.
	Secret    string
	CreatedAt time.Time
	CreatedBy string
}

// EndpointInput is what an editor sends to register an endpoint.
type EndpointInput struct {
	URL         string
	Description string
	EventTypes  []string
}

const (
	maxURL         = 2048
	maxDescription = 500
)

var uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// validate checks in and returns it normalised.
func (in EndpointInput) validate() (EndpointInput, error) {
	var fields []errs.FieldError
	bad := func(path, format string, args ...any) {
		fields = append(fields, errs.FieldError{Path: path, Message: fmt.Sprintf(format, args...)})
	}
	in.URL = strings.TrimSpace(in.URL)
	u, err := url.Parse(in.URL)
	switch {
	case in.URL == "":
		bad("url", "is required")
	case len(in.URL) > maxURL:
		bad("url", "must be at most %d characters", maxURL)
	case err != nil || !u.IsAbs() || u.Host == "":
		bad("url", "must be an absolute http or https URL")
	case u.Scheme != "http" && u.Scheme != "https":
		bad("url", "must use http or https, not %q", u.Scheme)
	case u.User != nil:
		bad("url", "must not carry credentials: deliveries are signed with the endpoint's secret instead")
	case u.Fragment != "":
		bad("url", "must not have a #fragment")
	}
	if len(in.Description) > maxDescription {
		bad("description", "must be at most %d characters", maxDescription)
	}
	var types []string
	for i, t := range in.EventTypes {
		t = strings.TrimSpace(t)
		if !slices.ContainsFunc(events.WebhookTypes(), func(known string) bool { return matchType(t, known) }) {
			bad(fmt.Sprintf("eventTypes.%d", i), "%q matches no event type (want one of %s, or a prefix such as campaign.*)",
				t, strings.Join(events.WebhookTypes(), ", "))
			continue
		}
		if !slices.Contains(types, t) {
			types = append(types, t)
		}
	}
	in.EventTypes = types
	if len(fields) > 0 {
		return in, errs.Invalid("invalid webhook endpoint", fields...)
	}
	return in, nil
}

// matchType reports whether an endpoint's pattern selects typ.
func matchType(pattern, typ string) bool {
	if prefix, ok := strings.CutSuffix(pattern, "*"); ok {
		return strings.HasPrefix(typ, prefix)
	}
	return pattern == typ
}

// CreateEndpoint registers an endpoint with a fresh secret; the returned
// Endpoint carries the secret, the only time it is shown.
func (s *Service) CreateEndpoint(ctx context.Context, actor string, in EndpointInput) (Endpoint, error) {
	in, err := in.validate()
	if err != nil {
		return Endpoint{}, err
	}
	ep, err := s.store.CreateEndpoint(ctx, Endpoint{URL: in.URL, Description: in.Description,
		EventTypes: in.EventTypes, Secret: NewSecret(), CreatedBy: actor})
	if err != nil {
		return Endpoint{}, fmt.Errorf("registering webhook endpoint: %w", err)
	}
	s.log.InfoContext(ctx, "webhook endpoint registered", "endpoint", ep.ID, "url", ep.URL, "by", actor)
	return ep, nil
}

// Endpoints lists the endpoints, newest first, without their secrets.
func (s *Service) Endpoints(ctx context.Context) ([]Endpoint, error) {
	eps, err := s.store.Endpoints(ctx)
	if err != nil {
		return nil, fmt.Errorf("listing webhook endpoints: %w", err)
	}
	for i := range eps {
		eps[i].Secret = ""
	}
	return eps, nil
}

// DeleteEndpoint removes an endpoint with its pending deliveries and log.
func (s *Service) DeleteEndpoint(ctx context.Context, actor, id string) error {
	if !uuidPattern.MatchString(id) {
		return errs.E(errs.NotFound, "webhook endpoint %q not found", id)
	}
	if err := s.store.DeleteEndpoint(ctx, id); err != nil {
		return err
	}
	s.log.InfoContext(ctx, "webhook endpoint deleted", "endpoint", id, "by", actor)
	return nil
}
