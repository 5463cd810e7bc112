package csv

import (
	"unsafe"

	"github.com/vigilfiu/vigil"
)

// The fast readers take a row of a file whose header is the canonical one
// (every column, in the writers' order: what vigil writes) and accept it
// only when every check passes on the common spelling: exact-case channel
// and kind, codes found in the tables, amounts of digits with at most one
// '.', timestamps in the common RFC 3339 layout. Anything else, valid or
// not, is left to the general code, which reads the row again from the
// start; so what is accepted, and every reject with its message, line and
// column, is the general code's. The fast readers write to the caller's
// value only when they accept the row.

// canonical reports whether the header is the schema's columns in order.
func (rd *reader) canonical() bool {
	if len(rd.header) != len(rd.schema.columns) {
		return false
	}
	for j, k := range rd.idx {
		if k != j {
			return false
		}
	}
	return true
}

// cellString returns field f of the current row as a substring of the row
// string, which starts at row. The scanner's fields lie within the record,
// which is the start of the row string, so no bounds check is needed.
func cellString(row unsafe.Pointer, f *field) string {
	// Made as a string header rather than with unsafe.String, whose
	// checks for a negative or overflowing length cost more than the rest
	// (0 <= start <= end <= the record's length holds for every field).
	h := stringHeader{unsafe.Add(row, f.start), int(f.end - f.start)}
	return *(*string)(unsafe.Pointer(&h))
}

// stringHeader is the layout of a string.
type stringHeader struct {
	data unsafe.Pointer
	len  int
}

// cellBytes returns field f of the current row as bytes of the record.
func (rd *reader) cellBytes(f *field) []byte {
	return rd.sc.rec[f.start:f.end:f.end]
}

// codeCountry and codeCurrency look an upper-case code up in the tables
// ("" when it is not one).
func codeCountry(b []byte) string {
	if len(b) != 2 || b[0]-'A' >= 26 || b[1]-'A' >= 26 {
		return ""
	}
	return countryNames[int(b[0]-'A')*26+int(b[1]-'A')]
}

func codeCurrency(b []byte) string {
	if len(b) != 3 || b[0]-'A' >= 26 || b[1]-'A' >= 26 || b[2]-'A' >= 26 {
		return ""
	}
	return currencyNames[(int(b[0]-'A')*26+int(b[1]-'A'))*26+int(b[2]-'A')]
}

var pow10 = [7]int64{1e6, 1e5, 1e4, 1e3, 1e2, 1e1, 1}

// amountFast parses digits with at most one '.' and up to six decimals,
// with a whole part of one to twelve digits, as vigil.ParseAmountBytes
// does; ok is false for anything else, which that function then reads.
func amountFast(b []byte) (a vigil.Amount, ok bool) {
	var units int64
	i := 0
	for ; i < len(b); i++ {
		c := b[i] - '0'
		if c > 9 {
			break
		}
		units = units*10 + int64(c)
	}
	if i == 0 || i > 12 {
		return 0, false
	}
	var frac int64
	nd := 0
	if i < len(b) {
		if b[i] != '.' || len(b)-i-1 > vigil.AmountDecimals {
			return 0, false
		}
		for i++; i < len(b); i++ {
			c := b[i] - '0'
			if c > 9 {
				return 0, false
			}
			frac = frac*10 + int64(c)
			nd++
		}
	}
	return vigil.Amount(units*vigil.AmountScale + frac*pow10[nd]), true
}

// channelFast returns the channel written exactly as the list spells it.
func channelFast(b []byte) (vigil.Channel, bool) {
	switch string(b) {
	case "":
		return "", true
	case "remittance":
		return vigil.ChannelRemittance, true
	case "bank":
		return vigil.ChannelBank, true
	case "wallet":
		return vigil.ChannelWallet, true
	case "card":
		return vigil.ChannelCard, true
	case "crypto":
		return vigil.ChannelCrypto, true
	}
	return "", false
}

// readFast reads the current row of a canonical transfers.csv into t when
// every check passes on the common spelling (see above).
func (r *TransferReader) readFast(t *vigil.Transfer) bool {
	f := (*[16]field)(r.sc.fields)
	row := unsafe.Pointer(unsafe.StringData(r.str))
	if f[tID].start == f[tID].end || f[tSenderID].start == f[tSenderID].end ||
		f[tBenID].start == f[tBenID].end && f[tBenName].start == f[tBenName].end {
		return false
	}
	ts, ok := fastTimestamp(r.cellBytes(&f[tTimestamp]), &r.stamps)
	if !ok || ts.IsZero() {
		return false
	}
	country := codeCountry(r.cellBytes(&f[tBenCountry]))
	currency := codeCurrency(r.cellBytes(&f[tCurrency]))
	amount, ok2 := amountFast(r.cellBytes(&f[tAmount]))
	channel, ok3 := channelFast(r.cellBytes(&f[tChannel]))
	if country == "" || currency == "" || !ok2 || amount <= 0 || !ok3 {
		return false
	}
	var birth vigil.Date
	if bd := &f[tBenBirthDate]; bd.start != bd.end {
		d, reason := vigil.ParseDate(cellString(row, bd))
		if reason != "" {
			return false
		}
		birth = d
	}
	*t = vigil.Transfer{
		ID:                   cellString(row, &f[tID]),
		Timestamp:            ts,
		SenderID:             cellString(row, &f[tSenderID]),
		SenderAccount:        cellString(row, &f[tSenderAccount]),
		BeneficiaryID:        cellString(row, &f[tBenID]),
		BeneficiaryName:      cellString(row, &f[tBenName]),
		BeneficiaryPhone:     cellString(row, &f[tBenPhone]),
		BeneficiaryAccount:   cellString(row, &f[tBenAccount]),
		BeneficiaryCity:      cellString(row, &f[tBenCity]),
		BeneficiaryCountry:   country,
		BeneficiaryBirthDate: birth,
		Amount:               amount,
		Currency:             currency,
		Channel:              channel,
		Provider:             cellString(row, &f[tProvider]),
		Purpose:              cellString(row, &f[tPurpose]),
		Source:               r.str[r.srcAt:],
	}
	return true
}

// countryOrEmpty reads an optional upper-case country code.
func countryOrEmpty(b []byte) (string, bool) {
	if len(b) == 0 {
		return "", true
	}
	c := codeCountry(b)
	return c, c != ""
}

// readFast reads the current row of a canonical parties.csv into p when
// every check passes on the common spelling (see above).
func (r *PartyReader) readFast(p *vigil.Party) bool {
	f := (*[13]field)(r.sc.fields)
	row := unsafe.Pointer(unsafe.StringData(r.str))
	if f[pID].start == f[pID].end || f[pFullName].start == f[pFullName].end {
		return false
	}
	var kind vigil.PartyKind
	switch string(r.cellBytes(&f[pKind])) {
	case "", "person":
		kind = vigil.PartyPerson
	case "organisation":
		kind = vigil.PartyOrganisation
	default:
		return false
	}
	var gender string
	switch string(r.cellBytes(&f[pGender])) {
	case "":
	case "F":
		gender = genders[0]
	case "M":
		gender = genders[1]
	case "X":
		gender = genders[2]
	default:
		return false
	}
	nationality, ok1 := countryOrEmpty(r.cellBytes(&f[pNationality]))
	country, ok2 := countryOrEmpty(r.cellBytes(&f[pCountry]))
	if !ok1 || !ok2 {
		return false
	}
	var birth vigil.Date
	if bd := &f[pBirthDate]; bd.start != bd.end {
		d, reason := vigil.ParseDate(cellString(row, bd))
		if reason != "" {
			return false
		}
		birth = d
	}
	*p = vigil.Party{
		ID:          cellString(row, &f[pID]),
		Kind:        kind,
		FullName:    cellString(row, &f[pFullName]),
		BirthDate:   birth,
		Gender:      gender,
		Nationality: nationality,
		Country:     country,
		City:        cellString(row, &f[pCity]),
		Address:     cellString(row, &f[pAddress]),
		Postcode:    cellString(row, &f[pPostcode]),
		Phone:       cellString(row, &f[pPhone]),
		Email:       cellString(row, &f[pEmail]),
		IDNumber:    cellString(row, &f[pIDNumber]),
		Source:      r.str[r.srcAt:],
	}
	return true
}
