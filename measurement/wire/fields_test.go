package wire_test

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/measurement"
	"github.com/mosaichq/mosaic/measurement/wire"
)

// A field added to measurement.Event or Decision (or a block of it) that
// the encoding does not carry would be silently lost between the replica
// that decided and the consumer that stores and rolls it up — two merged
// branches once lost a holdout's cohort and a global block's id that way.
// Every field is set here, so a new one fails this test until the
// encoding carries it.
func TestEveryFieldSurvives(t *testing.T) {
	t.Parallel()
	var ev measurement.Event
	fill(reflect.ValueOf(&ev).Elem(), "e")
	gotE, err := wire.Events(wire.AppendEvents(nil, []measurement.Event{ev}))
	require.NoError(t, err)
	require.Equal(t, []measurement.Event{ev}, gotE)

	var d measurement.Decision
	fill(reflect.ValueOf(&d).Elem(), "d")
	gotD, err := wire.Decisions(wire.AppendDecisions(nil, []measurement.Decision{d}))
	require.NoError(t, err)
	require.Equal(t, []measurement.Decision{d}, gotD)
}

var (
	timeType = reflect.TypeFor[time.Time]()
	rawType  = reflect.TypeFor[json.RawMessage]()
)

// fill sets every exported field of v to a value that is not its zero,
// distinct per field path.
func fill(v reflect.Value, path string) {
	switch {
	case v.Type() == timeType:
		v.Set(reflect.ValueOf(time.Date(2026, 12, 6, 10, 0, len(path), 5, time.UTC)))
		return
	case v.Type() == rawType:
		v.Set(reflect.ValueOf(json.RawMessage(`{"p":"` + path + `"}`)))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(path)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(int64(len(path)))
	case reflect.Float64:
		v.SetFloat(float64(len(path)) + 0.25)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fill(p.Elem(), path)
		v.Set(p)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fill(s.Index(0), path+"0")
		v.Set(s)
	case reflect.Struct:
		for i := range v.NumField() {
			if f := v.Type().Field(i); f.IsExported() {
				fill(v.Field(i), path+"."+f.Name)
			}
		}
	default:
		panic("fill: no value for " + v.Type().String())
	}
}

// The same for the record's blocks as stored in PostgreSQL: the appender
// that skips encoding/json's reflection must write what json.Marshal
// would, every field included.
func TestEveryBlockFieldStored(t *testing.T) {
	t.Parallel()
	var b measurement.BlockDecision
	fill(reflect.ValueOf(&b).Elem(), "b")
	bs := []measurement.BlockDecision{b}
	want, err := json.Marshal(bs)
	require.NoError(t, err)
	require.JSONEq(t, string(want), string(measurement.AppendBlocksJSON(nil, bs)))
}
