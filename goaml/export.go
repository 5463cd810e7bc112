package goaml

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math/big"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/nyaruka/phonenumbers"
	"github.com/vigilfiu/vigil"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
	"gopkg.in/yaml.v3"
)

// Entity is the reporting entity filing the report: its goAML id, branch,
// local currency, reporting person and location. It is configuration (a
// YAML file), not domain data.
type Entity struct {
	ID            int    `yaml:"rentity_id"`
	Branch        string `yaml:"branch"`
	LocalCurrency string `yaml:"currency_code_local"`
	Person        Person `yaml:"reporting_person"`
	Location      Place  `yaml:"location"`
}

// Person is the reporting person (usually the money-laundering reporting officer).
type Person struct {
	FirstName  string `yaml:"first_name"`
	LastName   string `yaml:"last_name"`
	Gender     string `yaml:"gender"` // F, M, X or empty
	Email      string `yaml:"email"`
	Occupation string `yaml:"occupation"`
}

// Identification is an identity document of a reported client.
type Identification struct {
	Kind         string // passport, national_id, driving_licence…; mapped by the profile
	Number       string
	IssueDate    time.Time
	ExpiryDate   time.Time
	IssueCountry string // ISO 3166-1 alpha-2
}

// Place is a postal address.
type Place struct {
	Address string `yaml:"address"`
	City    string `yaml:"city"`
	Country string `yaml:"country"` // ISO 3166-1 alpha-2
	State   string `yaml:"state"`
}

// LoadEntity reads an Entity from a YAML file.
func LoadEntity(path string) (*Entity, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, vigil.Errorf(vigil.EINVALID, "reporting entity file: %v", err)
	}
	var e Entity
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&e); err != nil {
		return nil, vigil.Errorf(vigil.EINVALID, "reporting entity file %s: %v", path, err)
	}
	return &e, e.Validate()
}

// Validate checks what every goAML schema requires of the reporting entity.
func (e *Entity) Validate() error {
	switch {
	case e.ID < 1:
		return vigil.Errorf(vigil.EINVALID, "reporting entity: rentity_id must be a positive number (the id the FIU gave you)")
	case !vigil.IsCurrencyCode(e.LocalCurrency):
		return vigil.Errorf(vigil.EINVALID, "reporting entity: currency_code_local %q is not an ISO 4217 code", e.LocalCurrency)
	case e.Person.FirstName == "" || e.Person.LastName == "":
		return vigil.Errorf(vigil.EINVALID, "reporting entity: reporting_person needs first_name and last_name")
	case e.Location.Country != "" && !vigil.IsCountryCode(e.Location.Country):
		return vigil.Errorf(vigil.EINVALID, "reporting entity: location country %q is not an ISO 3166-1 alpha-2 code", e.Location.Country)
	}
	return nil
}

// Report is what one STR says: the subjects (the entity's own clients),
// their transfers, and the alerts that explain why they are reported.
type Report struct {
	Reference string    // entity_reference: the case id or another reference of the entity's own
	Date      time.Time // report date
	Parties   []*vigil.Party
	Transfers []*vigil.Transfer // each sender must be among Parties
	Alerts    []*vigil.Alert
	// Catalogue names indicators in words (code → indicator); optional.
	Catalogue map[string]vigil.Indicator
	Reason    string // free text placed before the generated explanation
	Action    string // what the entity has done (account closed, …)
	// Identifications are identity documents of reported clients by party
	// id, from the entity's KYC records; some FIUs require one per client.
	Identifications map[string][]Identification
	// Rates converts transfers in another currency into the local currency:
	// currency → local units per unit, as a decimal string.
	Rates map[string]string
}

const maxComment = 8000 // comments_type maxLength in every schema here

// Write writes the report as goAML XML for the profile. It returns an
// EINVALID error naming the party or transfer when the schema requires
// something the data does not hold and no placeholder is allowed.
func Write(w io.Writer, e *Entity, r *Report, p *Profile) error {
	if err := e.Validate(); err != nil {
		return err
	}
	if len(r.Transfers) == 0 {
		return vigil.Errorf(vigil.EINVALID, "goAML report %s: no transfers to report (a report needs at least one transaction)", r.Reference)
	}
	parties := make(map[string]*vigil.Party, len(r.Parties))
	for _, pt := range r.Parties {
		parties[pt.ID] = pt
	}
	x := &xmlw{w: bufio.NewWriter(w), p: p}
	x.raw(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	x.open("report")
	x.leaf("schema_version", p.SchemaVersion)
	x.leaf("rentity_id", strconv.Itoa(e.ID))
	if e.Branch != "" || p.BranchRequired {
		x.leaf("rentity_branch", or(e.Branch, p.UnknownText))
	}
	x.leaf("submission_code", p.Submission)
	x.leaf("report_code", p.ReportCode)
	x.leaf("entity_reference", or(r.Reference, p.UnknownText))
	date := r.Date
	if date.IsZero() {
		date = time.Now()
	}
	x.leaf(p.DateElement, sqlDate(date))
	x.leaf("currency_code_local", e.LocalCurrency)
	x.open("reporting_person")
	x.leaf("gender", p.Gender[e.Person.Gender])
	x.leaf("first_name", x.name(e.Person.FirstName))
	x.leaf("last_name", x.name(e.Person.LastName))
	x.leaf("email", e.Person.Email)
	x.leaf("occupation", e.Person.Occupation)
	x.close("reporting_person")
	if e.Location.Address != "" || p.LocationRequired {
		x.address("location", e.Location)
	}
	x.leaf("reason", clip(reason(r, parties)))
	x.leaf("action", clip(r.Action))
	for _, t := range r.Transfers {
		if err := x.transaction(t, parties[t.SenderID], e, r); err != nil {
			return err
		}
	}
	if codes := indicators(r, p); len(codes) > 0 {
		x.open("report_indicators")
		for _, c := range codes {
			x.leaf("indicator", c)
		}
		x.close("report_indicators")
	}
	x.close("report")
	if x.err != nil {
		return x.err
	}
	return x.w.Flush()
}

func (x *xmlw) transaction(t *vigil.Transfer, pt *vigil.Party, e *Entity, r *Report) error {
	p := x.p
	if pt == nil {
		return vigil.Errorf(vigil.EINVALID, "transfer %s: its sender %s is not among the report's parties", t.ID, t.SenderID)
	}
	if pt.Kind == vigil.PartyOrganisation {
		return vigil.Errorf(vigil.EINVALID, "transfer %s: sender %s is an organisation; vigil exports persons only (t_entity_my_client is not written yet)", t.ID, pt.ID)
	}
	amountLocal, foreign, err := localAmount(t, e.LocalCurrency, r.Rates)
	if err != nil {
		return err
	}
	x.open("transaction")
	x.leaf("transactionnumber", t.ID)
	x.leaf("internal_ref_number", t.Source)
	if t.Provider != "" || p.TransactionLocationRequired {
		x.leaf("transaction_location", or(t.Provider, p.UnknownText))
	}
	x.leaf("transaction_description", clip(or(t.Purpose, p.UnknownText)))
	x.leaf("date_transaction", sqlDate(t.Timestamp))
	x.leaf("transmode_code", p.code(p.TransmodeCode, string(t.Channel)))
	x.leaf("transmode_comment", p.TransmodeComment)
	x.leaf("amount_local", amountLocal)

	x.open("t_from_my_client")
	x.leaf("from_funds_code", p.code(p.FundsCode, string(t.Channel)))
	if foreign != nil {
		x.open("from_foreign_currency")
		x.leaf("foreign_currency_code", t.Currency)
		x.leaf("foreign_amount", t.Amount.String())
		x.leaf("foreign_exchange_rate", foreign.rate)
		x.close("from_foreign_currency")
	}
	if err := x.client("from_person", pt, r.Identifications[pt.ID]); err != nil {
		return err
	}
	x.leaf("from_country", or(pt.Country, p.UnknownCode))
	x.close("t_from_my_client")

	x.open("t_to")
	x.leaf("to_funds_code", p.code(p.FundsCode, string(t.Channel)))
	x.open("to_person")
	first, last := splitName(t.BeneficiaryName)
	x.leaf("first_name", or(x.name(first), p.UnknownText))
	x.leaf("last_name", or(x.name(last), p.UnknownText))
	if t.BeneficiaryPhone != "" {
		x.open("phones")
		x.phone(t.BeneficiaryPhone, t.BeneficiaryCountry)
		x.close("phones")
	}
	x.close("to_person")
	x.leaf("to_country", t.BeneficiaryCountry)
	x.close("t_to")

	var notes []string
	if t.SenderAccount != "" {
		notes = append(notes, "sender account: "+t.SenderAccount)
	}
	if t.BeneficiaryAccount != "" {
		notes = append(notes, "beneficiary account: "+t.BeneficiaryAccount)
	}
	if t.BeneficiaryCity != "" {
		notes = append(notes, "beneficiary city: "+t.BeneficiaryCity)
	}
	if t.BeneficiaryID != "" {
		notes = append(notes, "beneficiary party id: "+t.BeneficiaryID)
	}
	if foreign == nil && t.Currency != e.LocalCurrency {
		notes = append(notes, "currency: "+t.Currency)
	}
	x.leaf("comments", clip(strings.Join(notes, "; ")))
	x.close("transaction")
	return x.err
}

// client writes a reported client (t_person_my_client) with the profile's
// fields in schema order.
func (x *xmlw) client(elem string, pt *vigil.Party, docs []Identification) error {
	p := x.p
	first, last := splitName(pt.FullName)
	var notes []string
	x.open(elem)
	for _, f := range p.PersonFields {
		req := p.required(f)
		text := func(v string) {
			if v == "" && req {
				v = p.UnknownText
			}
			x.leaf(f, v)
		}
		code := func(v string) {
			if v == "" && req {
				v = p.UnknownCode
			}
			x.leaf(f, v)
		}
		switch f {
		case "gender":
			code(p.Gender[pt.Gender])
		case "first_name":
			text(x.name(first))
		case "last_name":
			text(x.name(last))
		case "birthdate":
			d := pt.BirthDate
			if d.IsZero() {
				if req {
					return vigil.Errorf(vigil.EINVALID, "party %s: profile %s requires a birth date for a reported client and none is recorded", pt.ID, p.Name)
				}
				continue
			}
			if d.Precision() < 3 {
				notes = append(notes, "birth date known only as "+d.String())
			}
			x.leaf(f, fmt.Sprintf("%04d-%02d-%02dT00:00:00", d.Year, max(d.Month, 1), max(d.Day, 1)))
		case "ssn", "id_number":
			text(pt.IDNumber)
		case "nationality1":
			code(pt.Nationality)
		case "residence":
			code(pt.Country)
		case "phones":
			if pt.Phone == "" && !req {
				continue
			}
			x.open("phones")
			x.phone(pt.Phone, pt.Country)
			x.close("phones")
		case "addresses":
			if pt.Address == "" && pt.City == "" && !req {
				continue
			}
			x.open("addresses")
			addr := pt.Address
			if pt.Postcode != "" {
				addr = strings.TrimLeft(addr+", "+pt.Postcode, ", ")
			}
			x.address("address", Place{Address: addr, City: pt.City, Country: pt.Country})
			x.close("addresses")
		case "email":
			x.leaf(f, pt.Email)
		case "occupation", "birth_place", "source_of_wealth":
			text("")
		case "tax_reg_number":
			// UAE: a one-character flag; vigil does not know it.
			code("")
		case "identification":
			if len(docs) == 0 && req {
				return vigil.Errorf(vigil.EINVALID, "party %s: profile %s requires an identity document (type, number, issue and expiry dates, issuing country) for a reported client; give it with the report's identifications", pt.ID, p.Name)
			}
			for _, d := range docs {
				if d.Number == "" || d.IssueDate.IsZero() || d.ExpiryDate.IsZero() || !vigil.IsCountryCode(d.IssueCountry) {
					return vigil.Errorf(vigil.EINVALID, "party %s: identity document %q needs a number, issue and expiry dates and an issuing country", pt.ID, d.Number)
				}
				x.open("identification")
				x.leaf("type", p.code(p.IdentificationTypes, d.Kind))
				x.leaf("number", d.Number)
				x.leaf("issue_date", sqlDate(d.IssueDate))
				x.leaf("expiry_date", sqlDate(d.ExpiryDate))
				x.leaf("issue_country", d.IssueCountry)
				x.close("identification")
			}
		case "comments":
			notes = append(notes, "vigil party id: "+pt.ID)
			if pt.Source != "" {
				notes = append(notes, "source: "+pt.Source)
			}
			x.leaf(f, clip(strings.Join(notes, "; ")))
		}
	}
	x.close(elem)
	return x.err
}

func (x *xmlw) phone(raw, country string) {
	p := x.p
	prefix, number := "", raw
	if num, err := phonenumbers.Parse(raw, country); err == nil && raw != "" {
		prefix = strconv.Itoa(int(num.GetCountryCode()))
		number = strconv.FormatUint(num.GetNationalNumber(), 10)
	}
	x.open("phone")
	x.leaf("tph_contact_type", p.PhoneContactType)
	x.leaf("tph_communication_type", p.PhoneCommunicationType)
	if prefix != "" || p.PhonePrefixRequired {
		x.leaf("tph_country_prefix", or(prefix, p.UnknownCode))
	}
	x.leaf("tph_number", or(number, p.UnknownText))
	x.close("phone")
}

func (x *xmlw) address(elem string, a Place) {
	p := x.p
	x.open(elem)
	x.leaf("address_type", p.AddressType)
	x.leaf("address", or(a.Address, p.UnknownText))
	x.leaf("city", or(a.City, p.UnknownText))
	x.leaf("country_code", or(a.Country, p.UnknownCode))
	if a.State != "" || p.AddressStateRequired {
		x.leaf("state", or(a.State, p.UnknownText))
	}
	x.close(elem)
}

type foreignAmount struct{ rate string }

// localAmount returns amount_local: the transfer's amount when it is in the
// local currency, else the amount times the given rate, rounded to the
// 13 decimal places the schema allows.
func localAmount(t *vigil.Transfer, local string, rates map[string]string) (string, *foreignAmount, error) {
	if t.Currency == local {
		return t.Amount.String(), nil, nil
	}
	rate, ok := rates[t.Currency]
	if !ok {
		return "", nil, vigil.Errorf(vigil.EINVALID, "transfer %s is in %s but the report's local currency is %s: give an exchange rate (%s=…)", t.ID, t.Currency, local, t.Currency)
	}
	r, ok := new(big.Rat).SetString(rate)
	if !ok || r.Sign() <= 0 {
		return "", nil, vigil.Errorf(vigil.EINVALID, "exchange rate %s=%q is not a positive decimal", t.Currency, rate)
	}
	v := new(big.Rat).Mul(new(big.Rat).SetFrac64(int64(t.Amount), vigil.AmountScale), r)
	s := strings.TrimRight(strings.TrimRight(v.FloatString(6), "0"), ".")
	return s, &foreignAmount{rate: rate}, nil
}

// reason puts the alerts into words: who, the score and every indicator with
// its detail and transfers, so the FIU reads why the entity reports.
func reason(r *Report, parties map[string]*vigil.Party) string {
	var b strings.Builder
	if r.Reason != "" {
		b.WriteString(r.Reason)
		b.WriteString("\n")
	}
	for _, a := range r.Alerts {
		name := a.PartyID
		if pt := parties[a.PartyID]; pt != nil {
			name = pt.FullName + " (" + pt.ID + ")"
		}
		fmt.Fprintf(&b, "%s: score %.2f", name, a.Score)
		if a.Rank > 0 {
			fmt.Fprintf(&b, ", rank %d", a.Rank)
		}
		if a.Typology != "" {
			fmt.Fprintf(&b, ", pattern %s", a.Typology)
		}
		if a.RulePack != "" {
			fmt.Fprintf(&b, ", rule pack %s", a.RulePack)
		}
		b.WriteString(".\n")
		for _, h := range a.Hits {
			label := h.Code
			if ind, ok := r.Catalogue[h.Code]; ok && ind.Name != "" {
				label = ind.Name + " [" + h.Code + "]"
			}
			fmt.Fprintf(&b, "- %s: %s (weight %+.2f", label, h.Detail, h.Contribution)
			if n := len(h.TransferIDs); n > 0 {
				ids := h.TransferIDs
				if n > 10 {
					ids = ids[:10]
				}
				fmt.Fprintf(&b, "; transfers %s", strings.Join(ids, ", "))
				if n > 10 {
					fmt.Fprintf(&b, " and %d more", n-10)
				}
			}
			b.WriteString(")\n")
		}
	}
	return strings.TrimSpace(b.String())
}

// indicators maps the alerts' indicator codes and typologies through the
// profile, in first-seen order, or returns the profile's defaults.
func indicators(r *Report, p *Profile) []string {
	var out []string
	add := func(k string) {
		if c, ok := p.Indicators[k]; ok && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	for _, a := range r.Alerts {
		add(string(a.Typology))
		for _, h := range a.Hits {
			add(h.Code)
		}
	}
	if len(out) == 0 {
		out = append(out, p.DefaultIndicators...)
	}
	return out
}

func clip(s string) string {
	const tail = " … (shortened; the full explanation is in the case file)"
	if len([]rune(s)) <= maxComment {
		return s
	}
	r := []rune(s)
	return string(r[:maxComment-len([]rune(tail))]) + tail
}

// or returns the first non-empty value.
func or(v ...string) string {
	for _, s := range v {
		if s != "" {
			return s
		}
	}
	return ""
}

// splitName splits a full name into given names and a surname: "SURNAME,
// Given" is understood; otherwise the last word is the surname.
func splitName(s string) (first, last string) {
	s = strings.TrimSpace(s)
	if sur, given, ok := strings.Cut(s, ","); ok {
		return strings.TrimSpace(given), strings.TrimSpace(sur)
	}
	i := strings.LastIndexByte(s, ' ')
	if i < 0 {
		return "", s
	}
	return strings.TrimSpace(s[:i]), s[i+1:]
}

func sqlDate(t time.Time) string { return t.Format("2006-01-02T15:04:05") }

// textEscaper escapes element text; unlike xml.EscapeText it keeps line
// breaks readable.
var textEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "\r", "&#xD;")

// xmlw writes indented XML element by element, in the order the schema
// demands; empty leaves are left out.
type xmlw struct {
	w     *bufio.Writer
	p     *Profile
	depth int
	err   error
}

func (x *xmlw) raw(s string) {
	if x.err == nil {
		_, x.err = x.w.WriteString(s)
	}
}

func (x *xmlw) indent() { x.raw(strings.Repeat("  ", x.depth)) }

func (x *xmlw) open(name string) {
	x.indent()
	x.raw("<" + name + ">\n")
	x.depth++
}

func (x *xmlw) close(name string) {
	x.depth--
	x.indent()
	x.raw("</" + name + ">\n")
}

func (x *xmlw) leaf(name, v string) {
	if v == "" {
		return
	}
	x.indent()
	x.raw("<" + name + ">")
	x.raw(textEscaper.Replace(v))
	x.raw("</" + name + ">\n")
}

// name folds a name to the characters the profile allows: with ascii_names,
// accents are removed and anything outside [a-zA-Z0-9 .'-] becomes a space.
func (x *xmlw) name(s string) string {
	if !x.p.ASCIINames {
		return s
	}
	folded, _, err := transform.String(transform.Chain(norm.NFKD, runes.Remove(runes.In(unicode.Mn))), s)
	if err != nil {
		folded = s
	}
	b := []byte(folded)
	out := b[:0]
	for _, c := range b {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == ' ', c == '.', c == '\'', c == '-':
			out = append(out, c)
		case c >= 0x80 && (len(out) == 0 || out[len(out)-1] == ' '):
			// drop the remaining bytes of a non-Latin letter
		default:
			if len(out) > 0 && out[len(out)-1] != ' ' {
				out = append(out, ' ')
			}
		}
	}
	return strings.Join(strings.Fields(string(out)), " ")
}
