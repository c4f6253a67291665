package measurement

import (
	"cmp"
	"time"
)

// The KPI rollup (site-wide: everyone seen, not only people an experiment
// exposed) is kept per visitor id; the person is resolved when a report
// reads it, so a later merge or unmerge applies to past days too. This is
// its arithmetic; the store writes it in the batch's transaction.

// KpiVisitor is what a batch says of a visitor id: when it was first seen
// in the batch and, from decision records, its latest delivery context
// (HasContext false: the batch had no record of it). A visitor id is one
// browser or app install, so its device, channel and locale are its own,
// not the event's: events carry none.
type KpiVisitor struct {
	VisitorID               string
	FirstSeen               time.Time
	HasContext              bool
	Device, Channel, Locale string
	ContextAt               time.Time
}

// KpiDay is a visitor id seen on a day.
type KpiDay struct {
	Day       time.Time
	VisitorID string
}

// KpiConversionKey is a visitor id's conversions of one goal on a day.
type KpiConversionKey struct {
	Day             time.Time
	VisitorID, Goal string
}

// KpiConversion is what a batch adds: conversions, those with a value
// (orders), their sum, and the first one's time.
type KpiConversion struct {
	Conversions, Orders int64
	Revenue             float64
	FirstAt             time.Time
}

// KpiBatch is a batch's contribution to the KPI rollup.
type KpiBatch struct {
	Visitors map[string]KpiVisitor
	// Days are the visitor ids seen per day.
	Days        map[KpiDay]bool
	Conversions map[KpiConversionKey]KpiConversion
}

func newKpiBatch() KpiBatch {
	return KpiBatch{Visitors: map[string]KpiVisitor{}, Days: map[KpiDay]bool{}, Conversions: map[KpiConversionKey]KpiConversion{}}
}

// IsActivity says whether an event of type t is a visit: views,
// conversions, track events and sign-ins (identify). A consent event is a
// banner's answer, not a visit.
func IsActivity(t Type) bool {
	switch t {
	case TypeView, TypeConversion, TypeTrack, TypeIdentify:
		return true
	}
	return false
}

func (b KpiBatch) seen(visitor string, at time.Time) {
	v, ok := b.Visitors[visitor]
	if !ok || at.Before(v.FirstSeen) {
		v.VisitorID, v.FirstSeen = visitor, at
	}
	b.Visitors[visitor] = v
}

// KpiOfEvents is what events (new ones, stored by this batch) add.
func KpiOfEvents(events []Event) KpiBatch {
	b := newKpiBatch()
	for _, e := range events {
		if !IsActivity(e.Type) || e.VisitorID == "" {
			continue
		}
		b.seen(e.VisitorID, e.Time)
		b.Days[KpiDay{Day: e.Day(), VisitorID: e.VisitorID}] = true
		if e.Type != TypeConversion {
			continue
		}
		k := KpiConversionKey{Day: e.Day(), VisitorID: e.VisitorID, Goal: e.Goal}
		c, ok := b.Conversions[k]
		c.Conversions++
		if e.Value != nil {
			c.Orders++
			c.Revenue += *e.Value
		}
		if !ok || e.Time.Before(c.FirstAt) {
			c.FirstAt = e.Time
		}
		b.Conversions[k] = c
	}
	return b
}

// KpiOfDecisions is what decision records (new ones) add: the visit, and
// the visitor id's context from its latest record. Records without a
// visitor id (no measurement consent) are nobody's visit.
func KpiOfDecisions(ds []Decision) KpiBatch {
	b := newKpiBatch()
	for _, d := range ds {
		if d.VisitorID == "" {
			continue
		}
		b.seen(d.VisitorID, d.Time)
		v := b.Visitors[d.VisitorID]
		if !v.HasContext || d.Time.After(v.ContextAt) {
			v.HasContext, v.Device, v.Channel, v.Locale, v.ContextAt = true, d.Device, d.Channel, d.Locale, d.Time
		}
		b.Visitors[d.VisitorID] = v
		b.Days[KpiDay{Day: d.Day(), VisitorID: d.VisitorID}] = true
	}
	return b
}

// CompareKpiDays orders KPI days (SortedKeys).
func CompareKpiDays(a, b KpiDay) int {
	return cmp.Or(a.Day.Compare(b.Day), cmp.Compare(a.VisitorID, b.VisitorID))
}

// CompareKpiConversionKeys orders conversion keys (SortedKeys).
func CompareKpiConversionKeys(a, b KpiConversionKey) int {
	return cmp.Or(a.Day.Compare(b.Day), cmp.Compare(a.VisitorID, b.VisitorID), cmp.Compare(a.Goal, b.Goal))
}
