package csv

import (
	"io"

	"github.com/vigilfiu/vigil"
)

// Columns of leads.csv and seeds.csv, in the writers' order.
const (
	lID = iota
	lFullName
	lBirthDate
	lPhone
	lEmail
	lHandle
	lAccount
	lCity
	lCountry
	lNote
)

var leadSchema = &schema{kind: "leads.csv and seeds.csv", columns: []column{
	{"lead_id", true}, {"full_name", false}, {"birth_date", false}, {"phone", false},
	{"email", false}, {"handle", false}, {"account", false}, {"city", false},
	{"country", false}, {"note", false},
}, anyOf: []string{"full_name", "phone", "email", "handle", "account"}}

// LeadReader reads leads.csv or seeds.csv (same columns).
type LeadReader struct{ *reader }

// NewLeadReader reads the header of leads.csv or seeds.csv from r; file
// names the input in errors and sources. A header problem is a *RowError.
func NewLeadReader(r io.Reader, file string, opt Options) (*LeadReader, error) {
	rd, err := newReader(r, file, opt, leadSchema)
	if err != nil {
		return nil, err
	}
	return &LeadReader{rd}, nil
}

// Read reads the next lead into l. It returns io.EOF after the last row, a
// *RowError for a rejected row (reading may go on), and any other error
// when reading must stop.
func (r *LeadReader) Read(l *vigil.Lead) error {
	if err := r.next(); err != nil {
		return err
	}
	if e := r.required(lID); e != nil {
		return e
	}
	*l = vigil.Lead{
		ID:       r.text(lID),
		FullName: r.text(lFullName),
		Phone:    r.text(lPhone),
		Email:    r.text(lEmail),
		Handle:   r.text(lHandle),
		Account:  r.text(lAccount),
		City:     r.text(lCity),
		Note:     r.text(lNote),
		Source:   r.source(),
	}
	if e := r.date(lBirthDate, &l.BirthDate); e != nil {
		return e
	}
	if e := r.country(lCountry, &l.Country); e != nil {
		return e
	}
	if l.FullName == "" && l.Phone == "" && l.Email == "" && l.Handle == "" && l.Account == "" {
		return &RowError{File: r.sc.file, Line: r.sc.recLine, Column: 1,
			Reason: "a lead needs at least one of full_name, phone, email, handle, account"}
	}
	if err := l.Validate(); err != nil {
		return r.invalid(err)
	}
	return nil
}

// LeadWriter writes leads.csv or seeds.csv with every column, in the
// documented order.
type LeadWriter struct{ writer }

// NewLeadWriter returns a writer to w; call Flush at the end.
func NewLeadWriter(w io.Writer) *LeadWriter { return &LeadWriter{newWriter(w, leadSchema)} }

// Write writes one lead as given (Source is not written).
func (w *LeadWriter) Write(l *vigil.Lead) error {
	w.start()
	w.text(l.ID)
	w.text(l.FullName)
	w.date(l.BirthDate)
	w.text(l.Phone)
	w.text(l.Email)
	w.text(l.Handle)
	w.text(l.Account)
	w.text(l.City)
	w.text(l.Country)
	w.text(l.Note)
	return w.end()
}
