package campaign

import (
	"math"
	"regexp"

	"github.com/mosaichq/mosaic/errs"
)

// MaxAmount bounds a cost, as measurement.MaxValue bounds an event's
// value: beyond any real budget, and safe in the report's arithmetic.
const MaxAmount = 1e12

var currencyCode = regexp.MustCompile(`^[A-Z]{3}$`)

// Money is an amount in an ISO 4217 currency. A campaign's cost is
// compared with the revenue its report sums from conversion events, which
// carry their own currency: the report says which currency the cost is in
// and does not convert.
type Money struct {
	Amount   float64 `json:"amount"`
	Currency string  `json:"currency"`
}

// validate says what is wrong with m, with paths under prefix.
func (m Money) validate(prefix string) []errs.FieldError {
	var out []errs.FieldError
	if math.IsNaN(m.Amount) || math.IsInf(m.Amount, 0) || m.Amount < 0 || m.Amount > MaxAmount {
		out = append(out, errs.FieldError{Path: prefix + "amount", Message: "must be between 0 and 1e12"})
	}
	if !currencyCode.MatchString(m.Currency) {
		out = append(out, errs.FieldError{Path: prefix + "currency", Message: "must be an ISO 4217 code, like EUR"})
	}
	return out
}
