package recommend

import "time"

// Windows are counted in whole buckets: hours for windows up to a day,
// days beyond, up to MaxWindow. A window of n buckets is the current
// bucket and the n−1 before it, so "24h" at 10:20 counts from 11:00 the
// day before: at most one bucket more than the window, never less.
const (
	hourBuckets = 24
	dayBuckets  = 31
	// MaxWindow is the longest popularity window (and how far back the
	// start-up rebuild reads).
	MaxWindow = 30 * 24 * time.Hour
)

// counts is one entry's views in one dimension: a ring of daily counts
// for the last month and, while the entry had views in the last day, one
// of hourly counts (most entries of a large catalogue have none: the ring
// is not kept for them). Slots are cleared lazily when time moves past
// them.
type counts struct {
	hour  int32 // the hour (Unix hours) of hours[hour%24]
	day   int32 // the day (Unix days) of days[day%31]
	hours *[hourBuckets]uint32
	days  [dayBuckets]uint32
}

func unixHour(t time.Time) int32 { return int32(t.Unix() / 3600) }
func unixDay(t time.Time) int32  { return int32(t.Unix() / 86400) }

// add counts one view at t; now is the engine's clock. A view older than
// a ring's span counts only in the rings that still hold its bucket.
func (c *counts) add(t, now time.Time) {
	h, d := unixHour(t), unixDay(t)
	advance(&c.day, c.days[:], d)
	if d > c.day-dayBuckets {
		c.days[mod(d, dayBuckets)]++
	}
	if h <= unixHour(now)-hourBuckets { // not in any hourly window now
		return
	}
	if c.hours == nil || c.hour <= unixHour(now)-hourBuckets {
		c.hours, c.hour = &[hourBuckets]uint32{}, h
	}
	advance(&c.hour, c.hours[:], h)
	if h > c.hour-hourBuckets {
		c.hours[mod(h, hourBuckets)]++
	}
}

// advance moves a ring whose newest bucket is *cur to bucket to, clearing
// the slots it passes; a bucket before the newest leaves it alone.
func advance(cur *int32, ring []uint32, to int32) {
	if to <= *cur {
		return
	}
	n := int32(len(ring))
	if to-*cur >= n {
		clear(ring)
	} else {
		for b := *cur + 1; b <= to; b++ {
			ring[mod(b, n)] = 0
		}
	}
	*cur = to
}

func mod(a, n int32) int32 { return ((a % n) + n) % n }

// sum is the views in window w ending at now (buckets: see above).
func (c *counts) sum(now time.Time, w time.Duration) uint64 {
	var total uint64
	if w <= 24*time.Hour {
		if c.hours == nil {
			return 0
		}
		n, end := int32(w/time.Hour), unixHour(now)
		for b := end - n + 1; b <= end; b++ {
			if b <= c.hour && b > c.hour-hourBuckets {
				total += uint64(c.hours[mod(b, hourBuckets)])
			}
		}
		return total
	}
	n, end := int32(w/(24*time.Hour)), unixDay(now)
	for b := end - n + 1; b <= end; b++ {
		if b <= c.day && b > c.day-dayBuckets {
			total += uint64(c.days[mod(b, dayBuckets)])
		}
	}
	return total
}

// ValidWindow says whether w is a popularity window: whole hours up to a
// day, or whole days up to MaxWindow.
func ValidWindow(w time.Duration) bool {
	switch {
	case w <= 0:
		return false
	case w <= 24*time.Hour:
		return w%time.Hour == 0
	default:
		return w%(24*time.Hour) == 0 && w <= MaxWindow
	}
}
