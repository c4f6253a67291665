package graph

import (
	"context"
	"strconv"
	"strings"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/graph/model"
	"github.com/mosaichq/mosaic/webhook"
)

// webhooks checks webhook.write and returns the service and the actor.
func (r *Resolver) webhooks(ctx context.Context) (*webhook.Service, string, error) {
	actor, err := requireActor(ctx, auth.PermWebhookWrite)
	if err != nil {
		return nil, "", err
	}
	if r.Webhooks == nil {
		return nil, "", errs.E(errs.ServiceUnavailable, "webhooks are not configured on this server")
	}
	return r.Webhooks, actor, nil
}

func webhookEndpointOut(e webhook.Endpoint) *model.WebhookEndpoint {
	types := e.EventTypes
	if types == nil {
		types = []string{}
	}
	return &model.WebhookEndpoint{ID: e.ID, URL: e.URL, Description: e.Description, EventTypes: types,
		CreatedAt: e.CreatedAt, CreatedBy: e.CreatedBy}
}

func webhookDeliveryOut(d webhook.Delivery) *model.WebhookDelivery {
	out := &model.WebhookDelivery{ID: strconv.FormatInt(d.ID, 10), EndpointID: d.EndpointID,
		EventID: strconv.FormatInt(d.EventID, 10), EventType: d.EventType,
		Status: model.WebhookDeliveryStatus(strings.ToUpper(d.Status)), Attempts: d.Attempts,
		LastAttemptAt: d.LastAttemptAt, LastStatusCode: d.LastStatus, LastError: d.LastError, CreatedAt: d.CreatedAt,
		Log: make([]*model.WebhookAttempt, len(d.Log))}
	if d.Status == webhook.StatusPending {
		out.NextAttemptAt = &d.NextAttemptAt
	}
	for i, a := range d.Log {
		out.Log[i] = &model.WebhookAttempt{Attempt: a.Attempt, At: a.At, DurationMs: int(a.Duration.Milliseconds()),
			StatusCode: a.StatusCode, Error: a.Error, Response: a.Response}
	}
	return out
}

// deliveryQuery parses webhookDeliveries' arguments.
func deliveryQuery(endpointID, eventID *string, status *model.WebhookDeliveryStatus, first *int, after *string) (webhook.DeliveryQuery, error) {
	var q webhook.DeliveryQuery
	var err error
	if endpointID != nil {
		q.EndpointID = *endpointID
	}
	if eventID != nil {
		if q.EventID, err = webhook.ParseCursor("eventId", *eventID); err != nil {
			return q, err
		}
	}
	if after != nil {
		if q.After, err = webhook.ParseCursor("after", *after); err != nil {
			return q, err
		}
	}
	if status != nil {
		q.Status = strings.ToLower(string(*status))
	}
	q.First, err = pageSize(first, webhook.DefaultPage, webhook.MaxPage)
	return q, err
}
