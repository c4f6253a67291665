package eventlog

import (
	"testing"

	"github.com/mosaichq/mosaic/measurement"

	"github.com/stretchr/testify/require"
)

// A decisions message is a JSON array now; one object, as earlier
// versions appended, still decodes (a stream kept across an upgrade).
func TestDecodeDecisions(t *testing.T) {
	t.Parallel()
	ds, err := decodeList[measurement.Decision]([]byte(`[{"id":"a","entryId":"e"},{"id":"b","entryId":"e"}]`))
	require.NoError(t, err)
	require.Len(t, ds, 2)
	require.Equal(t, "b", ds[1].ID)
	ds, err = decodeList[measurement.Decision]([]byte(` {"id":"old","entryId":"e"}`))
	require.NoError(t, err)
	require.Len(t, ds, 1)
	require.Equal(t, "old", ds[0].ID)
	_, err = decodeList[measurement.Decision]([]byte(`[{"id":`))
	require.Error(t, err, "a broken message is refused (terminated by the consumer), not half read")
	_, err = decodeList[measurement.Event]([]byte(`[]`))
	require.Error(t, err, "an empty list is no message Append writes")
}
