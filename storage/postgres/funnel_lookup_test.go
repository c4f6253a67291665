package postgres

import (
	"math/rand/v2"
	"testing"
)

// The person table answers as the map it is built from: a member's
// cluster, any other visitor id itself (zero and colliding slots too).
func TestFunnelPersonMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, n := range []int{0, 1, 5, 10_000} {
		members := map[uint64]uint64{}
		for i := range n {
			members[rng.Uint64()] = rng.Uint64()
			if i == 2 {
				members[0] = 42
			}
		}
		var pairs [][2]uint64
		for k, v := range members {
			pairs = append(pairs, [2]uint64{k, v})
		}
		m := funnelTableOf(pairs)
		for visitor, cluster := range members {
			if got := m.unit(visitor); got != cluster {
				t.Fatalf("n=%d: member %d is in %d, want %d", n, visitor, got, cluster)
			}
		}
		for range 10_000 {
			v := rng.Uint64()
			if _, ok := members[v]; ok {
				continue
			}
			if got := m.unit(v); got != v {
				t.Fatalf("n=%d: visitor %d, no member, is in %d", n, v, got)
			}
		}
		if _, ok := members[0]; !ok && m.unit(0) != 0 {
			t.Fatalf("n=%d: visitor 0, no member, is in %d", n, m.unit(0))
		}
	}
}
