package csv

import (
	"io"

	"github.com/vigilfiu/vigil"
)

// Columns of transfers.csv, in the writers' order.
const (
	tID = iota
	tTimestamp
	tSenderID
	tSenderAccount
	tBenID
	tBenName
	tBenPhone
	tBenAccount
	tBenCity
	tBenCountry
	tBenBirthDate
	tAmount
	tCurrency
	tChannel
	tProvider
	tPurpose
)

var transferSchema = &schema{kind: "transfers.csv", columns: []column{
	{"transfer_id", true}, {"timestamp", true}, {"sender_id", true}, {"sender_account", false},
	{"beneficiary_id", false}, {"beneficiary_name", false}, {"beneficiary_phone", false},
	{"beneficiary_account", false}, {"beneficiary_city", false}, {"beneficiary_country", true},
	{"beneficiary_birth_date", false}, {"amount", true}, {"currency", true}, {"channel", false},
	{"provider", false}, {"purpose", false},
}, anyOf: []string{"beneficiary_id", "beneficiary_name"}}

var channels = []string{string(vigil.ChannelRemittance), string(vigil.ChannelBank),
	string(vigil.ChannelWallet), string(vigil.ChannelCard), string(vigil.ChannelCrypto)}

// TransferReader reads transfers.csv.
type TransferReader struct {
	*reader
	canon bool // the header is the canonical one: rows may take readFast
}

// NewTransferReader reads the header of transfers.csv from r; file names
// the input in errors and sources. A header problem is a *RowError.
func NewTransferReader(r io.Reader, file string, opt Options) (*TransferReader, error) {
	rd, err := newReader(r, file, opt, transferSchema)
	if err != nil {
		return nil, err
	}
	return &TransferReader{rd, rd.canonical()}, nil
}

// Read reads the next transfer into t. It returns io.EOF after the last
// row, a *RowError for a rejected row (reading may go on), and any other
// error when reading must stop.
func (r *TransferReader) Read(t *vigil.Transfer) error {
	if err := r.next(); err != nil {
		return err
	}
	if r.canon && r.readFast(t) {
		return nil
	}
	id, sender := r.text(tID), r.text(tSenderID)
	if id == "" {
		return r.fail(tID, "required, but the cell is empty")
	}
	if sender == "" {
		return r.fail(tSenderID, "required, but the cell is empty")
	}
	*t = vigil.Transfer{
		ID:                 id,
		SenderID:           sender,
		SenderAccount:      r.text(tSenderAccount),
		BeneficiaryID:      r.text(tBenID),
		BeneficiaryName:    r.text(tBenName),
		BeneficiaryPhone:   r.text(tBenPhone),
		BeneficiaryAccount: r.text(tBenAccount),
		BeneficiaryCity:    r.text(tBenCity),
		Provider:           r.text(tProvider),
		Purpose:            r.text(tPurpose),
		Source:             r.source(),
	}
	if e := r.timestamp(tTimestamp, &t.Timestamp); e != nil {
		return e
	}
	if t.BeneficiaryID == "" && t.BeneficiaryName == "" {
		j := tBenName
		if r.idx[j] < 0 {
			j = tBenID
		}
		return r.fail(j, "beneficiary_name is required when beneficiary_id is empty")
	}
	if e := r.required(tBenCountry); e != nil {
		return e
	}
	if e := r.country(tBenCountry, &t.BeneficiaryCountry); e != nil {
		return e
	}
	if e := r.date(tBenBirthDate, &t.BeneficiaryBirthDate); e != nil {
		return e
	}
	if e := r.amount(tAmount, &t.Amount); e != nil {
		return e
	}
	if e := r.required(tCurrency); e != nil {
		return e
	}
	if e := r.currency(tCurrency, &t.Currency); e != nil {
		return e
	}
	var ch string
	if e := r.enum(tChannel, channels, &ch); e != nil {
		return e
	}
	t.Channel = vigil.Channel(ch)
	if err := t.Validate(); err != nil {
		return r.invalid(err)
	}
	return nil
}

// ReadShared is Read without a new string per row: the row is appended
// to *buf and the strings of t are views of that part of *buf, valid
// only as long as the caller leaves it unchanged (appending more rows is
// fine: a view keeps the array it points into). It is for a caller that
// is done with a run of transfers before it empties *buf for the next
// run, and that copies whatever it keeps longer (detect.Engine.Feed);
// what it reads and rejects is exactly what Read does.
func (r *TransferReader) ReadShared(t *vigil.Transfer, buf *[]byte) error {
	r.shared = buf
	err := r.Read(t)
	r.shared = nil
	return err
}

// TransferWriter writes transfers.csv with every column, in the documented
// order.
type TransferWriter struct{ writer }

// NewTransferWriter returns a writer to w; call Flush at the end.
func NewTransferWriter(w io.Writer) *TransferWriter {
	return &TransferWriter{newWriter(w, transferSchema)}
}

// Write writes one transfer as given (Source is not written).
func (w *TransferWriter) Write(t *vigil.Transfer) error {
	w.start()
	w.text(t.ID)
	w.time(t.Timestamp)
	w.text(t.SenderID)
	w.text(t.SenderAccount)
	w.text(t.BeneficiaryID)
	w.text(t.BeneficiaryName)
	w.text(t.BeneficiaryPhone)
	w.text(t.BeneficiaryAccount)
	w.text(t.BeneficiaryCity)
	w.text(t.BeneficiaryCountry)
	w.date(t.BeneficiaryBirthDate)
	w.amount(t.Amount)
	w.text(t.Currency)
	w.text(string(t.Channel))
	w.text(t.Provider)
	w.text(t.Purpose)
	return w.end()
}
