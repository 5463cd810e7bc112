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
	"unicode/utf8"

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
	if p.RentityIDMax > 0 && e.ID > p.RentityIDMax {
		return vigil.Errorf(vigil.EINVALID, "reporting entity: rentity_id %d is larger than profile %s allows (%d)", e.ID, p.Name, p.RentityIDMax)
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
	x.leaf("last_name", x.lastName(e.Person.LastName))
	x.leaf("email", e.Person.Email)
	x.leaf("occupation", e.Person.Occupation)
	x.close("reporting_person")
	if e.Location.Address != "" || p.LocationRequired {
		x.address("location", e.Location)
	}
	x.leaf("reason", x.clip(reason(r, parties)))
	x.leaf("action", x.clip(r.Action))
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
	x.leaf("transaction_description", x.clip(or(t.Purpose, p.UnknownText)))
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
	clientNotes, err := x.client("from_person", pt, r.Identifications[pt.ID])
	if err != nil {
		return err
	}
	x.leaf("from_country", or(pt.Country, p.UnknownCode))
	x.close("t_from_my_client")

	x.open("t_to")
	x.leaf("to_funds_code", p.code(p.FundsCode, string(t.Channel)))
	x.open("to_person")
	first, last := splitName(t.BeneficiaryName)
	x.leaf("first_name", or(x.name(first), p.UnknownText))
	x.leaf("last_name", or(x.lastName(last), p.UnknownText))
	if t.BeneficiaryPhone != "" {
		x.open("phones")
		x.phone(t.BeneficiaryPhone, t.BeneficiaryCountry)
		x.close("phones")
	}
	x.close("to_person")
	x.leaf("to_country", t.BeneficiaryCountry)
	x.close("t_to")

	// A schema without a person comments element (PPATK 4.0.2) gets the
	// client's notes here, so a partial birth date is still said.
	notes := clientNotes
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
	x.leaf("comments", x.clip(strings.Join(notes, "; ")))
	x.close("transaction")
	return x.err
}

// client writes a reported client (t_person_my_client) with the profile's
// fields in schema order. When the profile has no person comments element
// it returns the notes that would have gone there, for the transaction's.
func (x *xmlw) client(elem string, pt *vigil.Party, docs []Identification) ([]string, error) {
	p := x.p
	first, last := splitName(pt.FullName)
	var notes []string
	if written := strings.TrimSpace(x.name(first) + " " + x.lastName(last)); p.ASCIINames && written != strings.Join(strings.Fields(first+" "+last), " ") {
		notes = append(notes, "full name as recorded: "+pt.FullName)
	}
	if !slices.Contains(p.PersonFields, "identification") {
		// Not written (Sri Lanka 2.0: the number's pattern cannot match);
		// said in the comments so that nothing given is dropped.
		for _, d := range docs {
			notes = append(notes, fmt.Sprintf("identity document: %s %s, issued by %s, %s to %s", d.Kind, d.Number, d.IssueCountry, d.IssueDate.Format("2006-01-02"), d.ExpiryDate.Format("2006-01-02")))
		}
	}
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
			text(x.lastName(last))
		case "birthdate":
			d := pt.BirthDate
			if d.IsZero() {
				if req {
					return nil, vigil.Errorf(vigil.EINVALID, "party %s: profile %s requires a birth date for a reported client and none is recorded", pt.ID, p.Name)
				}
				continue
			}
			if d.Precision() < 3 {
				notes = append(notes, "birth date known only as "+d.String())
			}
			x.leaf(f, fmt.Sprintf("%04d-%02d-%02dT00:00:00", d.Year, max(d.Month, 1), max(d.Day, 1)))
		case "ssn", "id_number":
			if pt.IDNumber != "" && !p.idFits(f, pt.IDNumber) {
				notes = append(notes, "identity document number: "+pt.IDNumber)
				if req {
					return nil, vigil.Errorf(vigil.EINVALID, "party %s: profile %s requires %s in the form %s; the recorded number %q is not", pt.ID, p.Name, f, p.IDPatterns[f], pt.IDNumber)
				}
				continue
			}
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
			addr := pt.Address
			if pt.Postcode != "" {
				addr = strings.TrimLeft(addr+", "+pt.Postcode, ", ")
			}
			if p.ASCIIText {
				addr = addressText(addr)
			}
			if addr != "" && len(addr) < p.MinAddress {
				return nil, vigil.Errorf(vigil.EINVALID, "party %s: address %q is shorter than the %d characters profile %s requires; complete it in the party record", pt.ID, addr, p.MinAddress, p.Name)
			}
			x.open("addresses")
			x.address("address", Place{Address: addr, City: pt.City, Country: pt.Country})
			x.close("addresses")
		case "email":
			x.leaf(f, pt.Email)
		case "occupation", "birth_place", "source_of_wealth":
			text("")
		case "tax_reg_number":
			// A one-character flag (UAE, PPATK); vigil does not know it.
			code(p.TaxRegNumber)
		case "identification":
			if len(docs) == 0 && req {
				return nil, vigil.Errorf(vigil.EINVALID, "party %s: profile %s requires an identity document (type, number, issue and expiry dates, issuing country) for a reported client; give it with the report's identifications", pt.ID, p.Name)
			}
			for _, d := range docs {
				if d.Number == "" || d.IssueDate.IsZero() || d.ExpiryDate.IsZero() || !vigil.IsCountryCode(d.IssueCountry) {
					return nil, vigil.Errorf(vigil.EINVALID, "party %s: identity document %q needs a number, issue and expiry dates and an issuing country", pt.ID, d.Number)
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
			x.leaf(f, x.clip(strings.Join(append(notes, clientNotes(pt)...), "; ")))
			notes = nil
		}
	}
	x.close(elem)
	if !slices.Contains(p.PersonFields, "comments") {
		notes = append(notes, clientNotes(pt)...)
		for i, n := range notes {
			notes[i] = "sender " + n
		}
		return notes, x.err
	}
	return nil, x.err
}

func clientNotes(pt *vigil.Party) []string {
	notes := []string{"vigil party id: " + pt.ID}
	if pt.Source != "" {
		notes = append(notes, "source: "+pt.Source)
	}
	return notes
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
	x.leaf("tph_number", or(number, p.UnknownPhone, p.UnknownText))
	x.close("phone")
}

func (x *xmlw) address(elem string, a Place) {
	p := x.p
	x.open(elem)
	x.leaf("address_type", p.AddressType)
	if p.ASCIIText {
		a.Address, a.City, a.State = addressText(a.Address), addressText(a.City), addressText(a.State)
	}
	x.leaf("address", or(a.Address, p.UnknownAddress, p.UnknownText))
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

// clip shortens free text to the profile's limit (max_text, default the
// 8000 characters of comments_type) and, with ascii_text, folds it to
// printable ASCII first.
func (x *xmlw) clip(s string) string {
	limit := x.p.MaxText
	if limit <= 0 {
		limit = maxComment
	}
	if x.p.ASCIIText {
		return clipTo(asciiText(s), limit, " ... (shortened; the full explanation is in the case file)")
	}
	return clipTo(s, limit, clipTail)
}

const clipTail = " … (shortened; the full explanation is in the case file)"

func clip(s string) string { return clipTo(s, maxComment, clipTail) }

func clipTo(s string, limit int, tail string) string {
	if len(s) <= limit || len([]rune(s)) <= limit {
		return s
	}
	r := []rune(s)
	return string(r[:limit-len([]rune(tail))]) + tail
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
	x.raw(textEscaper.Replace(xmlChars(v)))
	x.raw("</" + name + ">\n")
}

// name folds a name to the characters the profile allows: with ascii_names,
// accents are removed and anything outside [a-zA-Z0-9 .'-] becomes a space;
// with letter_names too, only letters and single spaces remain.
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
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == ' ':
			out = append(out, c)
		case x.p.LetterNames && c == '\'':
			// O'Brien → OBrien: letters only, the name stays one word
		case !x.p.LetterNames && (c >= '0' && c <= '9' || c == '.' || c == '\'' || c == '-'):
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

// asciiFold replaces the non-ASCII characters vigil's own texts use with
// ASCII; other characters lose their accents, and what remains outside
// printable ASCII becomes "?".
var asciiFold = strings.NewReplacer("€", "EUR", "£", "GBP", "ß", "ss", "æ", "ae", "Æ", "AE", "ø", "o", "Ø", "O", "œ", "oe", "Œ", "OE", "ł", "l", "Ł", "L", "đ", "d", "Đ", "D", "þ", "th", "Þ", "Th", "…", "...", "–", "-", "—", "-", "‘", "'", "’", "'", "“", "\"", "”", "\"", "→", "->", "×", "x", "≥", ">=", "≤", "<=", "\u00a0", " ")

// asciiText folds s to printable ASCII with tab and line breaks, for
// schemas whose free text is [ -~\s]* (Sri Lanka 2.0).
func asciiText(s string) string {
	s = asciiFold.Replace(s)
	folded, _, err := transform.String(transform.Chain(norm.NFKD, runes.Remove(runes.In(unicode.Mn))), s)
	if err == nil {
		s = folded
	}
	b := make([]byte, 0, len(s))
	for _, r := range s {
		switch {
		case r == '\t' || r == '\n' || r == '\r' || (r >= ' ' && r <= '~'):
			b = append(b, byte(r))
		default:
			b = append(b, '?')
		}
	}
	return string(b)
}

// lastName is name, and with letter_names one word: the schema's surname
// pattern ([A-Za-z]+) has no space, so the parts are joined.
func (x *xmlw) lastName(s string) string {
	n := x.name(s)
	if x.p.LetterNames {
		n = strings.ReplaceAll(n, " ", "")
	}
	return n
}

// addressText is asciiText for address lines, whose patterns (Sri Lanka
// 2.0) have no "?": what cannot be folded becomes a space.
func addressText(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(asciiText(s), "?", " ")), " ")
}

// xmlChars replaces what XML 1.0 cannot hold (control characters other than
// tab and line breaks, U+FFFE, U+FFFF, invalid UTF-8) with U+FFFD, so a
// stray byte in a record or a profile cannot break the document.
func xmlChars(s string) string {
	ok := true
	for _, r := range s {
		if !xmlChar(r) {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if !xmlChar(r) {
			r = utf8.RuneError
		}
		b.WriteRune(r)
	}
	return b.String()
}

func xmlChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r < 0xD800 || r >= 0xE000 && r <= 0xFFFD && r != utf8.RuneError || r >= 0x10000 && r <= 0x10FFFF
}
