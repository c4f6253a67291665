package seed_test

import (
	"bytes"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/internal/seed"
)

// The demo pictures are drawn, not downloaded: the same bytes for the same
// name on every machine (so a reseed finds them in the library), a real
// image of the stated size, and small.
func TestDemoPicturesAreDeterministic(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, p := range seed.Pictures {
		data := seed.Draw(p.Name, p.W, p.H)
		require.Equal(t, data, seed.Draw(p.Name, p.W, p.H), p.Name)
		require.Less(t, len(data), 200<<10, "%s is small", p.Name)
		cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
		require.NoError(t, err, p.Name)
		require.Equal(t, [2]int{p.W, p.H}, [2]int{cfg.Width, cfg.Height}, p.Name)
		require.Contains(t, p.Name, "."+map[string]string{"jpeg": "jpg", "png": "png"}[format])
		require.False(t, seen[string(data)], "%s looks like another picture", p.Name)
		seen[string(data)] = true
	}
}
