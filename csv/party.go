package csv

import (
	"io"

	"github.com/vigilfiu/vigil"
)

// Columns of parties.csv, in the writers' order.
const (
	pID = iota
	pKind
	pFullName
	pBirthDate
	pGender
	pNationality
	pCountry
	pCity
	pAddress
	pPostcode
	pPhone
	pEmail
	pIDNumber
)

var partySchema = &schema{kind: "parties.csv", columns: []column{
	{"party_id", true}, {"kind", false}, {"full_name", true}, {"birth_date", false},
	{"gender", false}, {"nationality", false}, {"country", false}, {"city", false},
	{"address", false}, {"postcode", false}, {"phone", false}, {"email", false},
	{"id_number", false},
}}

var (
	partyKinds = []string{string(vigil.PartyPerson), string(vigil.PartyOrganisation)}
	genders    = []string{"F", "M", "X"}
)

// PartyReader reads parties.csv.
type PartyReader struct {
	*reader
	canon bool // the header is the canonical one: rows may take readFast
}

// NewPartyReader reads the header of parties.csv from r; file names the
// input in errors and sources. A header problem is a *RowError.
func NewPartyReader(r io.Reader, file string, opt Options) (*PartyReader, error) {
	rd, err := newReader(r, file, opt, partySchema)
	if err != nil {
		return nil, err
	}
	return &PartyReader{rd, rd.canonical()}, nil
}

// Read reads the next party into p. It returns io.EOF after the last row,
// a *RowError for a rejected row (reading may go on), and any other error
// when reading must stop.
func (r *PartyReader) Read(p *vigil.Party) error {
	if err := r.next(); err != nil {
		return err
	}
	if r.canon && r.readFast(p) {
		return nil
	}
	if e := r.required(pID); e != nil {
		return e
	}
	if e := r.required(pFullName); e != nil {
		return e
	}
	*p = vigil.Party{
		ID:       r.text(pID),
		FullName: r.text(pFullName),
		City:     r.text(pCity),
		Address:  r.text(pAddress),
		Postcode: r.text(pPostcode),
		Phone:    r.text(pPhone),
		Email:    r.text(pEmail),
		IDNumber: r.text(pIDNumber),
		Source:   r.source(),
	}
	var kind, gender string
	if e := r.enum(pKind, partyKinds, &kind); e != nil {
		return e
	}
	p.Kind = vigil.PartyKind(kind)
	if p.Kind == "" {
		p.Kind = vigil.PartyPerson
	}
	if e := r.date(pBirthDate, &p.BirthDate); e != nil {
		return e
	}
	if e := r.enum(pGender, genders, &gender); e != nil {
		return e
	}
	p.Gender = gender
	if e := r.country(pNationality, &p.Nationality); e != nil {
		return e
	}
	if e := r.country(pCountry, &p.Country); e != nil {
		return e
	}
	if err := p.Validate(); err != nil {
		return r.invalid(err)
	}
	return nil
}

// ReadShared is Read without a new string per row, as
// TransferReader.ReadShared: the row is appended to *buf and the strings
// of p are views of it, valid as long as the caller leaves that part of
// *buf unchanged; what it reads and rejects is exactly what Read does.
// It is for a caller that copies what it keeps of a run of parties
// before it empties *buf (vigil scan: detect.Engine.AddParty).
func (r *PartyReader) ReadShared(p *vigil.Party, buf *[]byte) error {
	r.shared = buf
	err := r.Read(p)
	r.shared = nil
	return err
}

// PartyWriter writes parties.csv with every column, in the documented order.
type PartyWriter struct{ writer }

// NewPartyWriter returns a writer to w; call Flush at the end.
func NewPartyWriter(w io.Writer) *PartyWriter { return &PartyWriter{newWriter(w, partySchema)} }

// Write writes one party as given (Source is not written).
func (w *PartyWriter) Write(p *vigil.Party) error {
	w.start()
	w.text(p.ID)
	w.text(string(p.Kind))
	w.text(p.FullName)
	w.date(p.BirthDate)
	w.text(p.Gender)
	w.text(p.Nationality)
	w.text(p.Country)
	w.text(p.City)
	w.text(p.Address)
	w.text(p.Postcode)
	w.text(p.Phone)
	w.text(p.Email)
	w.text(p.IDNumber)
	return w.end()
}
