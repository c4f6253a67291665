package measurement

import (
	"cmp"
	"context"
	"slices"
	"time"
)

// Windows are the conversion windows (from a unit's first exposure) that
// metric rollups are kept for: a metric's window must be one of them (the
// sum of squares of per-unit totals cannot be derived from finer buckets,
// so each window is a rollup of its own). The longest bounds how long
// after its exposure an event still counts.
var Windows = []time.Duration{24 * time.Hour, 72 * time.Hour, 7 * 24 * time.Hour, 30 * 24 * time.Hour}

// DefaultWindow is the conversion window metrics take by default.
const DefaultWindow = 72 * time.Hour

// MaxWindow is the longest of [Windows].
func MaxWindow() time.Duration { return slices.Max(Windows) }

// Units maps visitor ids to the unit experiments and reach count: the
// person. The default, [VisitorUnits], takes each visitor id as its own
// unit; identity clusters (a person's phone, laptop and kiosk sessions)
// plug in here.
type Units interface {
	// UnitsOf returns the unit of each visitor id (every id a key).
	UnitsOf(ctx context.Context, visitorIDs []string) (map[string]string, error)
	// VisitorsOf returns the visitor ids of each unit, to find the events
	// a unit sent before its exposure was recorded.
	VisitorsOf(ctx context.Context, units []string) (map[string][]string, error)
}

// VisitorUnits is the unit = the visitor id.
type VisitorUnits struct{}

// UnitsOf implements Units.
func (VisitorUnits) UnitsOf(_ context.Context, ids []string) (map[string]string, error) {
	m := make(map[string]string, len(ids))
	for _, id := range ids {
		m[id] = id
	}
	return m, nil
}

// VisitorsOf implements Units.
func (VisitorUnits) VisitorsOf(_ context.Context, units []string) (map[string][]string, error) {
	m := make(map[string][]string, len(units))
	for _, u := range units {
		m[u] = []string{u}
	}
	return m, nil
}

// Exposure is a unit's first exposure to an experiment: the arm it counts
// in, when, on which device, channel and locale, and every arm it was
// shown. A campaign is exposed the same way, under [CampaignSubject] with
// its variant as the arm, so its conversions are rolled up as an
// experiment's are.
type Exposure struct {
	Experiment string
	Unit       string
	Arm        string
	Time       time.Time
	Device     string
	Channel    string
	Locale     string
	// Arms are the distinct arms the unit was shown, the first first.
	Arms []string
}

// ExposureKey identifies an exposure.
type ExposureKey struct{ Experiment, Unit string }

// Key is the exposure's key.
func (x Exposure) Key() ExposureKey { return ExposureKey{x.Experiment, x.Unit} }

// Day is the UTC day of the first exposure: the cohort reports group by.
func (x Exposure) Day() time.Time { return Event{Time: x.Time}.Day() }

// ExposureCell is one row of the exposure rollup.
type ExposureCell struct {
	Experiment, Arm, Device, Channel, Locale string
	Day                                      time.Time
}

// CampaignSubject is the name a campaign's exposures and metric rollups
// go by, beside experiments' keys (which cannot hold a colon).
func CampaignSubject(campaign string) string { return "campaign:" + campaign }

// ExposureDelta is what a batch adds to an exposure cell: units first
// exposed there, units of it that were shown a second arm, and records
// that exposed no one in particular (no visitor id: no measurement
// consent), counted in aggregate only.
type ExposureDelta struct {
	Units, MultiArm, Anonymous int64
}

// ExposuresOf reads the exposures of decision records: per (experiment,
// unit) the earliest block exposed, with every arm shown; and per
// (campaign, unit), under CampaignSubject, the earliest variant shown
// (or the campaign's holdout: BlockDecision.CampaignArm), with every
// variant. unit maps a visitor id to its unit. A record without
// a visitor id exposes no unit ([AnonymousExposures] counts it).
func ExposuresOf(ds []Decision, unit map[string]string) []Exposure {
	sorted := slices.Clone(ds)
	slices.SortStableFunc(sorted, func(a, b Decision) int { return a.Time.Compare(b.Time) })
	byKey := map[ExposureKey]int{}
	var out []Exposure
	for _, d := range sorted {
		if d.VisitorID == "" {
			continue
		}
		u := unitOf(unit, d.VisitorID)
		expose := func(subject, arm string) {
			k := ExposureKey{subject, u}
			if i, ok := byKey[k]; ok {
				if !slices.Contains(out[i].Arms, arm) {
					out[i].Arms = append(out[i].Arms, arm)
				}
				return
			}
			byKey[k] = len(out)
			out = append(out, Exposure{Experiment: subject, Unit: u, Arm: arm, Time: d.Time,
				Device: d.Device, Channel: d.Channel, Locale: d.Locale, Arms: []string{arm}})
		}
		for _, b := range d.Blocks {
			if b.Experiment != "" && b.Arm != "" {
				expose(b.Experiment, b.Arm)
			}
			if b.Campaign != "" {
				expose(CampaignSubject(b.Campaign), b.CampaignArm())
			}
		}
	}
	return out
}

// AnonymousExposures counts, per exposure cell, the experiment and
// campaign exposures of records without a visitor id: without
// measurement consent an exposure is counted in aggregate only, never as
// a unit (it has no key to be one unit across records), and no event can
// be attributed to it.
func AnonymousExposures(ds []Decision) map[ExposureCell]ExposureDelta {
	out := map[ExposureCell]ExposureDelta{}
	for _, d := range ds {
		if d.VisitorID != "" {
			continue
		}
		seen := map[ExposureCell]bool{}
		add := func(subject, arm string) {
			c := ExposureCell{Experiment: subject, Arm: arm, Device: d.Device, Channel: d.Channel, Locale: d.Locale, Day: d.Day()}
			if !seen[c] { // a record counts once per cell, however many blocks
				seen[c] = true
				x := out[c]
				x.Anonymous++
				out[c] = x
			}
		}
		for _, b := range d.Blocks {
			if b.Experiment != "" && b.Arm != "" {
				add(b.Experiment, b.Arm)
			}
			if b.Campaign != "" {
				add(CampaignSubject(b.Campaign), b.CampaignArm())
			}
		}
	}
	return out
}

// MergeExposures merges a batch's exposures into the stored ones (by key).
// The first recorded exposure stays: its arm, time and context are the
// unit's for good, so a record written late with an earlier time does not
// move a unit between arms or days after its events were counted. It
// returns the rows to write (new ones and those shown a new arm), the
// rollup deltas, and the exposures that are new (whose earlier events must
// be looked for).
func MergeExposures(stored map[ExposureKey]Exposure, batch []Exposure) (write []Exposure, deltas map[ExposureCell]ExposureDelta, fresh []Exposure) {
	deltas = map[ExposureCell]ExposureDelta{}
	for _, x := range batch {
		old, ok := stored[x.Key()]
		if !ok {
			write, fresh = append(write, x), append(fresh, x)
			d := deltas[x.cell()]
			d.Units++
			if len(x.Arms) > 1 {
				d.MultiArm++
			}
			deltas[x.cell()] = d
			continue
		}
		merged := old
		merged.Arms = slices.Clone(old.Arms)
		for _, a := range x.Arms {
			if !slices.Contains(merged.Arms, a) {
				merged.Arms = append(merged.Arms, a)
			}
		}
		if len(merged.Arms) == len(old.Arms) {
			continue
		}
		write = append(write, merged)
		if len(old.Arms) == 1 {
			d := deltas[old.cell()]
			d.MultiArm++
			deltas[old.cell()] = d
		}
	}
	return write, deltas, fresh
}

func (x Exposure) cell() ExposureCell {
	return ExposureCell{Experiment: x.Experiment, Arm: x.Arm, Device: x.Device, Channel: x.Channel, Locale: x.Locale, Day: x.Day()}
}

// MetricEvent is an event metrics count: a conversion (its goal) or a
// track event (its name), of a visitor, with its value (0 without).
type MetricEvent struct {
	VisitorID string
	Name      string
	Time      time.Time
	Value     float64
}

// MetricName is the name metrics know an event by: a conversion's goal, a
// track event's name; "" for the types metrics do not count.
func MetricName(t Type, goal, name string) string {
	switch t {
	case TypeConversion:
		return goal
	case TypeTrack:
		return name
	}
	return ""
}

// UnitKey identifies a unit's total of one event name in one window after
// its exposure to one experiment.
type UnitKey struct {
	Experiment, Unit, Event string
	// WindowHours is the window's length in hours.
	WindowHours int
}

// UnitValue is a unit's total: how many events and the sum of their values.
type UnitValue struct {
	Count int64
	Sum   float64
}

// Contributions adds up what events bring to units' totals: an event
// counts for each experiment its unit is exposed to, in every window that
// holds it (at or after the exposure, before its end). exposures are by
// unit.
func Contributions(events []MetricEvent, unit map[string]string, exposures map[string][]Exposure) map[UnitKey]UnitValue {
	out := map[UnitKey]UnitValue{}
	for _, e := range events {
		for _, x := range exposures[unitOf(unit, e.VisitorID)] {
			since := e.Time.Sub(x.Time)
			if since < 0 {
				continue
			}
			for _, w := range Windows {
				if since >= w {
					continue
				}
				k := UnitKey{Experiment: x.Experiment, Unit: x.Unit, Event: e.Name, WindowHours: int(w / time.Hour)}
				v := out[k]
				v.Count++
				v.Sum += e.Value
				out[k] = v
			}
		}
	}
	return out
}

// MetricCell is one row of the metric rollup: an experiment's arm, an
// event name and window, the device, channel, locale and day of first
// exposure.
type MetricCell struct {
	Experiment, Arm, Event  string
	WindowHours             int
	Device, Channel, Locale string
	Day                     time.Time
}

// MetricDelta is what changes in a metric cell: sufficient statistics of
// per-unit totals (units with at least one event, Σ count, Σ count²,
// Σ value, Σ value²).
type MetricDelta struct {
	Converters     int64
	Count, CountSq int64
	Sum, SumSq     float64
}

// ApplyContributions adds contributions to the units' current totals
// (absent: zero) and returns the new totals and the rollup deltas: a
// total going from c, s to c′, s′ adds c′−c and c′²−c² to the count
// statistics, s′−s and s′²−s² to the value statistics, and a converter
// when c was 0. exposures (by key) give each unit's arm and cell.
func ApplyContributions(current, contrib map[UnitKey]UnitValue, exposures map[ExposureKey]Exposure) (map[UnitKey]UnitValue, map[MetricCell]MetricDelta) {
	values := make(map[UnitKey]UnitValue, len(contrib))
	deltas := map[MetricCell]MetricDelta{}
	for k, add := range contrib {
		x, ok := exposures[ExposureKey{k.Experiment, k.Unit}]
		if !ok {
			continue
		}
		old := current[k]
		v := UnitValue{Count: old.Count + add.Count, Sum: old.Sum + add.Sum}
		values[k] = v
		c := MetricCell{Experiment: k.Experiment, Arm: x.Arm, Event: k.Event, WindowHours: k.WindowHours,
			Device: x.Device, Channel: x.Channel, Locale: x.Locale, Day: x.Day()}
		d := deltas[c]
		if old.Count == 0 && v.Count > 0 {
			d.Converters++
		}
		d.Count += v.Count - old.Count
		d.CountSq += v.Count*v.Count - old.Count*old.Count
		d.Sum += v.Sum - old.Sum
		d.SumSq += v.Sum*v.Sum - old.Sum*old.Sum
		deltas[c] = d
	}
	return values, deltas
}

// CampaignCell is one row of the campaign reach rollup.
type CampaignCell struct {
	Campaign, Variant, Device, Channel string
	Day                                time.Time
}

// CampaignUnit is a unit reached by a campaign's variant on a day: the
// set reach is counted from (a unit counts once per day and variant, on
// the device and channel it was first reached on that day).
type CampaignUnit struct {
	CampaignCell
	Unit string
}

// CampaignExposuresOf reads the campaign exposures of decision records:
// the distinct (campaign, variant, day, unit) reached, in time order, and
// the exposures (blocks shown) per cell. A held-out block reaches no one:
// the person was shown the default.
func CampaignExposuresOf(ds []Decision, unit map[string]string) ([]CampaignUnit, map[CampaignCell]int64) {
	sorted := slices.Clone(ds)
	slices.SortStableFunc(sorted, func(a, b Decision) int { return a.Time.Compare(b.Time) })
	type key struct {
		campaign, variant, unit string
		day                     time.Time
	}
	seen := map[key]bool{}
	var units []CampaignUnit
	exposures := map[CampaignCell]int64{}
	for _, d := range sorted {
		u := unitOf(unit, d.VisitorID)
		for _, b := range d.Blocks {
			if b.Campaign == "" || b.HeldOut() {
				continue
			}
			c := CampaignCell{Campaign: b.Campaign, Variant: b.Variant, Device: d.Device, Channel: d.Channel, Day: d.Day()}
			exposures[c]++
			k := key{b.Campaign, b.Variant, u, c.Day}
			if d.VisitorID != "" && !seen[k] { // no visitor: shown, but reaches no one we can count
				seen[k] = true
				units = append(units, CampaignUnit{CampaignCell: c, Unit: u})
			}
		}
	}
	return units, exposures
}

// ViewCell is one row of the views rollup: an entry a view event named,
// on a day.
type ViewCell struct {
	Entry string
	Day   time.Time
}

// EntryViews counts view events that name an entry, per entry and day.
// Views naming a decision are not counted here: their decision record
// says what was shown.
func EntryViews(events []Event) map[ViewCell]int64 {
	out := map[ViewCell]int64{}
	for _, e := range events {
		if e.Type == TypeView && e.Entry != "" {
			out[ViewCell{Entry: e.Entry, Day: e.Day()}]++
		}
	}
	return out
}

// SortedKeys returns m's keys in an order fixed by cmp: writers update
// rollup rows in one order, so two transactions never wait on each other
// in a cycle.
func SortedKeys[K comparable, V any](m map[K]V, compare func(a, b K) int) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, compare)
	return keys
}

// CompareMetricCells orders metric cells (SortedKeys).
func CompareMetricCells(a, b MetricCell) int {
	return cmp.Or(cmp.Compare(a.Experiment, b.Experiment), cmp.Compare(a.Arm, b.Arm), cmp.Compare(a.Event, b.Event),
		cmp.Compare(a.WindowHours, b.WindowHours), cmp.Compare(a.Device, b.Device), cmp.Compare(a.Channel, b.Channel),
		cmp.Compare(a.Locale, b.Locale), a.Day.Compare(b.Day))
}

// CompareExposureCells orders exposure cells (SortedKeys).
func CompareExposureCells(a, b ExposureCell) int {
	return cmp.Or(cmp.Compare(a.Experiment, b.Experiment), cmp.Compare(a.Arm, b.Arm), cmp.Compare(a.Device, b.Device),
		cmp.Compare(a.Channel, b.Channel), cmp.Compare(a.Locale, b.Locale), a.Day.Compare(b.Day))
}

// CompareCampaignCells orders campaign cells (SortedKeys).
func CompareCampaignCells(a, b CampaignCell) int {
	return cmp.Or(cmp.Compare(a.Campaign, b.Campaign), cmp.Compare(a.Variant, b.Variant), cmp.Compare(a.Device, b.Device),
		cmp.Compare(a.Channel, b.Channel), a.Day.Compare(b.Day))
}

// CompareUnitKeys orders unit keys (SortedKeys).
func CompareUnitKeys(a, b UnitKey) int {
	return cmp.Or(cmp.Compare(a.Experiment, b.Experiment), cmp.Compare(a.Unit, b.Unit), cmp.Compare(a.Event, b.Event),
		cmp.Compare(a.WindowHours, b.WindowHours))
}

// unitOf is the visitor's unit in m, or the visitor id when m lacks it.
func unitOf(m map[string]string, visitor string) string {
	if u, ok := m[visitor]; ok && u != "" {
		return u
	}
	return visitor
}
