package postgres

import (
	"cmp"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/mosaichq/mosaic/measurement"
)

// The funnels' narrow copy of the events (migration 000023) is kept in the
// transaction that stores a batch, from the events it made new (so a
// redelivered batch adds nothing twice). A name new to the dictionary is
// added first, only when absent (an ON CONFLICT alone would draw a
// sequence value for every row of every batch), in one order so two
// consumers adding the same names never wait on each other in a cycle;
// the rows then take their names' ids in a join.
const (
	sqlAddFunnelNames = `INSERT INTO measurement_funnel_names (type, name)
		SELECT t, n FROM unnest($1::text[], $2::text[]) AS u(t, n)
		WHERE NOT EXISTS (SELECT 1 FROM measurement_funnel_names x WHERE x.type = u.t AND x.name = u.n)
		ORDER BY t, n
		ON CONFLICT DO NOTHING`
	sqlAddFunnelEvents = `INSERT INTO measurement_funnel_events (day, name, time, visitor)
		SELECT u.d, x.id, u.at, hashtextextended(u.v, 0)
		FROM unnest($1::date[], $2::text[], $3::text[], $4::timestamptz[], $5::text[]) AS u(d, t, n, at, v)
		JOIN measurement_funnel_names x ON x.type = u.t AND x.name = u.n`
	// Withdrawal and erasure delete the rows of the events they delete
	// (sqlWithdrawEvents, sqlEraseEvents), found by the visitor id's hash
	// and time (two visitor ids sharing a hash, odds ~1e-8 at 1e6, would
	// lose each other's rows of the same instant, never keep the erased
	// one's). Erasure runs it before deleting the events.
	sqlWithdrawFunnelEvents = `DELETE FROM measurement_funnel_events WHERE visitor = hashtextextended($1, 0) AND time <= $2`
	sqlEraseFunnelEvents    = `DELETE FROM measurement_funnel_events f
		USING (SELECT DISTINCT hashtextextended(visitor_id, 0) AS visitor, time FROM measurement_events
			WHERE (visitor_id = ANY($1) OR user_id = $2) AND type IN ('view', 'conversion', 'track')) e
		WHERE f.visitor = e.visitor AND f.time = e.time`
)

// funnelName is the name a funnel step matches an event by: a
// conversion's goal, a track event's name, a view's entry ("" if none).
// ok is false for the events funnels never read.
func funnelName(e measurement.Event) (name string, ok bool) {
	switch e.Type {
	case measurement.TypeConversion:
		return e.Goal, true
	case measurement.TypeTrack:
		return e.Name, true
	case measurement.TypeView:
		return e.Entry, true
	}
	return "", false
}

// queueFunnel queues in batch the writes of events' rows of the funnels'
// table.
func queueFunnel(batch *pgx.Batch, events []measurement.Event) {
	var days, at []time.Time
	var types, names, visitors []string
	type key struct{ t, n string }
	dict := map[key]bool{}
	for _, e := range events {
		name, ok := funnelName(e)
		if !ok || e.VisitorID == "" {
			continue
		}
		days, at = append(days, e.Day()), append(at, e.Time)
		types, names, visitors = append(types, string(e.Type)), append(names, name), append(visitors, e.VisitorID)
		dict[key{string(e.Type), name}] = true
	}
	if len(days) == 0 {
		return
	}
	keys := make([]key, 0, len(dict))
	for k := range dict {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b key) int { return cmp.Or(cmp.Compare(a.t, b.t), cmp.Compare(a.n, b.n)) })
	dt, dn := make([]string, len(keys)), make([]string, len(keys))
	for i, k := range keys {
		dt[i], dn[i] = k.t, k.n
	}
	batch.Queue(sqlAddFunnelNames, dt, dn)
	batch.Queue(sqlAddFunnelEvents, days, types, names, at, visitors)
}
