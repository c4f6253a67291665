package postgres

import (
	"context"
	"encoding/binary"
	"fmt"
	"math/bits"
	"math/rand/v2"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/mosaichq/mosaic/measurement/report"
)

// A funnel looks up two things for each of its rows (2.3 M at 5 M
// events): the steps its name id matches and the person its visitor id
// belongs to. Through Go maps these two look-ups were the largest share
// of the funnel's Go CPU (~0.25 s of ~1.1 s at 5 M events, mostly cache
// misses on the person map's 188,600 entries); the types here answer
// them from a slice and, for the person, a table built for it.

// funnelMatches is the steps each name id a funnel reads matches.
type funnelMatches struct {
	ids    []int32
	dense  []uint32         // by id, when ids are small (they are serial)
	sparse map[int32]uint32 // otherwise
}

// funnelDenseIDs bounds the ids funnelMatches holds in a slice.
const funnelDenseIDs = 1 << 16

func (m *funnelMatches) of(id int32) uint32 {
	if m.sparse != nil {
		return m.sparse[id]
	}
	if uint32(id) < uint32(len(m.dense)) {
		return m.dense[id]
	}
	return 0
}

// funnelNameMatches reads the name ids q reads, with the steps each
// matches.
func funnelNameMatches(ctx context.Context, tx pgx.Tx, q report.FunnelScan, names, entries []string) (funnelMatches, error) {
	var out funnelMatches
	rows, err := tx.Query(ctx, sqlFunnelNames, names, entries)
	if err != nil {
		return out, err
	}
	at := func(list []string, match []uint32, key string) uint32 {
		if i := slices.Index(list, key); i >= 0 && i < len(match) {
			return match[i]
		}
		return 0
	}
	byID := map[int32]uint32{}
	var id int32
	var typ, name string
	_, err = pgx.ForEachRow(rows, []any{&id, &typ, &name}, func() error {
		if typ == "view" {
			byID[id] = at(q.Names, q.NameMatch, "view") | at(q.Entries, q.EntryMatch, name)
		} else {
			byID[id] = at(q.Names, q.NameMatch, name)
		}
		out.ids = append(out.ids, id)
		return nil
	})
	if err != nil {
		return out, err
	}
	if len(out.ids) > 0 && slices.Min(out.ids) >= 0 && slices.Max(out.ids) < funnelDenseIDs {
		out.dense = make([]uint32, slices.Max(out.ids)+1)
		for id, m := range byID {
			out.dense[id] = m
		}
	} else {
		out.sparse = byID
	}
	return out, nil
}

// funnelPersonMap maps every identity member's visitor id hash to its
// cluster's; any other visitor id is a person of its own. It is an open
// addressing table of (member, cluster) pairs, probed linearly from a
// slot picked by a seeded multiplicative hash, at most half full: a
// look-up reads one cache line, most often, where a Go map read two
// (microbenchmark, 2.3 M look-ups in 188,600 members: ~2x faster than a
// Go map behind a bitset of them, ~3x faster than the map alone). The
// seed keeps visitor ids chosen to collide from piling into one run.
type funnelPersonMap struct {
	slots   []uint64 // member, cluster; member 0 is an empty slot
	shift   uint
	seed    uint64
	zero    uint64 // the cluster of member 0, if hasZero
	hasZero bool
}

func (m *funnelPersonMap) slot(visitor uint64) uint64 {
	return ((visitor ^ m.seed) * 0x9e3779b97f4a7c15) >> m.shift
}

func (m *funnelPersonMap) unit(visitor uint64) uint64 {
	if visitor == 0 {
		if m.hasZero {
			return m.zero
		}
		return visitor
	}
	mask := uint64(len(m.slots)/2 - 1)
	for i := m.slot(visitor); ; i = (i + 1) & mask {
		switch m.slots[2*i] {
		case visitor:
			return m.slots[2*i+1]
		case 0:
			return visitor
		}
	}
}

func newFunnelPersonMap(members map[uint64]uint64) funnelPersonMap {
	bits := uint(max(4, bits.Len(uint(len(members))*2)))
	m := funnelPersonMap{slots: make([]uint64, 2<<bits), shift: 64 - bits, seed: rand.Uint64()}
	mask := uint64(1)<<bits - 1
	for visitor, cluster := range members {
		if visitor == 0 {
			m.zero, m.hasZero = cluster, true
			continue
		}
		i := m.slot(visitor)
		for m.slots[2*i] != 0 {
			i = (i + 1) & mask
		}
		m.slots[2*i], m.slots[2*i+1] = visitor, cluster
	}
	return m
}

// readFunnelPersons reads every identity member's visitor id hash and
// its cluster's.
func readFunnelPersons(ctx context.Context, tx pgx.Tx) (funnelPersonMap, error) {
	rows, err := tx.Query(ctx, sqlFunnelMembers)
	if err != nil {
		return funnelPersonMap{}, err
	}
	defer rows.Close()
	if err := binaryColumns(rows, 2); err != nil {
		return funnelPersonMap{}, err
	}
	out := map[uint64]uint64{}
	for rows.Next() {
		v := rows.RawValues()
		if len(v[0]) != 8 || len(v[1]) != 8 {
			return funnelPersonMap{}, fmt.Errorf("an identity member of unexpected widths %d, %d", len(v[0]), len(v[1]))
		}
		out[binary.BigEndian.Uint64(v[0])] = binary.BigEndian.Uint64(v[1])
	}
	if err := rows.Err(); err != nil {
		return funnelPersonMap{}, err
	}
	return newFunnelPersonMap(out), nil
}
