package profile

import (
	"encoding/json"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/mosaichq/mosaic/measurement"
)

// Bounds of a profile.
const (
	// MaxEvents is how many of a cluster's most recent events a profile
	// holds.
	MaxEvents = 1000
	// MaxWindow is the longest window a rule may ask for, and how far back
	// a profile is loaded.
	MaxWindow = 90 * 24 * time.Hour
	// MaxVisitors is how many visitor ids of a cluster are read.
	MaxVisitors = 100
	// ViewEvent is the name of view events.
	ViewEvent = "view"
)

// Event is one event as a rule sees it. The cel tags name its fields in
// rules (events.last("cart_add").properties.category).
type Event struct {
	ID   string    `cel:"-"`
	Name string    `cel:"name"`
	Time time.Time `cel:"time"`
	// Value is a conversion's value (0 when it has none).
	Value      float64        `cel:"value"`
	Properties map[string]any `cel:"properties"`
}

// Profile is a person's behaviour: their events indexed by name, and
// facts about the cluster. It is immutable once built (New, With) and
// safe for concurrent use; nil is a valid empty, unknown profile.
type Profile struct {
	// Known is true once the profile was loaded (or simulated): false is
	// "not loaded yet", an empty history.
	Known bool `cel:"known"`
	// Visitors is how many visitor ids the cluster has.
	Visitors int `cel:"visitors"`
	// Devices and Channels are the distinct devices and channels the
	// cluster was decided on, most recent first.
	Devices  []string `cel:"devices"`
	Channels []string `cel:"channels"`
	// FirstSeen and LastSeen span its events and decisions (zero: none).
	FirstSeen time.Time `cel:"firstSeen"`
	LastSeen  time.Time `cel:"lastSeen"`
	// Traits are its identify events' traits, the latest value of each.
	Traits map[string]any `cel:"traits"`

	// Stamp changes whenever the cache replaces the profile (0: not from
	// the cache): what a memo of decisions keyed on it is keyed by.
	Stamp uint64 `cel:"-"`

	byName map[string][]Event // each ascending by time; shared between versions, never appended to in place
	n      int                // events held
}

// Facts are a profile's facts other than its events.
type Facts struct {
	Visitors  int
	Devices   []string
	Channels  []string
	FirstSeen time.Time
	LastSeen  time.Time
	Traits    map[string]any
}

// New builds a known profile from facts and events (any order); only the
// most recent MaxEvents are kept and duplicates of an id count once.
//
// Whole JSON numbers in properties and traits become int64, as segment
// rules read every JSON number (personalization.CompileRule).
func New(f Facts, events []Event) *Profile {
	p := &Profile{Known: true, Visitors: f.Visitors, Devices: f.Devices, Channels: f.Channels,
		FirstSeen: f.FirstSeen, LastSeen: f.LastSeen}
	if f.Traits != nil {
		p.Traits = normalize(f.Traits).(map[string]any)
	}
	events = slices.Clone(events)
	for i := range events {
		if events[i].Properties != nil {
			events[i].Properties = normalize(events[i].Properties).(map[string]any)
		}
	}
	p.index(events)
	return p
}

// maxExactInt is 2^53: beyond it float64 cannot represent every integer.
const maxExactInt = 1 << 53

// normalize copies a JSON value with its whole numbers as int64.
func normalize(v any) any {
	switch x := v.(type) {
	case float64:
		if x == math.Trunc(x) && math.Abs(x) <= maxExactInt {
			return int64(x)
		}
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		if f, err := x.Float64(); err == nil {
			return normalize(f)
		}
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = normalize(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalize(e)
		}
		return out
	}
	return v
}

func (p *Profile) index(events []Event) {
	slices.SortStableFunc(events, func(a, b Event) int { return b.Time.Compare(a.Time) })
	p.byName = map[string][]Event{}
	ids := make(map[string]bool, len(events))
	p.n = 0
	for _, e := range events {
		if p.n == MaxEvents {
			break
		}
		if e.ID != "" {
			if ids[e.ID] {
				continue
			}
			ids[e.ID] = true
		}
		p.byName[e.Name] = append(p.byName[e.Name], e)
		p.seen(e.Time)
		p.n++
	}
	for _, list := range p.byName {
		slices.Reverse(list)
	}
}

func (p *Profile) seen(t time.Time) {
	if p.FirstSeen.IsZero() || t.Before(p.FirstSeen) {
		p.FirstSeen = t
	}
	if t.After(p.LastSeen) {
		p.LastSeen = t
	}
}

// Events returns every event, ascending by time.
func (p *Profile) Events() []Event {
	if p == nil {
		return nil
	}
	var out []Event
	for _, list := range p.byName {
		out = append(out, list...)
	}
	slices.SortStableFunc(out, func(a, b Event) int { return a.Time.Compare(b.Time) })
	return out
}

// Has says whether an event with this id is in the profile.
func (p *Profile) Has(id string) bool {
	if p == nil {
		return false
	}
	for _, list := range p.byName {
		for _, e := range list {
			if e.ID == id {
				return true
			}
		}
	}
	return false
}

// With returns a copy of p with events added (those already in it, by
// id, are skipped); p is not changed. A nil p gives a known profile of
// one visitor id. It copies only the lists of the names added to, so
// adding an event costs O(events of that name); past 2 × MaxEvents the
// profile is trimmed to the most recent MaxEvents.
func (p *Profile) With(events ...Event) *Profile {
	q := &Profile{Known: true, Visitors: 1, byName: map[string][]Event{}}
	if p != nil {
		q.Visitors, q.Devices, q.Channels, q.FirstSeen, q.LastSeen, q.Traits, q.n =
			p.Visitors, p.Devices, p.Channels, p.FirstSeen, p.LastSeen, p.Traits, p.n
		for k, v := range p.byName {
			q.byName[k] = v
		}
	}
	copied := map[string]bool{}
	for _, e := range events {
		list := q.byName[e.Name]
		if e.ID != "" && slices.ContainsFunc(list, func(x Event) bool { return x.ID == e.ID }) {
			continue
		}
		if e.Properties != nil {
			e.Properties = normalize(e.Properties).(map[string]any)
		}
		i := sort.Search(len(list), func(i int) bool { return list[i].Time.After(e.Time) })
		if copied[e.Name] {
			list = slices.Insert(list, i, e)
		} else {
			list = slices.Concat(list[:i:i], []Event{e}, list[i:])
			copied[e.Name] = true
		}
		q.byName[e.Name] = list
		q.seen(e.Time)
		q.n++
	}
	if q.n > 2*MaxEvents {
		q.index(q.Events())
	}
	return q
}

// window returns the events named name with from ≤ time ≤ to.
func (p *Profile) window(name string, from, to time.Time) []Event {
	if p == nil {
		return nil
	}
	list := p.byName[name]
	lo := sort.Search(len(list), func(i int) bool { return !list[i].Time.Before(from) })
	hi := sort.Search(len(list), func(i int) bool { return list[i].Time.After(to) })
	if lo >= hi {
		return nil
	}
	return list[lo:hi]
}

// Count is how many events named name happened in [at−window, at].
func (p *Profile) Count(name string, at time.Time, window time.Duration) int {
	return len(p.window(name, at.Add(-window), at))
}

// Sum adds field over the events named name in [at−window, at]: "value"
// is a conversion's value, else a numeric property (other values count 0).
func (p *Profile) Sum(name, field string, at time.Time, window time.Duration) float64 {
	var s float64
	for _, e := range p.window(name, at.Add(-window), at) {
		s += e.number(field)
	}
	return s
}

func (e Event) number(field string) float64 {
	if field == "value" && e.Value != 0 {
		return e.Value
	}
	switch x := e.Properties[field].(type) {
	case float64:
		return x
	case int64:
		return float64(x)
	case int:
		return float64(x)
	case json.Number:
		f, _ := x.Float64()
		return f
	}
	return 0
}

// Last is the latest event named name at or before at (within
// MaxWindow); false when there is none.
func (p *Profile) Last(name string, at time.Time) (Event, bool) {
	list := p.window(name, at.Add(-MaxWindow), at)
	if len(list) == 0 {
		return Event{}, false
	}
	return list[len(list)-1], true
}

// FromEvents builds a profile from a cluster's stored events and the
// devices it was decided on (measurement's types, as the store reads
// them): see the package doc for what becomes what.
func FromEvents(visitors int, events []measurement.Event, devices []measurement.Device) *Profile {
	f := Facts{Visitors: visitors}
	slices.SortStableFunc(devices, func(a, b measurement.Device) int { return b.LastSeen.Compare(a.LastSeen) })
	for _, d := range devices {
		if d.Device != "" && !slices.Contains(f.Devices, d.Device) {
			f.Devices = append(f.Devices, d.Device)
		}
		if d.Channel != "" && !slices.Contains(f.Channels, d.Channel) {
			f.Channels = append(f.Channels, d.Channel)
		}
	}
	out := make([]Event, 0, len(events))
	var identifies []measurement.Event
	for _, e := range events {
		if e.Type == measurement.TypeIdentify {
			identifies = append(identifies, e)
			continue
		}
		if pe, ok := FromEvent(e); ok {
			out = append(out, pe)
		}
	}
	// The caller passes events in any order: a trait keeps the value of
	// the latest identify that set it.
	slices.SortStableFunc(identifies, func(a, b measurement.Event) int { return a.Time.Compare(b.Time) })
	for _, e := range identifies {
		var t map[string]any
		if len(e.Traits) == 0 || json.Unmarshal(e.Traits, &t) != nil {
			continue
		}
		if f.Traits == nil {
			f.Traits = map[string]any{}
		}
		for k, v := range t {
			f.Traits[k] = v
		}
	}
	p := New(f, out)
	for _, d := range devices {
		p.seen(d.LastSeen)
	}
	return p
}

// FromEvent is a stored event as a rule sees it; false for identify and
// consent events (not behaviour).
func FromEvent(e measurement.Event) (Event, bool) {
	out := Event{ID: e.ID, Time: e.Time}
	switch e.Type {
	case measurement.TypeTrack:
		out.Name = e.Name
		if len(e.Properties) > 0 {
			// Validated at /collect: an object. Read in one walk (every
			// event /collect accepts comes through here).
			out.Properties, _ = measurement.DecodeObject(e.Properties)
		}
	case measurement.TypeConversion:
		out.Name = e.Goal
		out.Properties = map[string]any{}
		if e.Value != nil {
			out.Value = *e.Value
			out.Properties["value"] = *e.Value
		}
		if e.Currency != "" {
			out.Properties["currency"] = e.Currency
		}
	case measurement.TypeView:
		out.Name = ViewEvent
		out.Properties = map[string]any{}
		if e.Entry != "" {
			out.Properties["entry"] = e.Entry
		}
		if e.BlockID != "" {
			out.Properties["blockId"] = e.BlockID
		}
	default:
		return Event{}, false
	}
	if out.Properties == nil {
		out.Properties = map[string]any{}
	}
	return out, true
}
