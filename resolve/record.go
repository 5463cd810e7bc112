package resolve

import (
	"slices"
	"strings"

	"github.com/vigilfiu/vigil"
)

// Record is anything resolve can compare: a party, a lead, a beneficiary,
// a row of a benchmark. Every field may be empty; empty fields are
// "unknown" and weigh nothing. Name is a full name that ParseName splits;
// when the source already separates them, set Given and Surname instead.
type Record struct {
	ID        string
	Name      string
	Given     string
	Surname   string
	BirthDate vigil.Date
	Gender    string
	Phone     string
	Email     string
	Handle    string
	Account   string
	IDNumber  string
	Address   string
	City      string
	Postcode  string
	Country   string
	// Occupation is the stated occupation or profession, when the source
	// has one (a KYC form; the historical-figures benchmark).
	Occupation string
}

// RecordFromParty returns the comparable fields of a party.
func RecordFromParty(p *vigil.Party) Record {
	return Record{ID: p.ID, Name: p.FullName, BirthDate: p.BirthDate, Gender: p.Gender,
		Phone: p.Phone, Email: p.Email, IDNumber: p.IDNumber, Address: p.Address,
		City: p.City, Postcode: p.Postcode, Country: p.Country}
}

// RecordFromLead returns the comparable fields of a lead.
func RecordFromLead(l *vigil.Lead) Record {
	return Record{ID: l.ID, Name: l.FullName, BirthDate: l.BirthDate, Phone: l.Phone,
		Email: l.Email, Handle: l.Handle, Account: l.Account, City: l.City, Country: l.Country}
}

// RecordFromBeneficiary returns the comparable fields of a beneficiary
// (its first phone and account).
func RecordFromBeneficiary(b *vigil.Beneficiary) Record {
	r := Record{ID: b.ID, Name: b.Name, BirthDate: b.BirthDate, City: b.City, Country: b.Country}
	if len(b.Phones) > 0 {
		r.Phone = b.Phones[0]
	}
	if len(b.Accounts) > 0 {
		r.Account = b.Accounts[0]
	}
	return r
}

// prepared holds the normalised fields of a record, computed once.
type prepared struct {
	given, surname string // folded
	given1         string // first given name
	// selfWords are the letter runs of three or more of the email's local
	// part and of the handle, space-separated, kept only when the given
	// name is an initial: the record's own spelling of that name
	// ("K. Hughes", hughes.kenneth283@…), see spelledInitial.
	selfWords string
	ordered   bool
	givenKey  string // PhoneticKey(given1)
	surKey    string // PhoneticKey(surname), words joined
	sur1Key   string // phonetic key of the first surname word
	initial   byte
	dob       vigil.Date
	phone     string // last 9 digits, "" when fewer than 7 digits
	// phoneFromHandle: phone was read from the handle (handlePhone), the
	// record having no phone of its own; the explanation says so.
	phoneFromHandle bool
	// phone2 is the handle's phone (handlePhone) when the record has a
	// phone of its own that differs: either agreeing is "same".
	phone2     string
	email      string
	handle     string
	account    string
	idnum      string
	address    string
	city       string
	cityKey    string // PhoneticKey(city), words joined
	postcode   string
	country    string
	gender     string
	occupation string // folded
	common     uint8  // commonYear, commonCity, commonCityInitial: set by buildIndex on reference records
	// tokKeys are the distinct phonetic keys of every word of the name
	// (given names, surname words, and the other words of Record.Name
	// when the parts were given apart), space-separated, without
	// particles, initials and words with digits: the blocking keys that
	// survive a name written in the wrong column, a lone name and a title.
	tokKeys string
	// nickKeys are the phonetic keys of the formal names of the given
	// names in the nickname table ("fred" → alfred, frederick …; "alfred"
	// → alfred), space-separated: the fuzzy nickname keys (ruleNick*).
	nickKeys string
	// words are the distinct folded words of the name (four to twenty
	// characters, with at least one letter) and the letter runs of four or
	// more of the email's local part ("isabelleh97@…" → "isabelleh"),
	// space-separated, at most six: the blocking keys of one edit
	// (ruleWordEdit) are made from them.
	words string
	// commonWords has bit i set when word i of words is held by more
	// than the weak limit of reference records: its keys of one edit
	// would all be in blocks too large to compare, so they are not made
	// (set by buildIndex on reference records).
	commonWords uint8
}

// keyCache remembers the phonetic keys of the names and cities already
// seen by one goroutine: a million records hold far fewer distinct names,
// and the records then share one copy of each key.
type keyCache struct {
	word map[string]string // phoneticWord
	full map[string]string // PhoneticKey, words joined
}

func newKeyCache() *keyCache {
	return &keyCache{word: map[string]string{}, full: map[string]string{}}
}

func (c *keyCache) phoneticWord(w string) string {
	if c == nil {
		return phoneticWord(w)
	}
	k, ok := c.word[w]
	if !ok {
		k = phoneticWord(w)
		c.word[w] = k
	}
	return k
}

func (c *keyCache) joinedKey(s string) string {
	if c == nil {
		return strings.ReplaceAll(PhoneticKey(s), " ", "")
	}
	k, ok := c.full[s]
	if !ok {
		k = strings.ReplaceAll(PhoneticKey(s), " ", "")
		c.full[s] = k
	}
	return k
}

func prepare(r *Record) prepared { return prepareWith(r, nil) }

func prepareWith(r *Record, c *keyCache) prepared {
	var p prepared
	var n Name
	if r.Given != "" || r.Surname != "" {
		n = Name{Given: FoldName(ExpandAbbrev(r.Given)), Surname: FoldName(r.Surname), Ordered: true}
		if n.Surname == "" {
			n.Ordered = false
		}
	} else {
		n = ParseName(r.Name)
	}
	p.given, p.surname, p.ordered = n.Given, n.Surname, n.Ordered
	if i := strings.IndexByte(p.given, ' '); i > 0 {
		p.given1 = p.given[:i]
	} else {
		p.given1 = p.given
	}
	if p.given1 != "" {
		p.initial = p.given1[0]
		p.givenKey = c.phoneticWord(p.given1)
	}
	if p.surname != "" {
		p.surKey = c.joinedKey(p.surname)
		p.sur1Key = c.phoneticWord(firstWord(p.surname))
	}
	extra := extraName(r)
	p.tokKeys = tokenKeys(p.given, p.surname, extra, c)
	p.nickKeys = nicknameKeys(p.given, extra, c)
	if strings.IndexByte(p.surname, ' ') > 0 && !strings.Contains(" "+p.tokKeys+" ", " "+p.surKey+" ") {
		// a compound surname also as one word: "dela cruz" = "delacruz"
		p.tokKeys = strings.TrimSpace(p.tokKeys + " " + p.surKey)
	}
	p.words = editWords(p.given, p.surname, extraName(r), r.Email)
	if len(p.given1) == 1 {
		p.selfWords = selfWords(r.Email, r.Handle)
	}
	p.dob = r.BirthDate
	p.phone = phoneTail(r.Phone)
	// a messaging handle that is a phone number (WhatsApp, Viber, Signal
	// and Telegram contacts are listed by number): the lead's phone when
	// it has none, its second phone when it has another
	if t := handlePhone(r.Handle); t != "" {
		switch {
		case p.phone == "":
			p.phone, p.phoneFromHandle = t, true
		case t != p.phone:
			p.phone2 = t
		}
	}
	if e, ok := CanonicalEmail(r.Email); ok {
		p.email = e
	} else if r.Email != "" {
		// an address that does not parse is still compared as written
		p.email = strings.ToLower(strings.TrimSpace(r.Email))
	}
	p.handle = strings.TrimPrefix(strings.ToLower(strings.TrimSpace(r.Handle)), "@")
	p.account = alnumUpper(r.Account)
	p.idnum = alnumUpper(r.IDNumber)
	p.address = FoldName(r.Address)
	p.city = FoldName(r.City)
	if p.city != "" {
		p.cityKey = c.joinedKey(p.city)
	}
	p.postcode = alnumUpper(r.Postcode)
	p.country = strings.ToUpper(strings.TrimSpace(r.Country))
	if r.Occupation != "" {
		p.occupation = FoldName(r.Occupation)
	}
	p.gender = strings.ToUpper(strings.TrimSpace(r.Gender))
	if p.gender != "" {
		p.gender = p.gender[:1]
	}
	return p
}

// extraName returns the folded full name of r when the given name and
// surname were given apart and the full name says more ("thomas clifford,
// 1st baron clifford of chudleigh" beside "thomas", "chudleigh").
func extraName(r *Record) string {
	if r.Name == "" || (r.Given == "" && r.Surname == "") {
		return ""
	}
	return FoldName(ExpandAbbrev(r.Name))
}

// tokenKeys joins the distinct phonetic keys of the words of the parts.
func tokenKeys(given, surname, extra string, c *keyCache) string {
	var keys [12]string
	n := 0
	for _, part := range [3]string{given, surname, extra} {
		for len(part) > 0 && n < len(keys) {
			i := strings.IndexByte(part, ' ')
			w := part
			if i >= 0 {
				w, part = part[:i], part[i+1:]
			} else {
				part = ""
			}
			if len(w) < 2 || particles[w] || strings.ContainsAny(w, "0123456789") {
				continue
			}
			k := c.phoneticWord(w)
			if k == "" || slices.Contains(keys[:n], k) {
				continue
			}
			keys[n] = k
			n++
		}
	}
	return strings.Join(keys[:n], " ") // no allocation for none or one
}

// nicknameKeys returns prepared.nickKeys: for each word of the given
// names (or of the full name) that is in the nickname table, the phonetic
// keys of its formal names, and its own when it is a formal name itself
// ("fred" → alfred, frederick …; "alfred" → alfred), at most sixteen
// ("rick" alone has twelve).
func nicknameKeys(given, extra string, c *keyCache) string {
	var keys [16]string
	n := 0
	add := func(f string) {
		if k := c.phoneticWord(f); n < len(keys) && k != "" && !slices.Contains(keys[:n], k) {
			keys[n] = k
			n++
		}
	}
	for _, part := range [2]string{given, extra} {
		for part != "" && n < len(keys) {
			w, rest, _ := strings.Cut(part, " ")
			part = rest
			formalNames(w, add)
		}
	}
	return strings.Join(keys[:n], " ") // no allocation for none or one
}

// editWords returns prepared.words: the distinct words of four to twenty
// characters (not particles, at least one letter) of the folded name
// parts, then the letter runs of four or more of the email's local part,
// at most six in all.
func editWords(given, surname, extra, email string) string {
	var words [6]string
	n := 0
	add := func(w string) {
		if n == len(words) || len(w) < 4 || len(w) > 20 || particles[w] || slices.Contains(words[:n], w) {
			return
		}
		for i := 0; i < len(w); i++ {
			if c := w[i]; c >= 'a' && c <= 'z' {
				words[n] = w
				n++
				return
			}
		}
	}
	for _, part := range [3]string{given, surname, extra} {
		for part != "" {
			w, rest, _ := strings.Cut(part, " ")
			add(w)
			part = rest
		}
	}
	if at := strings.IndexByte(email, '@'); at > 0 {
		local := strings.ToLower(email[:at])
		for i := 0; i < len(local); {
			if c := local[i]; c < 'a' || c > 'z' {
				i++
				continue
			}
			j := i
			for j < len(local) && local[j] >= 'a' && local[j] <= 'z' {
				j++
			}
			add(local[i:j])
			i = j
		}
	}
	return strings.Join(words[:n], " ") // no allocation for none or one
}

// phoneTail returns the last nine digits of a phone number: the
// subscriber part that survives every national and international way of
// writing it ("0917 123 4567", "+63 917 123 4567"). Numbers of fewer than
// seven digits are treated as absent.
func phoneTail(s string) string {
	var d [32]byte
	n := 0
	for i := 0; i < len(s) && n < len(d); i++ {
		if c := s[i]; c >= '0' && c <= '9' {
			d[n] = c
			n++
		}
	}
	if n < 7 {
		return ""
	}
	if n > 9 {
		return string(d[n-9 : n])
	}
	return string(d[:n])
}

// selfWords returns prepared.selfWords: the distinct lower-case letter
// runs of three letters or more of the email's local part and of the
// handle, at most eight.
func selfWords(email, handle string) string {
	var words [8]string
	n := 0
	for _, s := range [2]string{email, handle} {
		if at := strings.IndexByte(s, '@'); at >= 0 {
			s = s[:at]
		}
		s = strings.ToLower(s)
		for i := 0; i < len(s) && n < len(words); {
			if c := s[i]; c < 'a' || c > 'z' {
				i++
				continue
			}
			j := i
			for j < len(s) && s[j] >= 'a' && s[j] <= 'z' {
				j++
			}
			if w := s[i:j]; j-i >= 3 && !slices.Contains(words[:n], w) {
				words[n] = w
				n++
			}
			i = j
		}
	}
	return strings.Join(words[:n], " ")
}

// handlePhone returns the phoneTail of a handle written as an
// international phone number ("+61 471 499 540", "tel:+61471499540"): a
// "+" then 8 to 15 digits (E.164) with nothing but spaces, dots, dashes
// and brackets between them; "" for any other handle. A handle of digits
// without "+" may be a numeric user id (ICQ, Telegram) and is not read as
// a phone.
func handlePhone(h string) string {
	h = strings.TrimSpace(h)
	h = strings.TrimPrefix(h, "tel:")
	if len(h) < 9 || h[0] != '+' {
		return ""
	}
	digits := 0
	for i := 1; i < len(h); i++ {
		switch c := h[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == ' ' || c == '.' || c == '-' || c == '(' || c == ')':
		default:
			return ""
		}
	}
	if digits < 8 || digits > 15 {
		return ""
	}
	return phoneTail(h)
}

func alnumUpper(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9', c >= 'A' && c <= 'Z':
			b = append(b, c)
		case c >= 'a' && c <= 'z':
			b = append(b, c-'a'+'A')
		}
	}
	return string(b)
}
