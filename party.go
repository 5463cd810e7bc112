package vigil

import "context"

// PartyKind says whether a party is a natural person or an organisation.
type PartyKind string

const (
	PartyPerson       PartyKind = "person"
	PartyOrganisation PartyKind = "organisation"
)

// Party is a domestic customer as known to a payment provider or bank (KYC),
// loaded from parties.csv or another format. It is immutable once stored:
// re-ingesting the same id with other content is a conflict.
type Party struct {
	ID          string    `json:"party_id"`              // unique, required; the provider's customer id
	Kind        PartyKind `json:"kind"`                  // person (default) or organisation
	FullName    string    `json:"full_name"`             // required, as recorded by the provider
	BirthDate   Date      `json:"birth_date,omitzero"`   // may be partial or absent
	Gender      string    `json:"gender,omitempty"`      // F, M, X or empty
	Nationality string    `json:"nationality,omitempty"` // ISO 3166-1 alpha-2
	Country     string    `json:"country,omitempty"`     // ISO 3166-1 alpha-2, country of residence
	City        string    `json:"city,omitempty"`
	Address     string    `json:"address,omitempty"`
	Postcode    string    `json:"postcode,omitempty"`
	Phone       string    `json:"phone,omitempty"` // raw, as given; normalised by resolve
	Email       string    `json:"email,omitempty"`
	IDNumber    string    `json:"id_number,omitempty"` // identity document number

	// Source is the provenance of the record: file and line, or report id.
	Source string `json:"source,omitempty"`
}

// Validate checks the invariants of a party and returns an EINVALID error
// naming the first field that breaks one.
func (p *Party) Validate() error {
	switch {
	case p.ID == "":
		return Errorf(EINVALID, "party_id is required")
	case p.FullName == "":
		return Errorf(EINVALID, "party %s: full_name is required", p.ID)
	case p.Kind != PartyPerson && p.Kind != PartyOrganisation:
		return Errorf(EINVALID, "party %s: kind must be person or organisation", p.ID)
	case p.Gender != "" && p.Gender != "F" && p.Gender != "M" && p.Gender != "X":
		return Errorf(EINVALID, "party %s: gender must be F, M or X", p.ID)
	case p.Country != "" && !IsCountryCode(p.Country):
		return Errorf(EINVALID, "party %s: country %q is not an ISO 3166-1 alpha-2 code", p.ID, p.Country)
	case p.Nationality != "" && !IsCountryCode(p.Nationality):
		return Errorf(EINVALID, "party %s: nationality %q is not an ISO 3166-1 alpha-2 code", p.ID, p.Nationality)
	}
	return nil
}

// PartyFilter selects parties. Nil fields are not filtered on.
type PartyFilter struct {
	ID     *string
	Name   *string // substring, case-insensitive
	Offset int
	Limit  int
}

// PartyService reads and writes parties.
type PartyService interface {
	// FindPartyByID returns ENOTFOUND when no party has the id.
	FindPartyByID(ctx context.Context, id string) (*Party, error)
	// FindParties returns the parties matching filter and the total count.
	FindParties(ctx context.Context, filter PartyFilter) ([]*Party, int, error)
}
