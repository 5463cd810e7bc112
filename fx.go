package vigil

import "math"

// FXRates converts amounts to euros for the indicators that compare amounts
// across currencies (given with --fx rates.csv, see docs/format.md). The
// key is an ISO 4217 code, the value the worth in EUR of one unit of that
// currency ("AUD" → 0.61). EUR itself needs no entry. Rates are for
// comparison only: stored amounts are never converted.
type FXRates map[string]float64

// ToEUR returns the amount in euros, and false when the table has no rate
// for the currency (the caller must then say that the comparison lacked a
// rate, never guess one).
func (r FXRates) ToEUR(a Amount, currency string) (float64, bool) {
	if currency == "EUR" {
		return a.Float(), true
	}
	rate, ok := r[currency]
	if !ok {
		return 0, false
	}
	return a.Float() * rate, true
}

// Validate checks that every key is an ISO 4217 code and every rate a
// positive finite number (1 for EUR).
func (r FXRates) Validate() error {
	for cur, rate := range r {
		switch {
		case !IsCurrencyCode(cur):
			return Errorf(EINVALID, "FX rates: %q is not an ISO 4217 currency code", cur)
		case !(rate > 0) || math.IsInf(rate, 0):
			return Errorf(EINVALID, "FX rates: the rate of %s must be a positive number", cur)
		case cur == "EUR" && rate != 1:
			return Errorf(EINVALID, "FX rates: the rate of EUR must be 1")
		}
	}
	return nil
}
