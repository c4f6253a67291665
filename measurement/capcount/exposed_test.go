package capcount_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/measurement"
	"github.com/mosaichq/mosaic/measurement/capcount"
	p "github.com/mosaichq/mosaic/personalization"
)

// A stored record counts what the engine counts when it decides: a block's
// variant on the block, a global block's on its entry (whichever page
// placed it), the campaign once per record however many blocks show it.
func TestRecordTargetsMatchDecisions(t *testing.T) {
	t.Parallel()
	d := measurement.Decision{Blocks: []measurement.BlockDecision{
		{BlockID: "page-1", Variant: p.DefaultVariant},
		{BlockID: "hero", Variant: "teaser", Campaign: "flash"},
		{BlockID: "promo", GlobalID: "global-1", Variant: "ship-deal", Campaign: "flash"},
	}}
	require.Equal(t, []p.CapTarget{
		{Scope: p.ScopeVariant, Block: "hero", Key: "teaser"},
		{Scope: p.ScopeCampaign, Key: "flash"},
		{Scope: p.ScopeVariant, Block: "global-1", Key: "ship-deal"},
	}, capcount.RecordTargets(d))

	// The same rule as a decision made for the global block in a page.
	dec := p.Decision{BlockID: "promo", CapBlock: "global-1", Variant: "ship-deal"}
	require.Equal(t, []p.CapTarget{{Scope: p.ScopeVariant, Block: "global-1", Key: "ship-deal"}}, dec.Exposed())
	require.Equal(t, capcount.Exposed(d.Blocks[2])[0], dec.Exposed()[0])
}
