package vigil

// Lead is a set of identifiers received from a partner agency: one client
// from a dismantled network's list (leads.csv) or one arrested facilitator
// (seeds.csv, same columns). Every field but the id may be absent or noisy.
type Lead struct {
	ID        string `json:"lead_id"` // unique within its list, required
	FullName  string `json:"full_name,omitempty"`
	BirthDate Date   `json:"birth_date,omitzero"`
	Phone     string `json:"phone,omitempty"`
	Email     string `json:"email,omitempty"`
	Handle    string `json:"handle,omitempty"`  // online or video-call handle
	Account   string `json:"account,omitempty"` // bank, wallet or crypto account
	City      string `json:"city,omitempty"`
	Country   string `json:"country,omitempty"` // ISO 3166-1 alpha-2
	Note      string `json:"note,omitempty"`
	Source    string `json:"source,omitempty"`
}

// Validate checks that the lead has an id and at least one identifier.
func (l *Lead) Validate() error {
	switch {
	case l.ID == "":
		return Errorf(EINVALID, "lead_id is required")
	case l.FullName == "" && l.Phone == "" && l.Email == "" && l.Handle == "" && l.Account == "":
		return Errorf(EINVALID, "lead %s: needs at least one of full_name, phone, email, handle, account", l.ID)
	case l.Country != "" && !IsCountryCode(l.Country):
		return Errorf(EINVALID, "lead %s: country %q is not an ISO 3166-1 alpha-2 code", l.ID, l.Country)
	}
	return nil
}
