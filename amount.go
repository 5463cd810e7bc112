package vigil

import (
	"math"
	"strconv"
)

// AmountScale is the number of minor units in one unit of an Amount: amounts
// are exact to six decimal places.
const AmountScale = 1_000_000

// AmountDecimals is the number of decimal places an Amount holds exactly.
const AmountDecimals = 6

// Amount is an exact decimal amount of money in millionths of the currency
// unit. Money is never a float in storage or comparison; Float exists only
// for statistics and charts.
type Amount int64

// ParseAmount parses a plain decimal such as "50", "49.99" or "0.5".
// It accepts no sign, no exponent, no thousands separator, at most six
// decimal places and values below 9,223,372 million units. The reason is a
// short phrase suitable for an error message.
func ParseAmount(s string) (a Amount, reason string) {
	return ParseAmountBytes([]byte(s))
}

// ParseAmountBytes is ParseAmount on a byte slice, without allocating.
func ParseAmountBytes(b []byte) (a Amount, reason string) {
	if len(b) == 0 {
		return 0, "empty amount"
	}
	if b[0] == '-' {
		return 0, "negative amount"
	}
	var units, frac int64
	var fracDigits int
	seenDot, seenDigit := false, false
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			seenDigit = true
			if seenDot {
				if fracDigits == AmountDecimals {
					return 0, "more than 6 decimal places"
				}
				frac = frac*10 + int64(c-'0')
				fracDigits++
			} else {
				if units > (math.MaxInt64/AmountScale)/10 {
					return 0, "amount too large"
				}
				units = units*10 + int64(c-'0')
			}
		case c == '.' && !seenDot:
			seenDot = true
		default:
			return 0, "not a decimal number (digits and one '.' only)"
		}
	}
	if !seenDigit {
		return 0, "not a decimal number (digits and one '.' only)"
	}
	for i := fracDigits; i < AmountDecimals; i++ {
		frac *= 10
	}
	v := units*AmountScale + frac
	if v < 0 {
		return 0, "amount too large"
	}
	return Amount(v), ""
}

// NewAmount returns the amount of whole units plus millionths.
func NewAmount(units int64, micros int64) Amount { return Amount(units*AmountScale + micros) }

// Float returns the amount as a float64, for statistics and charts only.
func (a Amount) Float() float64 { return float64(a) / AmountScale }

// IsWhole reports whether the amount has no fractional part.
func (a Amount) IsWhole() bool { return a%AmountScale == 0 }

// String formats the amount with the fewest decimals that keep it exact,
// at least two when it has a fractional part ("50", "49.90", "0.123456").
func (a Amount) String() string {
	return string(a.AppendText(nil))
}

// AppendText appends the String form to b.
func (a Amount) AppendText(b []byte) []byte {
	v := int64(a)
	if v < 0 {
		b = append(b, '-')
		v = -v
	}
	b = strconv.AppendInt(b, v/AmountScale, 10)
	f := v % AmountScale
	if f == 0 {
		return b
	}
	var digits [AmountDecimals]byte
	for i := AmountDecimals - 1; i >= 0; i-- {
		digits[i] = byte('0' + f%10)
		f /= 10
	}
	n := AmountDecimals
	for n > 2 && digits[n-1] == '0' {
		n--
	}
	b = append(b, '.')
	return append(b, digits[:n]...)
}

// MarshalText implements encoding.TextMarshaler; JSON carries amounts as
// decimal strings so that no reader turns them into floats.
func (a Amount) MarshalText() ([]byte, error) { return a.AppendText(nil), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (a *Amount) UnmarshalText(b []byte) error {
	v, reason := ParseAmountBytes(b)
	if reason != "" {
		return Errorf(EINVALID, "amount %q: %s", b, reason)
	}
	*a = v
	return nil
}
