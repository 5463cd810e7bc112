// Package ftm writes vigil's parties and transfers as FollowTheMoney (FtM)
// entities, one JSON object per line, so that OpenAleph/Aleph and the
// FtM tools can load a case: parties become Person or LegalEntity, transfers
// become Payment with the accounts as BankAccount, recipients as LegalEntity
// and wallet numbers as UserAccount.
//
// The output follows the FtM model v4 by default and v3.8 on request (the
// one property they name differently is UserAccount's phone number). The
// package writes only; it does not read FtM.
package ftm

import (
	"bufio"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"io"
	"math/big"
	"strconv"
	"strings"

	"github.com/nyaruka/phonenumbers"
	"github.com/vigilfiu/vigil"
)

// Entity is one FtM entity: an id, a schema name and multi-valued string
// properties.
type Entity struct {
	ID         string              `json:"id"`
	Schema     string              `json:"schema"`
	Properties map[string][]string `json:"properties"`
}

func (e *Entity) add(prop string, values ...string) {
	for _, v := range values {
		if v = strings.TrimSpace(v); v != "" {
			e.Properties[prop] = append(e.Properties[prop], v)
		}
	}
}

// Writer writes entities as JSON lines, each id once.
type Writer struct {
	w       *bufio.Writer
	enc     *json.Encoder
	v3      bool
	written map[string]bool
	n       int
}

// NewWriter returns a writer for FtM model version "4" (default, also "")
// or "3" (3.8).
func NewWriter(w io.Writer, model string) (*Writer, error) {
	switch model {
	case "", "4", "v4":
	case "3", "v3":
	default:
		return nil, vigil.Errorf(vigil.EINVALID, "FtM model %q: vigil writes model 3 (3.8) or 4", model)
	}
	bw := bufio.NewWriter(w)
	return &Writer{w: bw, enc: json.NewEncoder(bw), v3: strings.HasPrefix(strings.TrimPrefix(model, "v"), "3"), written: map[string]bool{}}, nil
}

// Count returns the number of entities written.
func (w *Writer) Count() int { return w.n }

// Flush writes buffered output.
func (w *Writer) Flush() error { return w.w.Flush() }

func (w *Writer) put(e *Entity) error {
	if w.written[e.ID] {
		return nil
	}
	w.written[e.ID] = true
	w.n++
	return w.enc.Encode(e)
}

// PartyID is the FtM id of a vigil party.
func PartyID(id string) string { return "vigil-party-" + slug(id) }

// TransferID is the FtM id of a vigil transfer.
func TransferID(id string) string { return "vigil-transfer-" + slug(id) }

// WriteParty writes a party as Person (person) or LegalEntity (organisation).
func (w *Writer) WriteParty(p *vigil.Party) error {
	e := &Entity{ID: PartyID(p.ID), Schema: "Person", Properties: map[string][]string{}}
	if p.Kind == vigil.PartyOrganisation {
		e.Schema = "LegalEntity"
	}
	e.add("name", p.FullName)
	if e.Schema == "Person" {
		e.add("birthDate", p.BirthDate.String())
		e.add("gender", map[string]string{"F": "female", "M": "male", "X": "other"}[p.Gender])
		e.add("nationality", country(p.Nationality))
	}
	e.add("country", country(p.Country))
	e.add("address", joinNonEmpty(", ", p.Address, strings.TrimSpace(p.Postcode+" "+p.City)))
	e.add("email", p.Email)
	e.add("idNumber", p.IDNumber)
	phone, ok := e164(p.Phone, p.Country)
	e.add("phone", phone)
	notes := []string{"vigil party " + p.ID}
	if !ok && p.Phone != "" {
		notes = append(notes, "phone as recorded (not a valid international number): "+p.Phone)
	}
	if p.Source != "" {
		notes = append(notes, "source: "+p.Source)
	}
	e.add("notes", strings.Join(notes, "; "))
	return w.put(e)
}

// WriteTransfer writes a transfer as a Payment from the sender's party to
// the recipient, with the accounts as BankAccount entities, the recipient as
// a LegalEntity (or the known party) and a recipient's phone (the usual key
// of a mobile wallet) as a UserAccount. The sender's party must be written
// too for the payer reference to resolve.
func (w *Writer) WriteTransfer(t *vigil.Transfer) error {
	pay := &Entity{ID: TransferID(t.ID), Schema: "Payment", Properties: map[string][]string{}}
	pay.add("payer", PartyID(t.SenderID))
	if t.SenderAccount != "" {
		acct := account(t.SenderAccount, t.Provider)
		acct.add("notes", "account of vigil party "+t.SenderID)
		if err := w.put(acct); err != nil {
			return err
		}
		pay.add("payerAccount", acct.ID)
	}
	benID := PartyID(t.BeneficiaryID)
	if t.BeneficiaryID == "" {
		ben := &Entity{ID: "vigil-recipient-" + digest(t.BeneficiaryName, t.BeneficiaryCountry, t.BeneficiaryAccount, t.BeneficiaryPhone), Schema: "LegalEntity", Properties: map[string][]string{}}
		ben.add("name", t.BeneficiaryName)
		ben.add("country", country(t.BeneficiaryCountry))
		ben.add("address", t.BeneficiaryCity)
		phone, ok := e164(t.BeneficiaryPhone, t.BeneficiaryCountry)
		ben.add("phone", phone)
		note := "recipient as named in vigil transfer " + t.ID
		if !ok && t.BeneficiaryPhone != "" {
			note += "; phone as recorded: " + t.BeneficiaryPhone
		}
		if !t.BeneficiaryBirthDate.IsZero() {
			note += "; birth date " + t.BeneficiaryBirthDate.String()
		}
		ben.add("notes", note)
		if err := w.put(ben); err != nil {
			return err
		}
		benID = ben.ID
		if ok {
			ua := &Entity{ID: "vigil-wallet-" + digest(phone, t.Provider), Schema: "UserAccount", Properties: map[string][]string{}}
			ua.add("username", phone)
			if w.v3 {
				ua.add("number", phone)
			} else {
				ua.add("phone", phone)
			}
			ua.add("owner", benID)
			ua.add("service", t.Provider)
			if err := w.put(ua); err != nil {
				return err
			}
		}
	}
	pay.add("beneficiary", benID)
	if t.BeneficiaryAccount != "" {
		acct := account(t.BeneficiaryAccount, "")
		if err := w.put(acct); err != nil {
			return err
		}
		pay.add("beneficiaryAccount", acct.ID)
	}
	pay.add("amount", t.Amount.String())
	pay.add("currency", t.Currency)
	pay.add("date", t.Timestamp.UTC().Format("2006-01-02T15:04:05"))
	pay.add("purpose", t.Purpose)
	pay.add("transactionNumber", t.ID)
	pay.add("description", joinNonEmpty(" via ", string(t.Channel), t.Provider))
	pay.add("recordId", t.Source)
	return w.put(pay)
}

// account returns a BankAccount entity for an account identifier; an
// identifier that passes the IBAN check is also written as iban.
func account(id, bank string) *Entity {
	e := &Entity{ID: "vigil-account-" + digest(strings.ToUpper(strings.ReplaceAll(id, " ", ""))), Schema: "BankAccount", Properties: map[string][]string{}}
	e.add("accountNumber", id)
	if isIBAN(id) {
		e.add("iban", strings.ToUpper(strings.ReplaceAll(id, " ", "")))
	}
	e.add("bankName", bank)
	return e
}

func country(c string) string {
	if vigil.IsCountryCode(c) {
		return strings.ToLower(c)
	}
	return ""
}

// e164 normalises a phone number with the country as default region.
func e164(raw, region string) (string, bool) {
	if raw == "" {
		return "", false
	}
	num, err := phonenumbers.Parse(raw, region)
	if err != nil || !phonenumbers.IsPossibleNumber(num) {
		return "", false
	}
	return phonenumbers.Format(num, phonenumbers.E164), true
}

// isIBAN checks the ISO 13616 mod-97 check digits.
func isIBAN(s string) bool {
	s = strings.ToUpper(strings.ReplaceAll(s, " ", ""))
	if len(s) < 15 || len(s) > 34 || !vigil.IsCountryCode(s[:2]) {
		return false
	}
	var b strings.Builder
	for _, c := range s[4:] + s[:4] {
		switch {
		case c >= '0' && c <= '9':
			b.WriteRune(c)
		case c >= 'A' && c <= 'Z':
			b.WriteString(strconv.Itoa(int(c-'A') + 10))
		default:
			return false
		}
	}
	n, ok := new(big.Int).SetString(b.String(), 10)
	return ok && new(big.Int).Mod(n, big.NewInt(97)).Int64() == 1
}

// slug keeps an id readable when it is made of safe characters, else hashes it.
func slug(id string) string {
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return digest(id)
		}
	}
	if id == "" || len(id) > 100 {
		return digest(id)
	}
	return id
}

func digest(parts ...string) string {
	h := sha1.Sum([]byte(strings.Join(parts, "\x1f")))
	return hex.EncodeToString(h[:10])
}

func joinNonEmpty(sep string, v ...string) string {
	var out []string
	for _, s := range v {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return strings.Join(out, sep)
}
