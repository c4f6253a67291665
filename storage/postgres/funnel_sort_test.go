package postgres

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"testing"
)

// heldOf splits rows into two read parts' chunks, with their counts.
func heldOf(rows []funnelRow) []funnelHeld {
	split := [][]funnelRow{rows[:len(rows)/3], rows[len(rows)/3:]}
	held := make([]funnelHeld, len(split))
	for i, part := range split {
		held[i] = funnelHeld{counts: new([funnelBuckets]int)}
		for len(part) > 0 { // chunks of 1,000 rows
			n := min(len(part), 1000)
			held[i].chunks = append(held[i].chunks, part[:n])
			part = part[n:]
		}
		for _, row := range split[i] {
			held[i].counts[funnelBucket(row.unit)]++
		}
	}
	return held
}

// The bucketed sort hands rows over, walker after walker, in the order
// one sort of them all by (unit, time) gives, each unit to one walker
// only, skewed buckets and a stopped walk included.
func TestFunnelWalkRowsOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, walkers := range []int{1, 2, 3} {
		for _, n := range []int{0, 1, 7, 200_000} {
			held := make([]funnelRow, n)
			for i := range held {
				unit := rng.Uint64()
				switch i % 3 {
				case 0:
					unit = uint64(rng.IntN(50)) // many rows in bucket 0
				case 1:
					unit = 1<<63 + uint64(rng.IntN(50)) // and at the walkers' border
				}
				held[i] = funnelRow{unit: unit, visitor: uint64(i), time: rng.Int64N(1000)}
			}
			want := slices.Clone(held)
			slices.SortStableFunc(want, compareFunnelRows)
			byWalker := make([][]funnelRow, walkers)
			if err := walkFunnelRows(heldOf(slices.Clone(held)), walkers, func(w int, r funnelRow) error {
				byWalker[w] = append(byWalker[w], r)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			got := slices.Concat(byWalker...)
			if len(got) != n {
				t.Fatalf("walkers=%d n=%d: walked %d rows", walkers, n, len(got))
			}
			for i := range got {
				if compareFunnelRows(got[i], want[i]) != 0 {
					t.Fatalf("walkers=%d n=%d: row %d is %+v, want (unit, time) of %+v", walkers, n, i, got[i], want[i])
				}
			}
			seen := map[uint64]int{}
			for w, rows := range byWalker {
				for _, r := range rows {
					if v, ok := seen[r.unit]; ok && v != w {
						t.Fatalf("walkers=%d n=%d: unit %d walked by %d and %d", walkers, n, r.unit, v, w)
					}
					seen[r.unit] = w
				}
			}
			slices.SortFunc(got, func(a, b funnelRow) int { return int(a.visitor) - int(b.visitor) })
			for i := range got {
				if got[i] != held[i] {
					t.Fatalf("walkers=%d n=%d: row %d changed or lost", walkers, n, i)
				}
			}
			if n > 0 {
				stop := errors.New("stop")
				var seenRows atomic.Int64
				err := walkFunnelRows(heldOf(slices.Clone(held)), walkers, func(int, funnelRow) error {
					if seenRows.Add(1) == int64(n/2+1) {
						return stop
					}
					return nil
				})
				if !errors.Is(err, stop) || seenRows.Load() >= int64(n) && n > 1 {
					t.Fatalf("walkers=%d n=%d: a stopped walk returned %v after %d rows", walkers, n, err, seenRows.Load())
				}
			}
		}
	}
}

// BenchmarkFunnelOrder: ordering 2.3 M rows of 900,000 people (the 5 M-
// event bench's matching rows) for the walk: one sort of them all
// against the buckets, on one walker and on two.
func BenchmarkFunnelOrder(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	units := make([]uint64, 900_000)
	for i := range units {
		units[i] = rng.Uint64()
	}
	held := make([]funnelRow, 2_300_000)
	for i := range held {
		u := units[rng.IntN(len(units))]
		held[i] = funnelRow{unit: u, visitor: u, time: rng.Int64N(1 << 40)}
	}
	var sink [2]uint64
	b.Run("one-sort", func(b *testing.B) {
		for b.Loop() {
			rows := slices.Clone(held)
			slices.SortFunc(rows, compareFunnelRows)
			for _, r := range rows {
				sink[0] += r.unit
			}
		}
	})
	for _, walkers := range []int{1, 2} {
		b.Run(fmt.Sprintf("buckets/walkers=%d", walkers), func(b *testing.B) {
			for b.Loop() {
				_ = walkFunnelRows(heldOf(slices.Clone(held)), walkers, func(w int, r funnelRow) error { sink[w] += r.unit; return nil })
			}
		})
	}
}
