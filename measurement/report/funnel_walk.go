package report

import (
	"math/bits"
	"slices"
	"time"
)

// funnelWalk computes funnels from events streamed per person (ordered by
// unit, then time): one person's events are held at a time.
type funnelWalk struct {
	steps     []step
	window    time.Duration
	from, to  time.Time
	breakdown Breakdown

	unit   uint64
	events []FunnelEvent
	// path and best are walk's buffers, reused from person to person.
	path, best []FunnelEvent
	grouped    bool

	total  *groupAcc
	groups map[Context]*groupAcc
}

// groupAcc accumulates one group's funnels.
type groupAcc struct {
	people, crossed int64
	reached, cross  []int64
	// seconds from the previous step, per step (index 0 unused)
	seconds [][]float64
}

func newGroupAcc(n int) *groupAcc {
	return &groupAcc{reached: make([]int64, n), cross: make([]int64, n), seconds: make([][]float64, n)}
}

func newFunnelWalk(steps []step, window time.Duration, from, to time.Time, b Breakdown) *funnelWalk {
	return &funnelWalk{steps: steps, window: window, from: from, to: to, breakdown: b, grouped: len(b.Dimensions()) > 0,
		total: newGroupAcc(len(steps)), groups: map[Context]*groupAcc{}}
}

// merge adds o's flushed funnels to w's: o walked other people.
func (w *funnelWalk) merge(o *funnelWalk) {
	w.total.merge(o.total)
	for c, a := range o.groups {
		if g := w.groups[c]; g != nil {
			g.merge(a)
		} else {
			w.groups[c] = a
		}
	}
}

func (a *groupAcc) merge(o *groupAcc) {
	a.people += o.people
	a.crossed += o.crossed
	for k := range a.reached {
		a.reached[k] += o.reached[k]
		a.cross[k] += o.cross[k]
		a.seconds[k] = append(a.seconds[k], o.seconds[k]...)
	}
}

// add takes the next event (FunnelStore order).
func (w *funnelWalk) add(e FunnelEvent) error {
	if e.Unit != w.unit {
		w.flush()
		w.unit = e.Unit
	}
	w.events = append(w.events, e)
	return nil
}

// flush walks the held person's events.
func (w *funnelWalk) flush() {
	if len(w.events) == 0 {
		return
	}
	path := w.walk(w.events)
	w.events = w.events[:0]
	if len(path) == 0 {
		return
	}
	accs := [2]*groupAcc{w.total}
	if w.grouped {
		ctx := w.contextOf(path[0])
		g := w.groups[ctx]
		if g == nil {
			g = newGroupAcc(len(w.steps))
			w.groups[ctx] = g
		}
		accs[1] = g
	}
	crossed := false
	for k := 1; k < len(path); k++ {
		if path[k].Visitor != path[k-1].Visitor {
			crossed = true
		}
	}
	for _, a := range accs {
		if a == nil {
			continue
		}
		a.people++
		if crossed {
			a.crossed++
		}
		for k, e := range path {
			a.reached[k]++
			if k > 0 {
				if e.Visitor != path[k-1].Visitor {
					a.cross[k]++
				}
				a.seconds[k] = append(a.seconds[k], e.Time.Sub(path[k-1].Time).Seconds())
			}
		}
	}
}

func (w *funnelWalk) contextOf(e FunnelEvent) Context {
	var c Context
	if w.breakdown.Device {
		c.Device = e.Context.Device
	}
	if w.breakdown.Channel {
		c.Channel = e.Context.Channel
	}
	if w.breakdown.Locale {
		c.Locale = e.Context.Locale
	}
	return c
}

// walk returns the events of the person's furthest attempt (the earliest
// among equals), one per step reached; nil when no first step falls in
// [from, to). An attempt starts at a first step in the range and takes,
// step after step, the earliest matching event after the previous step's
// (at its time or later, later in order) and within window of the first:
// taking the earliest never reaches fewer steps than a later choice.
func (w *funnelWalk) walk(events []FunnelEvent) []FunnelEvent {
	// Equal times: the event matching the earlier step first, so a batch
	// sent with one timestamp still reads in funnel order.
	slices.SortStableFunc(events, func(a, b FunnelEvent) int {
		if c := a.Time.Compare(b.Time); c != 0 {
			return c
		}
		return bits.TrailingZeros32(a.Match) - bits.TrailingZeros32(b.Match)
	})
	best, path := w.best[:0], w.path[:0]
	defer func() { w.best, w.path = best[:0], path[:0] }()
	for i, e := range events {
		if e.Match&1 == 0 || e.Time.Before(w.from) || !e.Time.Before(w.to) {
			continue
		}
		path = append(path[:0], e)
		end := e.Time.Add(w.window)
		for j := i + 1; j < len(events) && len(path) < len(w.steps); j++ {
			n := events[j]
			if n.Time.After(end) {
				break
			}
			bit := uint32(1) << len(path)
			if n.Match&bit == 0 {
				continue
			}
			// At one instant, the event on the previous step's visitor id
			// comes first: a tie says nothing of a change of device (and
			// the answer must not depend on the store's order of ties).
			prev := path[len(path)-1].Visitor
			for k := j + 1; k < len(events) && n.Visitor != prev && events[k].Time.Equal(n.Time); k++ {
				if events[k].Match&bit != 0 && events[k].Visitor == prev {
					events[j], events[k] = events[k], events[j]
					n = events[j]
				}
			}
			path = append(path, n)
		}
		if len(path) > len(best) {
			best = append(best[:0], path...)
			if len(best) == len(w.steps) {
				break
			}
		}
	}
	return best
}

// result is the total and the groups in context order.
func (w *funnelWalk) result() (FunnelGroup, []FunnelGroup) {
	total := w.group(Context{}, w.total)
	groups := make([]FunnelGroup, 0, len(w.groups))
	for c, a := range w.groups {
		groups = append(groups, w.group(c, a))
	}
	slices.SortFunc(groups, func(a, b FunnelGroup) int { return compareContexts(a.Context, b.Context) })
	return total, groups
}

func (w *funnelWalk) group(c Context, a *groupAcc) FunnelGroup {
	g := FunnelGroup{Context: c, People: a.people, CrossDevice: a.crossed, Steps: make([]FunnelStepResult, len(w.steps))}
	for k, st := range w.steps {
		name := st.name
		if st.entry != "" {
			name = "view:" + st.entry
		}
		r := FunnelStepResult{Event: name, People: a.reached[k], CrossDevice: a.cross[k]}
		if k > 0 && len(a.seconds[k]) > 0 {
			r.MedianSecondsFromPrevious = median(a.seconds[k])
		}
		g.Steps[k] = r
	}
	return g
}

// median of s (non-empty); s is sorted in place.
func median(s []float64) float64 {
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
