package postgres

import (
	"cmp"
	"slices"
)

// A funnel's rows are ordered by person then time in two steps instead
// of one comparison sort of them all (2.3 M rows at 5 M events): rows
// are counted by their person hash's top funnelBucketBits bits while
// they are read, scattered into those buckets (one pass; a person's rows
// share a bucket, and a cluster's hash is as uniform as a visitor id's),
// and each bucket — ~35 rows at 2.3 M — is sorted by another goroutine
// while this one walks the buckets already sorted: the machine's second
// core sorts while the first walks.
const (
	funnelBucketBits = 16
	funnelBuckets    = 1 << funnelBucketBits
	// funnelChunk buckets are sorted between two hand-overs to the walk.
	funnelChunk = 1024
)

func funnelBucket(unit uint64) int { return int(unit >> (64 - funnelBucketBits)) }

func compareFunnelRows(a, b funnelRow) int {
	if a.unit != b.unit {
		return cmp.Compare(a.unit, b.unit)
	}
	return cmp.Compare(a.time, b.time)
}

// walkFunnelRows calls visit on held's rows (all lists') ordered by
// unit then time; counts[b] is how many of them are in bucket b. held's
// lists are left as they were, and let go once scattered; visit's error
// stops the walk and the sorting.
func walkFunnelRows(held [][]funnelRow, counts *[funnelBuckets]int, visit func(funnelRow) error) error {
	var starts [funnelBuckets + 1]int
	for b, n := range counts {
		starts[b+1] = starts[b] + n
	}
	if starts[funnelBuckets] == 0 {
		return nil
	}
	sorted := make([]funnelRow, starts[funnelBuckets])
	next := starts
	for i, rows := range held {
		for _, row := range rows {
			b := funnelBucket(row.unit)
			sorted[next[b]] = row
			next[b]++
		}
		held[i] = nil
	}
	// Sorting hands over how many of sorted's rows are final; a send
	// orders the chunk's writes before the walk's reads.
	ready := make(chan int, funnelBuckets/funnelChunk)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		defer close(ready)
		for lo := 0; lo < funnelBuckets; lo += funnelChunk {
			for b := lo; b < lo+funnelChunk; b++ {
				if bucket := sorted[starts[b]:starts[b+1]]; len(bucket) > 1 {
					slices.SortFunc(bucket, compareFunnelRows)
				}
			}
			select {
			case ready <- starts[lo+funnelChunk]:
			case <-stop:
				return
			}
		}
	}()
	done := 0
	for end := range ready {
		for _, row := range sorted[done:end] {
			if err := visit(row); err != nil {
				return err
			}
		}
		done = end
	}
	return nil
}
