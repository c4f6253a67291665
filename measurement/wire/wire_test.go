package wire_test

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/measurement"
	"github.com/mosaichq/mosaic/measurement/wire"
)

var at = time.Date(2026, 12, 6, 10, 0, 0, 123456789, time.UTC)

func sampleEvents() []measurement.Event {
	v, zero := 19.99, 0.0
	return []measurement.Event{
		{ID: "e1", Type: measurement.TypeView, VisitorID: "v1", Time: at, ReceivedAt: at.Add(time.Second), DecisionID: "d1", BlockID: "b1"},
		{ID: "e2", Type: measurement.TypeConversion, VisitorID: "v1", UserID: "u1", Time: at, ReceivedAt: at, Goal: "purchase", Value: &v, Currency: "EUR"},
		{ID: "e3", Type: measurement.TypeConversion, VisitorID: "v2", Time: at, ReceivedAt: at, Goal: "signup", Value: &zero},
		{ID: "e4", Type: measurement.TypeTrack, VisitorID: "vé\x00", Time: at, ReceivedAt: at, Name: "scroll", Properties: json.RawMessage(`{"depth":3}`)},
		{ID: "e5", Type: measurement.TypeIdentify, VisitorID: "v3", UserID: "u3", Time: at, ReceivedAt: at, Traits: json.RawMessage(`{}`)},
		{ID: "e6", Type: measurement.TypeConsent, VisitorID: "v3", Time: at, ReceivedAt: at,
			Granted: []measurement.Purpose{measurement.PurposeStorage}, Withdrawn: []measurement.Purpose{}},
		{ID: "e7", Type: "custom", Time: time.Time{}, ReceivedAt: time.Unix(-5, 7).UTC()},
	}
}

func sampleDecisions() []measurement.Decision {
	return []measurement.Decision{
		{ID: "d1", Time: at, VisitorID: "v1", UserID: "u1", Channel: "web", Device: "mobile", Locale: "en",
			Segments: []string{"vip", "eu"}, Consent: true, Purposes: measurement.Purposes(), EntryID: "home", EntrySlug: "home", EntryVersion: 7,
			Blocks: []measurement.BlockDecision{
				{BlockID: "home", Variant: "default", Reason: measurement.ReasonDefault},
				{BlockID: "hero", Variant: "b", Experiment: "x1", Arm: "b", Reason: measurement.ReasonExperiment,
					Suppressed: []measurement.Suppressed{{Variant: "promo", Campaign: "c1", Scope: "campaign", Pending: true}, {Variant: "z", Scope: "odd"}}},
				{BlockID: "promo", Variant: "sale", Campaign: "c1", Reason: measurement.ReasonCampaign, Suppressed: []measurement.Suppressed{}},
			}},
		{ID: "d2", Time: at, Channel: "web", Device: "mobile", Locale: "en", Purposes: []measurement.Purpose{}, EntryID: "e", EntryVersion: -1,
			Blocks: []measurement.BlockDecision{}},
		{ID: "d3", Time: at.Add(time.Hour), VisitorID: "v9", Channel: "kiosk", EntryID: "e"},
	}
}

// What is appended reads back exactly, nil and empty slices apart.
func TestRoundTrip(t *testing.T) {
	t.Parallel()
	evs := sampleEvents()
	got, err := wire.Events(wire.AppendEvents(nil, evs))
	require.NoError(t, err)
	require.Equal(t, evs, got)
	ds := sampleDecisions()
	gotD, err := wire.Decisions(wire.AppendDecisions([]byte("ignored prefix")[:0], ds))
	require.NoError(t, err)
	require.Equal(t, ds, gotD)
}

// The bytes of version 1, as the first binary encoder wrote them: a
// message one replica appended is read by every other, and by this code
// after an upgrade, so a change to the walk that moves a byte fails here
// (add a field at the end of its walk, or a new Version).
func TestVersion1BytesPinned(t *testing.T) {
	t.Parallel()
	events := "" +
		"014507026531047669657702763100c0c8a9b10d959aef3ac2c8a9b10d959aef3a026431026231000000000000000000" +
		"0265320a636f6e76657273696f6e027631027531c0c8a9b10d959aef3ac0c8a9b10d959aef3a00000008707572636861" +
		"7365013d0ad7a370fd33400345555200000000000265330a636f6e76657273696f6e02763200c0c8a9b10d959aef3ac0" +
		"c8a9b10d959aef3a000000067369676e757001000000000000000000000000000002653405747261636b0476c3a90000" +
		"c0c8a9b10d959aef3ac0c8a9b10d959aef3a000000000000067363726f6c6c0c7b226465707468223a337d0000000265" +
		"35086964656e74696679027633027533c0c8a9b10d959aef3ac0c8a9b10d959aef3a0000000000000000037b7d000002" +
		"653607636f6e73656e7402763300c0c8a9b10d959aef3ac0c8a9b10d959aef3a000000000000000000020773746f7261" +
		"67650102653706637573746f6d0000ffdb8ff9ce030009070000000000000000000000"
	decisions := "" +
		"014403026431c0c8a9b10d959aef3a02763102753103776562066d6f62696c6502656e030376697002657501040f7065" +
		"72736f6e616c697a6174696f6e0b6d6561737572656d656e740773746f7261676504686f6d6504686f6d650e0404686f" +
		"6d650764656661756c7400000000000764656661756c7400046865726f016202783101620000000a6578706572696d65" +
		"6e74030570726f6d6f026331000863616d706169676e01017a0000036f6464000570726f6d6f0473616c650000026331" +
		"00000863616d706169676e01026432c0c8a9b10d959aef3a000003776562066d6f62696c6502656e0000010165000101" +
		"026433e080aab10d959aef3a02763900056b696f736b00000000000165000000"
	require.Equal(t, events, hex.EncodeToString(wire.AppendEvents(nil, sampleEvents())))
	require.Equal(t, decisions, hex.EncodeToString(wire.AppendDecisions(nil, sampleDecisions())))
}

// Messages earlier versions appended (JSON: an array, or one object) read
// as encoding/json read them: a replica upgraded while they wait in the
// log loses none.
func TestReadsEarlierJSON(t *testing.T) {
	t.Parallel()
	evs := sampleEvents()[:6]
	for _, data := range [][]byte{mustJSON(t, evs), mustJSON(t, evs[1])} {
		var want []measurement.Event
		if data[0] == '[' {
			require.NoError(t, json.Unmarshal(data, &want))
		} else {
			want = []measurement.Event{{}}
			require.NoError(t, json.Unmarshal(data, &want[0]))
		}
		got, err := wire.Events(data)
		require.NoError(t, err)
		require.Equal(t, want, got)
	}
	ds := sampleDecisions()
	var want []measurement.Decision
	data := mustJSON(t, ds)
	require.NoError(t, json.Unmarshal(data, &want))
	got, err := wire.Decisions(data)
	require.NoError(t, err)
	require.Equal(t, want, got)
	got, err = wire.Decisions([]byte(` {"id":"old","entryId":"e"}`))
	require.NoError(t, err)
	require.Equal(t, []measurement.Decision{{ID: "old", EntryID: "e"}}, got)
	// The same records, either way, are the same to the store: times
	// are the same instants (JSON keeps the writer's zone, wire UTC).
	bin, err := wire.Decisions(wire.AppendDecisions(nil, ds))
	require.NoError(t, err)
	for i := range want {
		require.True(t, want[i].Time.Equal(bin[i].Time))
		want[i].Time = bin[i].Time
	}
	require.JSONEq(t, string(mustJSON(t, want)), string(mustJSON(t, bin)))
}

// A broken message is refused whole, never half read: every truncation,
// a wrong kind, trailing bytes, an unknown version, an empty list.
func TestRefusesBrokenMessages(t *testing.T) {
	t.Parallel()
	msg := wire.AppendDecisions(nil, sampleDecisions())
	for n := range len(msg) {
		_, err := wire.Decisions(msg[:n])
		require.Error(t, err, "a message cut at %d bytes", n)
	}
	_, err := wire.Decisions(append(msg[:len(msg):len(msg)], 0))
	require.ErrorContains(t, err, "after the last item")
	_, err = wire.Events(msg)
	require.ErrorContains(t, err, "kind")
	_, err = wire.Events(append([]byte{2}, msg[1:]...))
	require.ErrorContains(t, err, "unknown message version 2")
	_, err = wire.Events([]byte{wire.Version, 'E', 0})
	require.ErrorContains(t, err, "no items")
	_, err = wire.Events([]byte(`[]`))
	require.Error(t, err)
	_, err = wire.Decisions([]byte(`[{"id":`))
	require.Error(t, err)
	// A count larger than the message cannot make a huge allocation.
	_, err = wire.Events([]byte{wire.Version, 'E', 0xff, 0xff, 0xff, 0xff, 0x0f})
	require.Error(t, err)
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

// FuzzDecode: any bytes are read or refused, never a panic; what is read
// encodes back to a message that reads the same.
func FuzzDecode(f *testing.F) {
	f.Add(wire.AppendEvents(nil, sampleEvents()))
	f.Add(wire.AppendDecisions(nil, sampleDecisions()))
	f.Add([]byte(`[{"id":"a","type":"view"}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if evs, err := wire.Events(data); err == nil {
			back, err := wire.Events(wire.AppendEvents(nil, evs))
			require.NoError(t, err)
			require.Equal(t, len(evs), len(back))
		}
		if ds, err := wire.Decisions(data); err == nil {
			back, err := wire.Decisions(wire.AppendDecisions(nil, ds))
			require.NoError(t, err)
			require.Equal(t, len(ds), len(back))
		}
	})
}

// BenchmarkDecisions: 64 records of 9 blocks (the load test's page), as
// the log carries them, encoded and read by wire and by encoding/json.
func BenchmarkDecisions(b *testing.B) {
	ds := make([]measurement.Decision, 64)
	for i := range ds {
		d := measurement.Decision{ID: fmt.Sprintf("0193a1b2-c3d4-7e5f-8a9b-%012d", i), Time: at, VisitorID: fmt.Sprintf("visitor-%d", i),
			Channel: "web", Device: "desktop", Locale: "en-US", Segments: []string{"returning", "eu"}, Consent: true,
			Purposes: measurement.Purposes(), EntryID: "0193a1b2-c3d4-7e5f-8a9b-000000000001", EntrySlug: "home", EntryVersion: 3}
		for j := range 9 {
			d.Blocks = append(d.Blocks, measurement.BlockDecision{BlockID: fmt.Sprintf("block-%d", j), Variant: "default", Reason: measurement.ReasonDefault})
		}
		d.Blocks[2] = measurement.BlockDecision{BlockID: "hero", Variant: "b", Experiment: "hero-test", Arm: "b", Reason: measurement.ReasonExperiment}
		ds[i] = d
	}
	jsonMsg, _ := json.Marshal(ds)
	wireMsg := wire.AppendDecisions(nil, ds)
	b.Logf("64 records: %d bytes as JSON, %d as wire", len(jsonMsg), len(wireMsg))
	b.Run("encode/json", func(b *testing.B) {
		for b.Loop() {
			_, _ = json.Marshal(ds)
		}
	})
	b.Run("encode/wire", func(b *testing.B) {
		buf := make([]byte, 0, 16<<10)
		for b.Loop() {
			buf = wire.AppendDecisions(buf[:0], ds)
		}
	})
	b.Run("decode/json", func(b *testing.B) {
		for b.Loop() {
			if _, err := wire.Decisions(jsonMsg); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("decode/wire", func(b *testing.B) {
		for b.Loop() {
			if _, err := wire.Decisions(wireMsg); err != nil {
				b.Fatal(err)
			}
		}
	})
}
