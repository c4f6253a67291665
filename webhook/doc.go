// Package webhook delivers Mosaic's events to registered HTTP endpoints,
// in the Standard Webhooks format (https://www.standardwebhooks.com):
// a JSON body {id, type, timestamp, data} and the headers webhook-id,
// webhook-timestamp and webhook-signature ("v1,<base64 HMAC-SHA256 of
// id.timestamp.body>", keyed by the endpoint's whsec_ secret).
//
// Delivery is at-least-once, from PostgreSQL rather than memory:
//
//   - fan-out: every event in the log becomes one pending delivery per
//     endpoint whose event types match, exactly once (a cursor row that
//     replicas take in turn, and a unique (endpoint, event));
//   - delivery: any replica claims due deliveries with SKIP LOCKED and a
//     lease, so a worker that dies mid-request only delays a delivery;
//     failures are retried with exponential backoff and jitter up to a
//     maximum number of attempts, then marked failed;
//   - the log: every attempt's status code, error, duration and the start
//     of the response body are kept and can be queried (GraphQL
//     webhookDeliveries).
//
// Receivers must deduplicate by webhook-id (the event id; the same on
// every retry), as the Standard Webhooks spec asks.
package webhook
