package vigil

import (
	"context"
	"time"
)

// Channel is how a transfer was made.
type Channel string

const (
	ChannelRemittance Channel = "remittance" // money-service business
	ChannelBank       Channel = "bank"
	ChannelWallet     Channel = "wallet" // e-money or mobile wallet
	ChannelCard       Channel = "card"
	ChannelCrypto     Channel = "crypto"
)

// ValidChannel reports whether c is empty or one of the known channels.
func ValidChannel(c Channel) bool {
	switch c {
	case "", ChannelRemittance, ChannelBank, ChannelWallet, ChannelCard, ChannelCrypto:
		return true
	}
	return false
}

// Transfer is one payment from a domestic party to a recipient. The
// recipient is either a known party (BeneficiaryID) or described by raw
// fields that resolve clusters into beneficiaries; every raw field is kept
// as received.
type Transfer struct {
	ID        string    `json:"transfer_id"` // unique, required
	Timestamp time.Time `json:"timestamp"`   // with the sender's offset as given
	SenderID  string    `json:"sender_id"`   // a party id, required

	SenderAccount string `json:"sender_account,omitempty"`

	// BeneficiaryID is a party id when the recipient is a known party.
	BeneficiaryID        string `json:"beneficiary_id,omitempty"`
	BeneficiaryName      string `json:"beneficiary_name,omitempty"` // required when BeneficiaryID is empty
	BeneficiaryPhone     string `json:"beneficiary_phone,omitempty"`
	BeneficiaryAccount   string `json:"beneficiary_account,omitempty"`
	BeneficiaryCity      string `json:"beneficiary_city,omitempty"`
	BeneficiaryCountry   string `json:"beneficiary_country"` // ISO 3166-1 alpha-2, required
	BeneficiaryBirthDate Date   `json:"beneficiary_birth_date,omitzero"`

	Amount   Amount  `json:"amount"`   // > 0, exact
	Currency string  `json:"currency"` // ISO 4217, required
	Channel  Channel `json:"channel,omitempty"`
	Provider string  `json:"provider,omitempty"`
	Purpose  string  `json:"purpose,omitempty"` // free text as entered by the sender

	// Source is the provenance of the record: file and line, or report id.
	Source string `json:"source,omitempty"`
}

// Validate checks the invariants of a transfer and returns an EINVALID error
// naming the first field that breaks one.
func (t *Transfer) Validate() error {
	switch {
	case t.ID == "":
		return Errorf(EINVALID, "transfer_id is required")
	case t.Timestamp.IsZero():
		return Errorf(EINVALID, "transfer %s: timestamp is required", t.ID)
	case t.SenderID == "":
		return Errorf(EINVALID, "transfer %s: sender_id is required", t.ID)
	case t.BeneficiaryID == "" && t.BeneficiaryName == "":
		return Errorf(EINVALID, "transfer %s: beneficiary_name is required when beneficiary_id is empty", t.ID)
	case !IsCountryCode(t.BeneficiaryCountry):
		return Errorf(EINVALID, "transfer %s: beneficiary_country %q is not an ISO 3166-1 alpha-2 code", t.ID, t.BeneficiaryCountry)
	case t.Amount <= 0:
		return Errorf(EINVALID, "transfer %s: amount must be greater than zero", t.ID)
	case !IsCurrencyCode(t.Currency):
		return Errorf(EINVALID, "transfer %s: currency %q is not an ISO 4217 code", t.ID, t.Currency)
	case !ValidChannel(t.Channel):
		return Errorf(EINVALID, "transfer %s: channel %q is not one of remittance, bank, wallet, card, crypto", t.ID, t.Channel)
	}
	return nil
}

// TransferFilter selects transfers. Nil fields are not filtered on.
type TransferFilter struct {
	SenderID *string
	From, To *time.Time
	Offset   int
	Limit    int
}

// TransferService reads transfers.
type TransferService interface {
	// FindTransfers returns the transfers matching filter in time order.
	FindTransfers(ctx context.Context, filter TransferFilter) ([]*Transfer, error)
	// EachTransfer calls fn for every stored transfer in time order, then
	// by id, stopping at the first error fn returns.
	EachTransfer(ctx context.Context, fn func(*Transfer) error) error
}
