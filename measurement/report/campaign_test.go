package report_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/measurement/report"
)

func TestCampaignReportWithCost(t *testing.T) {
	outcomes := []report.CampaignOutcome{
		{Variant: "a", Units: 100, Converters: 6, Count: 8, Revenue: 400},
		{Variant: "b", Units: 100, Converters: 4, Count: 4, Revenue: 200},
	}
	c := report.CampaignReport{Campaign: "sale", Event: "buy", Window: 72 * time.Hour, Outcomes: outcomes}

	got := c.WithCost(&report.Spend{Amount: 300, Currency: "EUR"})
	require.InDelta(t, 30.0, *got.CPA, 1e-12, "300 ÷ 10 people who bought")
	require.InDelta(t, 2.0, *got.ROAS, 1e-12, "600 of revenue ÷ 300")
	require.Equal(t, "EUR", got.Cost.Currency)

	free := c.WithCost(&report.Spend{Amount: 0, Currency: "EUR"})
	require.InDelta(t, 0.0, *free.CPA, 1e-12)
	require.Nil(t, free.ROAS, "no ROAS of a free campaign")

	none := c
	none.Outcomes = []report.CampaignOutcome{{Variant: "a", Units: 10}}
	got = none.WithCost(&report.Spend{Amount: 50, Currency: "EUR"})
	require.Nil(t, got.CPA, "nobody converted: no cost per acquisition")
	require.InDelta(t, 0.0, *got.ROAS, 1e-12)

	noEvent := report.CampaignReport{Campaign: "sale"}.WithCost(&report.Spend{Amount: 50, Currency: "EUR"})
	require.NotNil(t, noEvent.Cost)
	require.Nil(t, noEvent.CPA)
	require.Nil(t, noEvent.ROAS)

	cleared := got.WithCost(nil)
	require.Nil(t, cleared.Cost)
	require.Nil(t, cleared.CPA)
	require.Nil(t, cleared.ROAS)
}
