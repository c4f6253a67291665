package postgres

import (
	"errors"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/mosaichq/mosaic/measurement/report"
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
		if err := walkFunnelRows([][]funnelRow{held[:n/3], held[n/3:]}, &counts, func(r funnelRow) error { got = append(got, r); return nil }); err != nil {
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
			err := walkFunnelRows([][]funnelRow{held[:n/3], held[n/3:]}, &counts, func(funnelRow) error {
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

// BenchmarkFunnelOrder: ordering 2.3 M rows of 900,000 people (the 5 M-
// event bench's matching rows) for the walk: one sort of them all, as
// before, against the buckets sorted beside the walk.
func BenchmarkFunnelOrder(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	units := make([]uint64, 900_000)
	for i := range units {
		units[i] = rng.Uint64()
	}
	held := make([]funnelRow, 2_300_000)
	var counts [funnelBuckets]int
	for i := range held {
		u := units[rng.IntN(len(units))]
		held[i] = funnelRow{unit: u, visitor: u, time: rng.Int64N(1 << 40)}
		counts[funnelBucket(u)]++
	}
	var sink uint64
	visit := func(r funnelRow) error { sink += r.unit; return nil }
	b.Run("one-sort", func(b *testing.B) {
		for b.Loop() {
			rows := slices.Clone(held)
			slices.SortFunc(rows, compareFunnelRows)
			for _, r := range rows {
				_ = visit(r)
			}
		}
	})
	b.Run("buckets", func(b *testing.B) {
		for b.Loop() {
			rows := slices.Clone(held)
			_ = walkFunnelRows([][]funnelRow{rows}, &counts, visit)
		}
	})
}

// The parts' contexts become one list, each row still naming its own.
func TestMergeFunnelContexts(t *testing.T) {
	phone, laptop, tablet := report.Context{Device: "phone"}, report.Context{Device: "laptop"}, report.Context{Device: "tablet"}
	parts := []funnelPart{
		{contexts: []report.Context{{}, phone, laptop}, chunks: [][]funnelRow{{{context: 1}, {context: 2}}, {{context: 0}}}},
		{contexts: []report.Context{{}, tablet, phone}, chunks: [][]funnelRow{{{context: 2}, {context: 1}, {context: 0}}}},
	}
	want := [][]report.Context{{phone, laptop, {}}, {phone, tablet, {}}}
	contexts := mergeFunnelContexts(parts)
	if len(contexts) != 4 {
		t.Fatalf("%d contexts, want 4: %v", len(contexts), contexts)
	}
	for p := range parts {
		for i, row := range slices.Concat(parts[p].chunks...) {
			if got := contexts[row.context]; got != want[p][i] {
				t.Errorf("part %d row %d: %v, want %v", p, i, got, want[p][i])
			}
		}
	}
}
