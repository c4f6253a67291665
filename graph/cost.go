package graph

import (
	"github.com/mosaichq/mosaic/campaign"
	"github.com/mosaichq/mosaic/graph/model"
	"github.com/mosaichq/mosaic/measurement/report"
)

func moneyIn(in *model.MoneyInput) *campaign.Money {
	if in == nil {
		return nil
	}
	return &campaign.Money{Amount: in.Amount, Currency: in.Currency}
}

func moneyOut(m *campaign.Money) *model.Money {
	if m == nil {
		return nil
	}
	return &model.Money{Amount: m.Amount, Currency: m.Currency}
}

// spendOf is a campaign's cost as its report reads it.
func spendOf(m *campaign.Money) *report.Spend {
	if m == nil {
		return nil
	}
	return &report.Spend{Amount: m.Amount, Currency: m.Currency}
}
