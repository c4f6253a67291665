package bench

import (
	"os"
	"testing"

	"github.com/mosaichq/mosaic/internal/replicas"
)

func TestMain(m *testing.M) {
	code := m.Run()
	replicas.Cleanup() // the mosaic binary BenchmarkCampaignAnnouncement built
	os.Exit(code)
}
