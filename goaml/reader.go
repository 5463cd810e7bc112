package goaml

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"github.com/vigilfiu/vigil/internal/xmlsafe"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/vigilfiu/vigil"
)

// Header is what a received report says about itself.
type Header struct {
	SchemaVersion   string
	EntityID        string // rentity_id
	ReportCode      string // STR, SAR, DPMSR…
	EntityReference string
	FIURef          string
	Date            string // submission_date or report_date as written
	LocalCurrency   string
}

// ID returns the report's identifier used as provenance: the entity's
// reference, else the FIU's, else "rentity <id>".
func (h Header) ID() string {
	switch {
	case h.EntityReference != "":
		return h.EntityReference
	case h.FIURef != "":
		return h.FIURef
	}
	return "rentity " + h.EntityID
}

// Kind says what a Record holds.
type Kind int

const (
	KindParty    Kind = 1
	KindTransfer Kind = 2
)

// Record is one party or transfer read from a report.
type Record struct {
	Kind     Kind
	Party    *vigil.Party
	Transfer *vigil.Transfer
}

// RecordError reports a transaction or party that was read but cannot be
// imported; it is not fatal.
type RecordError struct {
	File         string
	Line, Column int
	Reason       string
}

func (e *RecordError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Reason)
}

// node is one element of a transaction or report party, held whole while it
// is converted.
type node struct {
	name string
	text string
	kids []*node
}

// get returns the text of the first element at path below n; the
// placeholders reporters write for unknown values ("UNKNOWN", "-", "N/A")
// read as empty.
func (n *node) get(path ...string) string {
	if c := n.find(path...); c != nil && !placeholder(c.text) {
		return c.text
	}
	return ""
}

func placeholder(s string) bool {
	switch strings.ToUpper(s) {
	case "UNKNOWN", "-", "N/A", "NA", "NOT KNOWN", "NONE", "ADDRESS NOT KNOWN":
		return true
	}
	return false
}

// find returns the first element at path below n, or nil.
func (n *node) find(path ...string) *node {
	cur := n
	for _, p := range path {
		var next *node
		for _, k := range cur.kids {
			if k.name == p {
				next = k
				break
			}
		}
		if next == nil {
			return nil
		}
		cur = next
	}
	return cur
}

// Reader reads parties and transfers from one goAML report. Transactions and
// report parties are read one at a time, so a report of any length is read
// in bounded memory.
type Reader struct {
	name string
	lim  Limits
	src  *xmlsafe.Limiter
	dec  *xml.Decoder

	depth   int
	root    bool
	hdr     Header
	text    []byte
	capture []*node // open elements of the transaction or party being read
	nodes   int
	line    int
	col     int
	seen    map[string]bool
	pending []Record
	errs    []*RecordError
	ended   bool
	fatal   error
}

// NewReader returns a reader of the goAML report r; name is used in errors
// and provenance.
func NewReader(r io.Reader, name string) *Reader { return NewReaderLimits(r, name, Limits{}) }

// NewReaderLimits is NewReader with explicit limits.
func NewReaderLimits(r io.Reader, name string, lim Limits) *Reader {
	lim = lim.withDefaults()
	src := xmlsafe.NewLimiter(r, lim.MaxToken)
	dec := xml.NewDecoder(src)
	dec.Strict = true
	dec.CharsetReader = func(label string, _ io.Reader) (io.Reader, error) {
		return nil, fmt.Errorf("the report declares encoding %q; vigil reads UTF-8 reports only", label)
	}
	return &Reader{name: name, lim: lim, src: src, dec: dec, seen: map[string]bool{}}
}

// Header returns the report header read so far; it is complete once the
// first record has been returned.
func (r *Reader) Header() Header { return r.hdr }

// Next returns the next record, io.EOF after the last, a *RecordError for a
// transaction or party that cannot be imported (reading may go on), or a
// fatal *vigil.Error (EINVALID) naming file:line:column.
func (r *Reader) Next() (Record, error) {
	for {
		if len(r.pending) > 0 {
			rec := r.pending[0]
			r.pending = r.pending[1:]
			if rec.Kind == 0 {
				e := r.errs[0]
				r.errs = r.errs[1:]
				return Record{}, e
			}
			return rec, nil
		}
		if r.ended {
			return Record{}, r.fatal
		}
		if err := r.step(); err != nil {
			r.ended = true
			r.fatal = err
			if err == io.EOF && !r.root {
				r.fatal = r.fail(1, 1, "no goAML <report> element found")
			}
		}
	}
}

func (r *Reader) fail(line, col int, reason string) error {
	return vigil.Errorf(vigil.EINVALID, "%s:%d:%d: %s", r.name, line, col, reason)
}

func (r *Reader) errf(format string, args ...any) error {
	l, c := r.src.Pos(r.dec)
	return r.fail(l, c, fmt.Sprintf(format, args...))
}

func (r *Reader) step() error {
	r.src.Reset()
	tok, err := r.dec.Token()
	if err != nil {
		if err == io.EOF {
			return io.EOF
		}
		if errors.Is(err, xmlsafe.ErrTokenTooLarge) {
			return r.errf("a tag, text or comment is longer than %d bytes", r.lim.MaxToken)
		}
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			l, c := r.src.Pos(r.dec)
			return r.fail(l, c, "XML syntax error: "+se.Msg)
		}
		return r.errf("%v", err)
	}
	switch t := tok.(type) {
	case xml.Directive:
		return r.errf("document type declarations (DOCTYPE) and entity declarations are refused")
	case xml.StartElement:
		r.depth++
		if r.depth > r.lim.MaxDepth {
			return r.errf("elements nested deeper than %d", r.lim.MaxDepth)
		}
		r.text = r.text[:0]
		name := t.Name.Local
		if r.depth == 1 {
			if name != "report" {
				return r.errf("the root element is <%s>, not a goAML <report>", name)
			}
			r.root = true
			return nil
		}
		if len(r.capture) > 0 {
			r.nodes++
			if r.nodes > r.lim.MaxNodes {
				return r.errf("a transaction or party holds more than %d elements", r.lim.MaxNodes)
			}
			n := &node{name: name}
			parent := r.capture[len(r.capture)-1]
			parent.kids = append(parent.kids, n)
			r.capture = append(r.capture, n)
			return nil
		}
		// Transactions sit under report; report parties under
		// report/activity/report_parties.
		if (r.depth == 2 && name == "transaction") || (r.depth == 4 && name == "report_party") {
			r.line, r.col = r.src.Pos(r.dec)
			r.nodes = 1
			r.capture = append(r.capture[:0], &node{name: name})
		}
	case xml.CharData:
		r.text = append(r.text, t...)
	case xml.EndElement:
		r.depth--
		text := strings.TrimSpace(string(r.text))
		r.text = r.text[:0]
		if n := len(r.capture); n > 0 {
			cur := r.capture[n-1]
			if len(cur.kids) == 0 {
				cur.text = text
			}
			r.capture = r.capture[:n-1]
			if n == 1 {
				if cur.name == "transaction" {
					r.transaction(cur)
				} else {
					r.reportParty(cur)
				}
			}
			return nil
		}
		if r.depth == 1 {
			r.header(t.Name.Local, text)
		}
	}
	return nil
}

func (r *Reader) header(name, v string) {
	h := &r.hdr
	switch name {
	case "schema_version":
		h.SchemaVersion = v
	case "rentity_id":
		h.EntityID = v
	case "report_code":
		h.ReportCode = v
	case "entity_reference":
		h.EntityReference = v
	case "fiu_ref_number":
		h.FIURef = v
	case "submission_date", "report_date":
		h.Date = v
	case "currency_code_local":
		h.LocalCurrency = v
	}
}

func (r *Reader) source() string {
	return "goAML " + r.hdr.ReportCode + " " + r.hdr.ID() + " " + r.name + ":" + strconv.Itoa(r.line)
}

func (r *Reader) reject(reason string) {
	r.errs = append(r.errs, &RecordError{File: r.name, Line: r.line, Column: r.col, Reason: reason})
	r.pending = append(r.pending, Record{})
}

// reportParty reads a party of an activity report (no transaction).
func (r *Reader) reportParty(n *node) {
	for _, k := range n.kids {
		var p *vigil.Party
		switch k.name {
		case "person", "person_my_client":
			p = r.person(k)
		case "entity", "entity_my_client":
			p = r.entity(k)
		case "account", "account_my_client":
			p, _ = r.account(k)
		default:
			continue
		}
		if p == nil {
			r.reject("report party without a name")
			return
		}
		r.addParty(p)
		return
	}
}

func (r *Reader) addParty(p *vigil.Party) bool {
	if err := p.Validate(); err != nil {
		r.reject("party: " + vigil.ErrorMessage(err))
		return false
	}
	if !r.seen[p.ID] {
		r.seen[p.ID] = true
		r.pending = append(r.pending, Record{Kind: KindParty, Party: p})
	}
	return true
}

// transaction reads a bi-party transaction (t_from… to t_to…).
func (r *Reader) transaction(n *node) {
	id := or(n.get("transactionnumber"), n.get("internal_ref_number"))
	if id == "" {
		r.reject("transaction without transactionnumber")
		return
	}
	if n.find("involved_parties") != nil {
		r.reject("transaction " + id + ": multi-party transactions (involved_parties) are not read; only t_from…/t_to… transactions are")
		return
	}
	from := or2(n.find("t_from_my_client"), n.find("t_from"))
	to := or2(n.find("t_to_my_client"), n.find("t_to"))
	if from == nil || to == nil {
		r.reject("transaction " + id + ": needs a from side and a to side")
		return
	}
	amt, reason := vigil.ParseAmount(n.get("amount_local"))
	if reason != "" {
		r.reject("transaction " + id + ": amount_local " + strconv.Quote(n.get("amount_local")) + ": " + reason)
		return
	}
	ts, ok := parseDate(n.get("date_transaction"))
	if !ok {
		r.reject("transaction " + id + ": date_transaction " + strconv.Quote(n.get("date_transaction")) + " is not a date")
		return
	}
	t := &vigil.Transfer{
		ID: id, Timestamp: ts, Amount: amt, Currency: r.hdr.LocalCurrency,
		Purpose: n.get("transaction_description"), Source: r.source(),
	}
	// Sender
	var sender *vigil.Party
	switch {
	case from.find("from_person") != nil:
		sender = r.person(from.find("from_person"))
	case from.find("from_entity") != nil:
		sender = r.entity(from.find("from_entity"))
	case from.find("from_account") != nil:
		acc := from.find("from_account")
		sender, t.SenderAccount = r.account(acc)
		t.Provider = or(acc.get("swift"), acc.get("institution_name"))
	}
	if sender == nil {
		r.reject("transaction " + id + ": the from side names no person, entity or account holder")
		return
	}
	if sender.Country == "" && vigil.IsCountryCode(from.get("from_country")) {
		sender.Country = from.get("from_country")
	}
	t.SenderID = sender.ID
	// Beneficiary
	t.BeneficiaryCountry = to.get("to_country")
	switch {
	case to.find("to_person") != nil:
		p := r.person(to.find("to_person"))
		if p != nil {
			t.BeneficiaryName, t.BeneficiaryPhone, t.BeneficiaryCity, t.BeneficiaryBirthDate = p.FullName, p.Phone, p.City, p.BirthDate
		}
	case to.find("to_entity") != nil:
		if p := r.entity(to.find("to_entity")); p != nil {
			t.BeneficiaryName, t.BeneficiaryPhone, t.BeneficiaryCity = p.FullName, p.Phone, p.City
		}
	case to.find("to_account") != nil:
		p, acct := r.account(to.find("to_account"))
		t.BeneficiaryAccount = acct
		if p != nil {
			t.BeneficiaryName = p.FullName
		}
	}
	if t.BeneficiaryName == "" {
		r.reject("transaction " + id + ": the to side names no person, entity or account holder")
		return
	}
	if err := t.Validate(); err != nil {
		r.reject(vigil.ErrorMessage(err))
		return
	}
	if !r.addParty(sender) {
		return
	}
	r.pending = append(r.pending, Record{Kind: KindTransfer, Transfer: t})
}

// person converts a t_person (or my-client variant) into a party.
func (r *Reader) person(n *node) *vigil.Party {
	name := strings.Join(strings.Fields(strings.Join([]string{n.get("first_name"), n.get("middle_name"), n.get("last_name")}, " ")), " ")
	if name == "" {
		return nil
	}
	p := &vigil.Party{Kind: vigil.PartyPerson, FullName: name, Source: r.source()}
	if g := n.get("gender"); g == "F" || g == "M" {
		p.Gender = g
	}
	if t, ok := parseDate(n.get("birthdate")); ok {
		p.BirthDate = vigil.Date{Year: t.Year(), Month: int(t.Month()), Day: t.Day()}
		if p.BirthDate.Year < 1800 {
			p.BirthDate = vigil.Date{}
		}
	}
	if c := n.get("nationality1"); vigil.IsCountryCode(c) {
		p.Nationality = c
	}
	if c := n.get("residence"); vigil.IsCountryCode(c) {
		p.Country = c
	}
	p.IDNumber = or(n.get("id_number"), n.get("ssn"), n.get("passport_number"), n.get("identification", "number"), n.get("identifications", "identification", "number"))
	r.contact(n, p)
	p.ID = partyID(p.IDNumber, "person", p.FullName, p.BirthDate.String())
	return p
}

// entity converts a t_entity into an organisation party.
func (r *Reader) entity(n *node) *vigil.Party {
	name := n.get("name")
	if name == "" {
		return nil
	}
	p := &vigil.Party{Kind: vigil.PartyOrganisation, FullName: name, IDNumber: n.get("incorporation_number"), Source: r.source()}
	if c := n.get("incorporation_country_code"); vigil.IsCountryCode(c) {
		p.Country = c
	}
	r.contact(n, p)
	p.ID = partyID(p.IDNumber, "entity", p.FullName, p.Country)
	return p
}

// account returns the account holder as a party (the primary signatory, the
// entity, else the account name) and the account number.
func (r *Reader) account(n *node) (*vigil.Party, string) {
	acct := or(n.get("iban"), n.get("account"))
	var p *vigil.Party
	switch {
	case n.find("signatory", "t_person") != nil:
		p = r.person(n.find("signatory", "t_person"))
	case n.find("related_persons", "account_related_person", "t_person") != nil:
		p = r.person(n.find("related_persons", "account_related_person", "t_person"))
	case n.find("t_entity") != nil:
		p = r.entity(n.find("t_entity"))
	}
	if p == nil && n.get("account_name") != "" {
		p = &vigil.Party{Kind: vigil.PartyPerson, FullName: n.get("account_name"), Source: r.source(), ID: partyID(n.get("client_number"), "account", acct)}
	}
	return p, acct
}

func (r *Reader) contact(n *node, p *vigil.Party) {
	if ph := n.find("phones", "phone"); ph != nil {
		num := ph.get("tph_number")
		if pre := ph.get("tph_country_prefix"); pre != "" && num != "" {
			num = "+" + strings.TrimPrefix(pre, "+") + " " + num
		}
		p.Phone = num
	}
	if a := n.find("addresses", "address"); a != nil {
		p.Address, p.City = a.get("address"), a.get("city")
		p.Postcode = a.get("zip")
		if c := a.get("country_code"); p.Country == "" && vigil.IsCountryCode(c) {
			p.Country = c
		}
	}
	p.Email = or(n.get("email"), n.get("emails", "email"))
}

// partyID is the identifier a party is stored under: its document or
// registration number when the report gives one, else a digest of the kind,
// name and birth date (or country), so the same person in two reports gets
// the same id.
func partyID(number string, parts ...string) string {
	if number != "" {
		return number
	}
	h := sha256.Sum256([]byte(strings.ToLower(strings.Join(parts, "\x1f"))))
	return "goaml-" + hex.EncodeToString(h[:8])
}

func or2(a, b *node) *node {
	if a != nil {
		return a
	}
	return b
}

// parseDate reads goAML's sql_date (xs:dateTime, usually without zone: taken
// as UTC).
func parseDate(s string) (time.Time, bool) {
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", time.RFC3339Nano, "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
