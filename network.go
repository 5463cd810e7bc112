package vigil

import (
	"context"
	"strings"
	"time"
)

// NetworkEdge is the money from one sender to one recipient over a period:
// the unit of the payment-network picture on the party page.
type NetworkEdge struct {
	SenderID      string    `json:"sender_id"`
	Recipient     string    `json:"recipient"`      // RecipientKey of the recipient
	RecipientName string    `json:"recipient_name"` // as written on the transfers
	Country       string    `json:"country"`        // beneficiary country
	Transfers     int       `json:"transfers"`
	Total         Amount    `json:"total"`
	Currency      string    `json:"currency"`
	First, Last   time.Time `json:"-"`
}

// RecipientKey names the recipient of a transfer for the network picture:
// "party:ID" when the recipient is a known party, otherwise
// "name:NAME|COUNTRY" on the raw name as written.
func RecipientKey(t *Transfer) string {
	if t.BeneficiaryID != "" {
		return "party:" + t.BeneficiaryID
	}
	return "name:" + t.BeneficiaryName + "|" + t.BeneficiaryCountry
}

// ParseRecipientKey splits a key made by RecipientKey; ok is false for
// anything else.
func ParseRecipientKey(key string) (partyID, name, country string, ok bool) {
	if id, found := strings.CutPrefix(key, "party:"); found && id != "" {
		return id, "", "", true
	}
	rest, found := strings.CutPrefix(key, "name:")
	if !found {
		return "", "", "", false
	}
	i := strings.LastIndexByte(rest, '|')
	if i <= 0 {
		return "", "", "", false
	}
	return "", rest[:i], rest[i+1:], true
}

// TransferPoint is the little of a transfer that a timeline needs: what the
// party page loads for every transfer of a party, however many there are.
type TransferPoint struct {
	ID                 string    `json:"transfer_id"`
	Time               time.Time `json:"timestamp"`
	Amount             Amount    `json:"amount"`
	Currency           string    `json:"currency"`
	BeneficiaryID      string    `json:"beneficiary_id,omitempty"`
	BeneficiaryName    string    `json:"beneficiary_name,omitempty"`
	BeneficiaryCountry string    `json:"beneficiary_country"`
}

// RecipientKey is RecipientKey of the transfer the point was taken from.
func (p *TransferPoint) RecipientKey() string {
	if p.BeneficiaryID != "" {
		return "party:" + p.BeneficiaryID
	}
	return "name:" + p.BeneficiaryName + "|" + p.BeneficiaryCountry
}

// Point returns the TransferPoint of t.
func (t *Transfer) Point() TransferPoint {
	return TransferPoint{ID: t.ID, Time: t.Timestamp, Amount: t.Amount, Currency: t.Currency,
		BeneficiaryID: t.BeneficiaryID, BeneficiaryName: t.BeneficiaryName, BeneficiaryCountry: t.BeneficiaryCountry}
}

// NetworkService reads the payment network around parties and recipients.
type NetworkService interface {
	// TransferPoints returns a point for every transfer a party sent, in
	// time order (Time in UTC).
	TransferPoints(ctx context.Context, senderID string) ([]TransferPoint, error)
	// RecentTransfers returns a page of a party's transfers, newest first.
	RecentTransfers(ctx context.Context, senderID string, offset, limit int) ([]*Transfer, error)
	// SenderEdges returns the edges from a party to each of its recipients
	// within [from, to) (nil: unbounded), largest total first.
	SenderEdges(ctx context.Context, partyID string, from, to *time.Time) ([]NetworkEdge, error)
	// RecipientEdges returns the edges from every sender to the recipient
	// with the given key; EINVALID for a malformed key.
	RecipientEdges(ctx context.Context, key string, from, to *time.Time) ([]NetworkEdge, error)
}
