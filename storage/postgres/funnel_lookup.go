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

// funnelTable maps 64-bit hashes to values: identity members' visitor
// ids to their cluster's, visitor ids to their context. It is an open
// addressing table of (key, value) pairs, probed linearly from a slot
// picked by a seeded multiplicative hash, at most half full: a look-up
// reads one cache line, most often, where a Go map read two
// (microbenchmark, 2.3 M look-ups in 188,600 members: ~2x faster than a
// Go map behind a bitset of them, ~3x faster than the map alone). The
// seed keeps visitor ids chosen to collide from piling into one run.
type funnelTable struct {
	slots   []uint64 // key, value; key 0 is an empty slot
	shift   uint
	seed    uint64
	zero    uint64 // the value of key 0, if hasZero
	hasZero bool
}

func (m *funnelTable) slot(key uint64) uint64 {
	return ((key ^ m.seed) * 0x9e3779b97f4a7c15) >> m.shift
}

func (m *funnelTable) get(key uint64) (uint64, bool) {
	if key == 0 {
		return m.zero, m.hasZero
	}
	mask := uint64(len(m.slots)/2 - 1)
	for i := m.slot(key); ; i = (i + 1) & mask {
		switch m.slots[2*i] {
		case key:
			return m.slots[2*i+1], true
		case 0:
			return 0, false
		}
	}
}

// unit is the person of a visitor id hash, in a table of members.
func (m *funnelTable) unit(visitor uint64) uint64 {
	if unit, ok := m.get(visitor); ok {
		return unit
	}
	return visitor
}

// funnelTableOf makes a table of (key, value) pairs; of two pairs of a
// key, the last counts.
func funnelTableOf(pairs [][2]uint64) funnelTable {
	bits := uint(max(4, bits.Len(uint(len(pairs))*2)))
	m := funnelTable{slots: make([]uint64, 2<<bits), shift: 64 - bits, seed: rand.Uint64()}
	mask := uint64(1)<<bits - 1
	for _, p := range pairs {
		if p[0] == 0 {
			m.zero, m.hasZero = p[1], true
			continue
		}
		i := m.slot(p[0])
		for m.slots[2*i] != 0 && m.slots[2*i] != p[0] {
			i = (i + 1) & mask
		}
		m.slots[2*i], m.slots[2*i+1] = p[0], p[1]
	}
	return m
}

// readFunnelPersons reads every identity member's visitor id hash and
// its cluster's.
func readFunnelPersons(ctx context.Context, tx pgx.Tx) (funnelTable, error) {
	rows, err := tx.Query(ctx, sqlFunnelMembers)
	if err != nil {
		return funnelTable{}, err
	}
	defer rows.Close()
	if err := binaryColumns(rows, 2); err != nil {
		return funnelTable{}, err
	}
	var pairs [][2]uint64
	for rows.Next() {
		v := rows.RawValues()
		if len(v[0]) != 8 || len(v[1]) != 8 {
			return funnelTable{}, fmt.Errorf("an identity member of unexpected widths %d, %d", len(v[0]), len(v[1]))
		}
		pairs = append(pairs, [2]uint64{binary.BigEndian.Uint64(v[0]), binary.BigEndian.Uint64(v[1])})
	}
	if err := rows.Err(); err != nil {
		return funnelTable{}, err
	}
	return funnelTableOf(pairs), nil
}

// funnelContexts is the visitor ids' contexts a funnel broken down reads:
// the distinct ones, and each visitor id hash's index among them (0, the
// empty context, for a visitor id without one).
type funnelContexts struct {
	list    []report.Context
	indexes funnelTable
}

func (c *funnelContexts) of(visitor uint64) uint32 {
	i, _ := c.indexes.get(visitor)
	return uint32(i)
}

// readFunnelContexts reads every visitor id's context: in Go rather than
// joined in each part's query, where each part hashed every visitor id
// again to build its hash join (5 M events: 3.0-3.7 s of PostgreSQL CPU
// by DEVICE against ~1 s without).
func readFunnelContexts(ctx context.Context, tx pgx.Tx) (funnelContexts, error) {
	rows, err := tx.Query(ctx, sqlFunnelContexts)
	if err != nil {
		return funnelContexts{}, err
	}
	defer rows.Close()
	if err := binaryColumns(rows, 1); err != nil {
		return funnelContexts{}, err
	}
	out := funnelContexts{list: []report.Context{{}}}
	var pairs [][2]uint64
	index := map[string]uint64{"\x00\x00": 0}
	var key []byte
	for rows.Next() {
		v := rows.RawValues()
		if len(v[0]) != 8 {
			return funnelContexts{}, fmt.Errorf("a visitor context of unexpected width %d", len(v[0]))
		}
		// The key is looked up without a copy; a new context is copied
		// once.
		key = append(append(append(append(append(key[:0], v[1]...), 0), v[2]...), 0), v[3]...)
		i, ok := index[string(key)]
		if !ok {
			i = uint64(len(out.list))
			out.list = append(out.list, report.Context{Device: string(v[1]), Channel: string(v[2]), Locale: string(v[3])})
			index[string(key)] = i
		}
		if i != 0 {
			pairs = append(pairs, [2]uint64{binary.BigEndian.Uint64(v[0]), i})
		}
	}
	if err := rows.Err(); err != nil {
		return funnelContexts{}, err
	}
	out.indexes = funnelTableOf(pairs)
	return out, nil
}
