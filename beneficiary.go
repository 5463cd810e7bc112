package vigil

// Beneficiary is a recipient of transfers as resolved by vigil: a cluster of
// the raw recipient fields of many transfers that belong to one person or
// organisation abroad. Its ID is stable for the same input.
type Beneficiary struct {
	ID        string   `json:"beneficiary_id"`
	Name      string   `json:"name"`             // the most frequent name variant
	Names     []string `json:"names,omitempty"`  // every variant seen
	Phones    []string `json:"phones,omitempty"` // E.164 where it could be normalised
	Accounts  []string `json:"accounts,omitempty"`
	City      string   `json:"city,omitempty"`
	Country   string   `json:"country"`
	BirthDate Date     `json:"birth_date,omitzero"`
	PartyID   string   `json:"party_id,omitempty"` // when the recipient is a known party
}

// BeneficiaryLink records why a transfer was assigned to a beneficiary:
// the rule that joined it ("same phone", "same account", "name variant
// and city") and the transfer or beneficiary it was joined to.
type BeneficiaryLink struct {
	TransferID    string `json:"transfer_id"`
	BeneficiaryID string `json:"beneficiary_id"`
	Reason        string `json:"reason"`
	Via           string `json:"via,omitempty"`
}
