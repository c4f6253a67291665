package report

import (
	"cmp"
	"context"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mosaichq/mosaic/errs"
)

// Funnel bounds: steps per funnel, the range of first steps (raw events
// are read), the longest window.
const (
	MinFunnelSteps    = 2
	MaxFunnelSteps    = 10
	MaxFunnelRange    = 31 * 24 * time.Hour
	MaxFunnelWindow   = 30 * 24 * time.Hour
	DefaultFunnelDays = 7
	// MaxFunnelEvents bounds the events one funnel reads: a store may
	// hold them in memory to sort them by person.
	MaxFunnelEvents = 10_000_000
)

// DefaultFunnelWindow is the window funnels take by default.
const DefaultFunnelWindow = 24 * time.Hour

// FunnelEvent is one raw event a funnel may use: whose (Unit, the person;
// Visitor, the visitor id, i.e. the device — a store may hand out hashes
// of them), when, and which steps it matches (bit i: step i). Context is
// the visitor id's, when asked; only a first step's is used (a funnel is
// grouped by its first step's), so a store may leave it empty on events
// that do not match the first step.
type FunnelEvent struct {
	Unit, Visitor uint64
	Time          time.Time
	Match         uint32
	Context       Context
}

// FunnelScan is what a funnel reads: events in [From, To) that are
// conversions or track events named one of Names, views when Names holds
// "view", and views of Entries. NameMatch[i] are the steps (bits) an
// event named Names[i] matches ("view" for any view), EntryMatch[i] those
// a view of Entries[i] matches besides.
type FunnelScan struct {
	From, To    time.Time
	Names       []string
	NameMatch   []uint32
	Entries     []string
	EntryMatch  []uint32
	WithContext bool
}

// FunnelStore reads raw events for funnels.
type FunnelStore interface {
	// FunnelEvents calls visit with q's events ordered by unit, then
	// time, and returns how many it read.
	FunnelEvents(ctx context.Context, q FunnelScan, visit func(FunnelEvent) error) (int64, error)
}

// FunnelPartsStore is a FunnelStore that hands events to several walks
// at once, one per core: a funnel's Go CPU is mostly per event.
type FunnelPartsStore interface {
	FunnelStore
	// FunnelEventParts is FunnelEvents with visit called from up to parts
	// goroutines at once, each with its own part in [0, parts): a part's
	// events come ordered by unit, then time, and all of a unit's events
	// go to one part.
	FunnelEventParts(ctx context.Context, q FunnelScan, parts int, visit func(part int, e FunnelEvent) error) (int64, error)
}

// funnelWalkers is how many walks a FunnelPartsStore feeds at once.
var funnelWalkers = max(1, runtime.GOMAXPROCS(0))

// FunnelQuery is what funnel asks.
type FunnelQuery struct {
	Steps []string
	// Window as given ("" is DefaultFunnelWindow).
	Window string
	// From and To bound first steps, [From, To); zero: the defaults.
	From, To  time.Time
	Breakdown Breakdown
}

// FunnelStepResult is one step of a group.
type FunnelStepResult struct {
	Event string
	// People reached it; CrossDevice of them on another visitor id than
	// the step before.
	People, CrossDevice int64
	// MedianSecondsFromPrevious is meaningful from the second step on,
	// when People > 0.
	MedianSecondsFromPrevious float64
}

// FunnelGroup is the funnels of one context of first steps (or all).
type FunnelGroup struct {
	Context Context
	// People did the first step; CrossDevice of their funnels crossed
	// visitor ids.
	People, CrossDevice int64
	Steps               []FunnelStepResult
}

// FunnelReport is a funnel, overall and per group.
type FunnelReport struct {
	Steps      []string
	Window     string
	From, To   time.Time
	Breakdown  Breakdown
	Total      FunnelGroup
	Groups     []FunnelGroup
	Scanned    int64
	ComputedAt time.Time
}

// ParseFunnelWindow reads "30m", "2h", "7d" (or "1h30m"): more than 0, at
// most MaxFunnelWindow.
func ParseFunnelWindow(s string) (time.Duration, error) {
	if s == "" {
		return DefaultFunnelWindow, nil
	}
	var d time.Duration
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil {
			return 0, badWindow(s)
		}
		d = time.Duration(days) * 24 * time.Hour
	} else {
		var err error
		if d, err = time.ParseDuration(s); err != nil {
			return 0, badWindow(s)
		}
	}
	if d <= 0 || d > MaxFunnelWindow {
		return 0, badWindow(s)
	}
	return d, nil
}

func badWindow(s string) error {
	return errs.Invalid("invalid window", errs.FieldError{Path: "window",
		Message: fmt.Sprintf("must be a duration from 1s to 30d such as 30m, 24h or 7d; got %q", s)})
}

// step is one parsed funnel step.
type step struct {
	name  string // a goal or track name; "view" for views
	entry string // view:<entry>
}

func parseSteps(steps []string) ([]step, error) {
	bad := func(msg string, args ...any) error {
		return errs.Invalid("invalid steps", errs.FieldError{Path: "steps", Message: fmt.Sprintf(msg, args...)})
	}
	if len(steps) < MinFunnelSteps || len(steps) > MaxFunnelSteps {
		return nil, bad("a funnel has %d to %d steps; got %d", MinFunnelSteps, MaxFunnelSteps, len(steps))
	}
	out := make([]step, len(steps))
	for i, s := range steps {
		switch {
		case strings.TrimSpace(s) == "" || len(s) > 200:
			return nil, bad("step %d must be an event name of 1 to 200 characters", i+1)
		case strings.HasPrefix(s, "view:"):
			if s == "view:" {
				return nil, bad("step %d: view: needs an entry, e.g. view:home", i+1)
			}
			out[i] = step{name: "view", entry: strings.TrimPrefix(s, "view:")}
		default:
			out[i] = step{name: s}
		}
	}
	return out, nil
}

// Funnel reads the steps' raw events and walks each person's funnel.
func (s *Service) Funnel(ctx context.Context, q FunnelQuery) (FunnelReport, error) {
	steps, err := parseSteps(q.Steps)
	if err != nil {
		return FunnelReport{}, err
	}
	window, err := ParseFunnelWindow(q.Window)
	if err != nil {
		return FunnelReport{}, err
	}
	from, to := q.From.UTC(), q.To.UTC()
	if q.To.IsZero() {
		to = s.now()
	}
	if q.From.IsZero() {
		from = to.AddDate(0, 0, -DefaultFunnelDays)
	}
	switch {
	case !to.After(from):
		return FunnelReport{}, errs.Invalid("invalid range", errs.FieldError{Path: "to", Message: "must be after from"})
	case to.Sub(from) > MaxFunnelRange:
		return FunnelReport{}, errs.Invalid("invalid range", errs.FieldError{Path: "to",
			Message: "the range is at most 31 days: funnels read raw events"})
	}
	st, ok := s.Store.(FunnelStore)
	if !ok {
		return FunnelReport{}, errs.E(errs.ServiceUnavailable, "this store cannot read events")
	}
	scan := scanOf(steps)
	scan.From, scan.To, scan.WithContext = from, to.Add(window), len(q.Breakdown.Dimensions()) > 0
	w := newFunnelWalk(steps, window, from, to, q.Breakdown)
	var scanned int64
	if parts, ok := st.(FunnelPartsStore); ok {
		walks := make([]*funnelWalk, funnelWalkers)
		walks[0] = w
		for i := 1; i < len(walks); i++ {
			walks[i] = newFunnelWalk(steps, window, from, to, q.Breakdown)
		}
		scanned, err = parts.FunnelEventParts(ctx, scan, len(walks), func(part int, e FunnelEvent) error { return walks[part].add(e) })
		for _, o := range walks[1:] {
			o.flush()
			w.merge(o)
		}
	} else {
		scanned, err = st.FunnelEvents(ctx, scan, w.add)
	}
	if err != nil {
		return FunnelReport{}, err
	}
	w.flush()
	total, groups := w.result()
	return FunnelReport{Steps: slices.Clone(q.Steps), Window: cmp.Or(q.Window, WindowName(DefaultFunnelWindow)), From: from, To: to, Breakdown: q.Breakdown,
		Total: total, Groups: groups, Scanned: scanned, ComputedAt: s.now()}, nil
}

// scanOf lists the names and entries steps read, with the steps each
// matches.
func scanOf(steps []step) FunnelScan {
	var scan FunnelScan
	add := func(list *[]string, match *[]uint32, key string, bit uint32) {
		if i := slices.Index(*list, key); i >= 0 {
			(*match)[i] |= bit
			return
		}
		*list, *match = append(*list, key), append(*match, bit)
	}
	for i, st := range steps {
		if st.entry != "" {
			add(&scan.Entries, &scan.EntryMatch, st.entry, 1<<i)
		} else {
			add(&scan.Names, &scan.NameMatch, st.name, 1<<i)
		}
	}
	return scan
}
