package postgres

import (
	"errors"
	"math/rand/v2"
	"slices"
	"testing"
)

// The bucketed, concurrent sort hands rows over in the order one sort of
// them all by (unit, time) gives, skewed buckets and a stopped walk
// included.
func TestFunnelWalkRowsOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 7, 200_000} {
		held := make([]funnelRow, n)
		var counts [funnelBuckets]int
		for i := range held {
			unit := rng.Uint64()
			if i%3 == 0 {
				unit = uint64(rng.IntN(50)) // many rows in bucket 0
			}
			held[i] = funnelRow{unit: unit, visitor: uint64(i), time: rng.Int64N(1000)}
			counts[funnelBucket(unit)]++
		}
		want := slices.Clone(held)
		slices.SortStableFunc(want, compareFunnelRows)
		var got []funnelRow
		if err := walkFunnelRows(held, &counts, func(r funnelRow) error { got = append(got, r); return nil }); err != nil {
			t.Fatal(err)
		}
		if len(got) != n {
			t.Fatalf("n=%d: walked %d rows", n, len(got))
		}
		for i := range got {
			if compareFunnelRows(got[i], want[i]) != 0 {
				t.Fatalf("n=%d: row %d is %+v, want (unit, time) of %+v", n, i, got[i], want[i])
			}
		}
		slices.SortFunc(got, func(a, b funnelRow) int { return int(a.visitor) - int(b.visitor) })
		for i := range got {
			if got[i] != held[i] {
				t.Fatalf("n=%d: row %d changed or lost", n, i)
			}
		}
		if n > 0 {
			stop := errors.New("stop")
			seen := 0
			err := walkFunnelRows(held, &counts, func(funnelRow) error {
				seen++
				if seen == n/2+1 {
					return stop
				}
				return nil
			})
			if !errors.Is(err, stop) || seen != n/2+1 {
				t.Fatalf("n=%d: a stopped walk returned %v after %d rows", n, err, seen)
			}
		}
	}
}
