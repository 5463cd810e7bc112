package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // the world needs Australian and Philippine zones on any machine

	"github.com/vigilfiu/vigil"
)

// Segments of the customer base (Truth.Segment values).
const (
	SegBuyer    = "buyer"
	SegFamily   = "family"
	SegWebcam   = "webcam"
	SegRomance  = "romance"
	SegSponsor  = "sponsor"
	SegSelf     = "self"
	SegOrdinary = "ordinary"
)

// Roles of recipients (Truth.RecipientRole values).
const (
	RoleFacilitator = "facilitator"
	RoleRelative    = "relative"
	RoleWebcam      = "webcam_platform" // a platform, or an adult performer paid directly
	RoleScammer     = "scammer"
	RoleCharity     = "charity"
	RoleSelf        = "self"
	RoleOther       = "other"
)

// party is one customer record. A person with two records (a duplicate)
// has two parties sharing cluster.
type party struct {
	idx     int
	id      string
	seg     string
	org     origin
	male    bool
	given   string
	middle  string
	surname string
	full    string // as recorded by the provider
	birth   vigil.Date
	city    int // index into auCities
	address string
	post    string
	phone   string // as recorded
	phoneN  string // national significant number (AU mobile, 9 digits)
	email   string
	idNum   string
	nat     string
	account string
	cluster int // index of the person's first record
	dup     int // index of the second record, -1 when none
	dupFrom int // day from which the second record is used
	loc     *time.Location

	// buyers and relatives on seized devices
	handles []handle
	listed  bool // on the partner's client list
}

type handle struct{ platform, name string }

// recipient is a true recipient abroad, rendered with noise in transfers.
type recipient struct {
	idx     int
	id      string
	role    string
	country string
	org     bool
	given   string
	middle  string
	surname string
	male    bool
	// Renderings are made when first used (most recipients are paid once
	// or twice), from data fixed at creation, so they do not depend on the
	// order of use.
	nv       [nNameVariants]string // name variants; 0 is the canonical form
	orgNames []string              // organisations: fixed renderings
	nsn      string                // national number, "" when none
	nsn2     string                // a second number used from mid-history, "" when none
	ph, ph2  [nPhoneFormats]string
	typoSeed uint64
	cities   []string
	wallet   []string // wallet account renderings, nil when none
	bank     []string // bank account renderings, nil when none
	birth    vigil.Date

	// facilitators
	buyers int    // domestic buyers choosing it (preferential attachment)
	device string // device owner handle, when seized
}

const (
	nNameVariants = 7
	nPhoneFormats = 5
)

func (rc *recipient) nNames() int {
	if rc.org {
		return len(rc.orgNames)
	}
	return nNameVariants
}

// canonical is the recipient's name as the truth records it.
func (rc *recipient) canonical() string {
	if rc.org {
		return rc.orgNames[0]
	}
	return joinName(rc.given, rc.middle, rc.surname)
}

// name returns rendering i of the name (not safe for concurrent use).
func (rc *recipient) name(i int) string {
	if rc.org {
		return rc.orgNames[i%len(rc.orgNames)]
	}
	if rc.nv[i] == "" {
		rc.nv[i] = nameVariant(rc.given, rc.middle, rc.surname, i, rc.typoSeed)
	}
	return rc.nv[i]
}

// phone returns format i of the current or second number (not safe for
// concurrent use).
func (rc *recipient) phone(i int, second bool) string {
	if second && rc.nsn2 != "" {
		if rc.ph2[i] == "" {
			rc.ph2[i] = phoneFormat(rc.country, rc.nsn2, i)
		}
		return rc.ph2[i]
	}
	if rc.ph[i] == "" {
		rc.ph[i] = phoneFormat(rc.country, rc.nsn, i)
	}
	return rc.ph[i]
}

func (rc *recipient) e164() string {
	if rc.nsn == "" {
		return ""
	}
	return "+" + phonePlans[rc.country].cc + rc.nsn
}

// style is how one sender habitually writes one recipient (a saved payee).
type style struct{ name, phone, city int8 }

// xfer is a generated transfer before rendering.
type xfer struct {
	unix    int64 // Unix seconds; shown in the zone of city
	city    uint8 // index into auCities and world.locs
	seq     int32
	sender  int32 // party index (a record)
	rcp     int32
	cents   int64
	channel vigil.Channel
	purpose string
	st      style
	acct    int8 // 0 none, 1 wallet, 2 bank
	bdate   bool
}

type world struct {
	cfg    Config
	p      Params
	r      *rand.Rand
	start  time.Time // UTC midnight of the first day
	days   int
	end    time.Time
	locs   []*time.Location
	cityW  []int
	manila *time.Location

	parties []*party
	rcps    []*recipient
	xs      []xfer
	facs    []int // recipient indexes of facilitators
	usedH   map[string]bool
	usedE   map[string]bool
	idWidth int // digits of transfer ids

	partyOrder, rcpOrder []int // indexes by increasing id

	seized []*seizure
	calls  []callEv
	leads  []leadRec
	seeds  []leadRec
}

func newWorld(cfg Config) (*world, error) {
	seed := uint64(cfg.Seed)
	w := &world{cfg: cfg, r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), usedH: map[string]bool{}, usedE: map[string]bool{}}
	w.p = drawParams(w.r)
	y, m, d := cfg.Start.Date()
	w.start = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	w.end = w.start.AddDate(0, cfg.Months, 0)
	w.days = int(w.end.Sub(w.start).Hours() / 24)
	for _, c := range auCities {
		loc, err := time.LoadLocation(c.zone)
		if err != nil {
			return nil, vigil.Errorf(vigil.EINTERNAL, "synth: time zone %s: %v", c.zone, err)
		}
		w.locs = append(w.locs, loc)
		w.cityW = append(w.cityW, c.weight)
	}
	var err error
	if w.manila, err = time.LoadLocation("Asia/Manila"); err != nil {
		return nil, vigil.Errorf(vigil.EINTERNAL, "synth: time zone Asia/Manila: %v", err)
	}
	return w, nil
}

// ---- random helpers

func (w *world) f() float64            { return w.r.Float64() }
func (w *world) n(k int) int           { return w.r.IntN(k) }
func (w *world) in(lo, hi int) int     { return lo + w.r.IntN(hi-lo+1) }
func (w *world) chance(p float64) bool { return w.r.Float64() < p }
func pick[T any](w *world, s []T) T    { return s[w.r.IntN(len(s))] }

func (w *world) weighted(ws []int) int {
	t := 0
	for _, x := range ws {
		t += x
	}
	k := w.r.IntN(t)
	for i, x := range ws {
		if k < x {
			return i
		}
		k -= x
	}
	return len(ws) - 1
}

func (w *world) lognormal(median, sigma float64) float64 {
	return median * math.Exp(sigma*w.r.NormFloat64())
}

// ---- time

// dayAt returns local time on world day d at hour h (0–23, may be ≥ 24 to
// roll into the next day) with a random minute and second.
func (w *world) dayAt(loc *time.Location, d int, h int) time.Time {
	y, m, dd := w.start.Date()
	return time.Date(y, m, dd+d, h, w.n(60), w.n(60), 0, loc)
}

// hour draws a local hour: late night (22:00–02:59, as 22..26), evening
// or daytime.
func (w *world) hour(late, evening float64) int {
	x := w.f()
	switch {
	case x < late:
		return pick(w, []int{22, 22, 23, 23, 23, 24, 24, 25, 26})
	case x < late+evening:
		return w.in(17, 21)
	default:
		return w.in(7, 16)
	}
}

// ---- people

func (w *world) name(o origin, male bool) (given, middle, surname string) {
	nl := &names[o]
	if male {
		given = pick(w, nl.male)
		if len(nl.middleM) > 0 && w.chance(0.45) {
			middle = pick(w, nl.middleM)
		}
	} else {
		given = pick(w, nl.female)
		if len(nl.middleF) > 0 && w.chance(0.45) {
			middle = pick(w, nl.middleF)
		}
	}
	surname = pick(w, nl.surnames)
	if !male && nl.femaleSurname != nil {
		surname = nl.femaleSurname(surname)
	}
	if o == originVN && !male && w.chance(0.8) {
		middle = "Thị"
	}
	if o == originVN && male && w.chance(0.6) {
		middle = "Văn"
	}
	return
}

func joinName(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		if p == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(p)
	}
	return b.String()
}

// newParty creates a customer record of the given segment and origin.
func (w *world) newParty(seg string, o origin, male bool, age int) *party {
	p := &party{idx: len(w.parties), seg: seg, org: o, male: male, dup: -1}
	p.cluster = p.idx
	p.given, p.middle, p.surname = w.name(o, male)
	w.fillParty(p, age)
	w.parties = append(w.parties, p)
	return p
}

func (w *world) fillParty(p *party, age int) {
	full := joinName(p.given, p.middle, p.surname)
	if p.org == originVN && w.chance(0.6) {
		full = ascii(full)
	}
	if p.middle != "" && w.chance(0.35) { // many providers keep no middle name
		full = joinName(p.given, p.surname)
		if p.org == originVN && w.chance(0.6) {
			full = ascii(full)
		}
	}
	p.full = full
	by := w.start.Year() - age
	p.birth = vigil.Date{Year: by, Month: w.in(1, 12), Day: w.in(1, 28)}
	switch x := w.f(); {
	case x < 0.02:
		p.birth = vigil.Date{}
	case x < 0.05:
		p.birth.Day = 0
	}
	p.city = w.weighted(w.cityW)
	p.loc = w.locs[p.city]
	c := auCities[p.city]
	st := pick(w, streetTypes)
	p.address = fmt.Sprintf("%d %s %s", w.in(1, 240), pick(w, streets), st[w.n(2)])
	if w.chance(0.25) {
		p.address = fmt.Sprintf("%d/%s", w.in(1, 40), p.address)
	}
	pc := w.in(c.post0, c.post1)
	p.post = fmt.Sprintf("%04d", pc)
	p.phoneN = fmt.Sprintf("4%02d%06d", w.in(0, 99), w.n(1_000_000))
	p.phone = auPhone(p.phoneN, w.n(5))
	if w.chance(0.03) {
		p.phone = ""
	}
	p.email = w.email(p.given, p.surname, p.birth.Year)
	if w.chance(0.06) {
		p.email = ""
	}
	if w.chance(0.7) {
		p.idNum = fmt.Sprintf("%s%08d", c.state[:1], w.n(100_000_000)) // driver licence style
	} else {
		p.idNum = fmt.Sprintf("P%c%07d", 'A'+rune(w.n(26)), w.n(10_000_000)) // passport style
	}
	p.nat = "AU"
	if p.org != originEN {
		if w.chance(0.55) {
			p.nat = names[p.org].country
		}
	} else if w.chance(0.12) {
		p.nat = pick(w, []string{"GB", "NZ", "IE", "GB"})
	}
	p.account = fmt.Sprintf("%03d-%03d %08d", w.in(10, 99), w.n(1000), w.n(100_000_000))
}

var squeeze = strings.NewReplacer(" ", "", "'", "", "-", "")

func (w *world) email(given, surname string, year int) string {
	g := strings.ToLower(ascii(strings.ReplaceAll(given, " ", "")))
	s := strings.ToLower(ascii(squeeze.Replace(surname)))
	var local string
	switch w.n(5) {
	case 0:
		local = g + "." + s
	case 1:
		local = initial(g) + s
	case 2:
		local = g + s + strconv.Itoa(year%100)
	case 3:
		local = g + "_" + s + strconv.Itoa(w.in(1, 99))
	default:
		local = s + "." + g + strconv.Itoa(w.in(1, 999))
	}
	e := local + "@" + pick(w, emailDomains)
	for w.usedE[e] { // an address belongs to one person
		e = local + strconv.Itoa(w.in(1, 9999)) + "@" + pick(w, emailDomains)
	}
	w.usedE[e] = true
	return e
}

// auPhone renders an Australian mobile in one of the common formats.
func auPhone(n string, f int) string {
	switch f {
	case 0:
		return "0" + n[:3] + " " + n[3:6] + " " + n[6:]
	case 1:
		return "+61" + n
	case 2:
		return "0" + n
	case 3:
		return "+61 " + n[:3] + " " + n[3:6] + " " + n[6:]
	default:
		return "61" + n
	}
}

// age draws an age from weighted bands.
func (w *world) age(bands [][3]int) int {
	ws := make([]int, len(bands))
	for i, b := range bands {
		ws[i] = b[2]
	}
	b := bands[w.weighted(ws)]
	return w.in(b[0], b[1])
}

// ---- recipients

type phonePlan struct {
	cc       string
	prefixes []string
	length   int // national significant number length
	trunk    bool
}

var phonePlans = map[string]phonePlan{
	"PH": {"63", []string{"905", "906", "915", "916", "917", "926", "927", "935", "936", "945", "955", "956", "965", "966", "975", "977", "995", "996", "997", "998", "999", "908", "918", "919", "920", "921", "928", "929", "939", "947", "949", "961"}, 10, true},
	"VN": {"84", []string{"90", "91", "93", "94", "96", "97", "98", "32", "33", "34", "35", "70", "77", "81", "83"}, 9, true},
	"IN": {"91", []string{"98", "99", "97", "96", "94", "93", "90", "88", "87", "70", "73", "63"}, 10, false},
	"PL": {"48", []string{"50", "51", "53", "60", "66", "69", "72", "78", "79", "88"}, 9, false},
	"NG": {"234", []string{"803", "806", "813", "816", "703", "706", "803", "805", "807", "905"}, 10, true},
	"GH": {"233", []string{"24", "54", "55", "20", "50", "26"}, 9, true},
	"CO": {"57", []string{"300", "301", "310", "311", "312", "313", "315", "316", "320", "321"}, 10, false},
	"RO": {"40", []string{"72", "73", "74", "75", "76", "77", "78"}, 9, true},
	"TH": {"66", []string{"81", "82", "83", "84", "86", "89", "61", "62", "63", "64", "65", "91", "92"}, 9, true},
	"ID": {"62", []string{"811", "812", "813", "821", "822", "852", "853", "857", "878"}, 11, true},
	"KH": {"855", []string{"12", "17", "77", "78", "92", "95", "97"}, 8, true},
	"MY": {"60", []string{"12", "13", "16", "17", "19"}, 9, true},
	"KE": {"254", []string{"70", "71", "72", "79"}, 9, true},
	"UG": {"256", []string{"70", "75", "77", "78"}, 9, true},
	"TR": {"90", []string{"530", "532", "535", "542", "555"}, 10, true},
	"CN": {"86", []string{"138", "139", "135", "186"}, 11, false},
	"GB": {"44", []string{"7700900"}, 10, true},                                  // Ofcom's range for drama
	"US": {"1", []string{"2135550", "3105550", "6465550", "8085550"}, 10, false}, // 555-01xx fictional range
	"NZ": {"64", []string{"21", "22", "27"}, 9, true},
	"FR": {"33", []string{"6", "7"}, 9, true},
	"DE": {"49", []string{"151", "160", "170", "171", "176"}, 11, true},
	"IT": {"39", []string{"320", "333", "347", "380"}, 10, false},
	"GR": {"30", []string{"69"}, 10, false},
	"NL": {"31", []string{"6"}, 9, true},
	"GT": {"502", []string{"4", "5"}, 8, false},
	"CA": {"1", []string{"4165550", "6045550"}, 10, false},
}

// phoneNumber draws a national significant number in country cc.
func (w *world) phoneNumber(country string) (nsn string, ok bool) {
	pl, ok := phonePlans[country]
	if !ok {
		return "", false
	}
	pre := pick(w, pl.prefixes)
	var b strings.Builder
	b.WriteString(pre)
	for b.Len() < pl.length {
		b.WriteByte(byte('0' + w.n(10)))
	}
	return b.String(), true
}

// phoneFormat renders a number as senders type it: E.164 (0), national
// with trunk prefix (1), spaced (2), international without plus (3),
// E.164 with spaces (4).
func phoneFormat(country, nsn string, i int) string {
	pl := phonePlans[country]
	nat := nsn
	if pl.trunk {
		nat = "0" + nsn
	}
	switch i {
	case 0:
		return "+" + pl.cc + nsn
	case 1:
		return nat
	case 2:
		if len(nat) > 7 {
			return nat[:len(nat)-7] + " " + nat[len(nat)-7:len(nat)-4] + " " + nat[len(nat)-4:]
		}
		return nat
	case 3:
		return pl.cc + nsn
	}
	return "+" + pl.cc + " " + nsn[:3] + " " + nsn[3:]
}

func phoneFormats(country, nsn string) []string {
	out := make([]string, nPhoneFormats)
	for i := range out {
		out[i] = phoneFormat(country, nsn, i)
	}
	return out
}

// nameVariant renders a person's name the ways senders and clerks write
// it: 0 canonical, 1 without middle name, 2 SURNAME GIVEN MIDDLE in upper
// case, 3 with the Filipino abbreviation Ma. for Maria or a middle initial,
// 4 with a typo in the surname, 5 "Surname, Given", 6 folded to ASCII (or a
// typo in the given name when there is nothing to fold). seed places the
// typos.
func nameVariant(given, middle, surname string, i int, seed uint64) string {
	switch i {
	case 0:
		return joinName(given, middle, surname)
	case 1:
		return joinName(given, surname)
	case 2:
		return strings.ToUpper(joinName(surname, given, middle))
	case 3:
		switch {
		case strings.HasPrefix(given, "Maria "):
			return joinName("Ma. "+strings.TrimPrefix(given, "Maria "), middle, surname)
		case given == "Maria":
			return joinName("Ma.", middle, surname)
		case middle != "":
			return joinName(given, initial(middle)+".", surname)
		}
		return strings.ToUpper(joinName(given, middle, surname))
	case 4:
		return joinName(given, middle, typo(surname, seed))
	case 5:
		return surname + ", " + joinName(given, middle)
	}
	canon := joinName(given, middle, surname)
	if a := ascii(canon); a != canon {
		return a
	}
	return joinName(typo(given, seed>>8), surname)
}

// typo introduces one keyboard slip, placed by seed: a dropped, doubled
// or swapped letter.
func typo(s string, seed uint64) string {
	rs := []rune(s)
	if len(rs) < 4 {
		return s
	}
	i := 1 + int(seed%uint64(len(rs)-2))
	switch (seed >> 16) % 3 {
	case 0:
		rs = append(rs[:i], rs[i+1:]...)
	case 1:
		rs = append(rs[:i+1], rs[i:]...)
	default:
		if rs[i] != ' ' && rs[i+1] != ' ' {
			rs[i], rs[i+1] = rs[i+1], rs[i]
		}
	}
	return string(rs)
}

// typo makes a slip with the world's random stream.
func (w *world) typo(s string) string { return typo(s, w.r.Uint64()) }

func accountFormats(d string) []string {
	grp := d[:4] + "-" + d[4:8] + "-" + d[8:]
	sp := d[:4] + " " + d[4:8] + " " + d[8:]
	return []string{d, grp, sp}
}

func (w *world) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + w.n(10))
	}
	if b[0] == '0' {
		b[0] = '1' + byte(w.n(9))
	}
	return string(b)
}

// newPersonRecipient creates a person abroad of the given origin.
func (w *world) newPersonRecipient(role, country string, o origin, male bool) *recipient {
	rc := &recipient{idx: len(w.rcps), role: role, country: country, male: male}
	rc.given, rc.middle, rc.surname = w.name(o, male)
	w.finishRecipient(rc)
	return rc
}

func (w *world) finishRecipient(rc *recipient) {
	if !rc.org {
		rc.typoSeed = w.r.Uint64()
		if nsn, ok := w.phoneNumber(rc.country); ok && w.chance(0.9) {
			rc.nsn = nsn
			if w.chance(0.15) {
				rc.nsn2, _ = w.phoneNumber(rc.country)
			}
			if w.chance(0.5) {
				if w.chance(0.5) && rc.country == "PH" {
					rc.wallet = []string{"0" + nsn, nsn, "+63" + nsn}
				} else {
					rc.wallet = accountFormats(w.digits(12))
				}
			}
		}
		if w.chance(0.35) {
			rc.bank = accountFormats(w.digits(12))
		}
		age := w.in(19, 68)
		rc.birth = vigil.Date{Year: w.start.Year() - age, Month: w.in(1, 12), Day: w.in(1, 28)}
	}
	if len(rc.cities) == 0 {
		if rc.country == "PH" {
			rc.cities = pick(w, phCities).variants
		} else if cs, ok := otherCities[rc.country]; ok {
			rc.cities = pick(w, cs).variants
		}
	}
	w.rcps = append(w.rcps, rc)
}

var orgShort = strings.NewReplacer(" Ltd", "", " LLC", "", " BV", "", " SRL", "", " Inc", "", " Foundation", " Fdn")

func (w *world) newOrgRecipient(role, name, country, city string) *recipient {
	rc := &recipient{idx: len(w.rcps), role: role, country: country, org: true}
	up := strings.ToUpper(name)
	short := orgShort.Replace(name)
	rc.orgNames = []string{name, up, short, ascii(name)}
	rc.cities = []string{city, strings.ToUpper(city)}
	rc.bank = accountFormats(w.digits(12))
	w.finishRecipient(rc)
	return rc
}

// newStyle picks how a sender habitually writes a recipient.
func (w *world) newStyle(rc *recipient) style {
	st := style{name: 0, phone: -1, city: -1}
	if x := w.f(); x > 0.45 {
		st.name = int8(1 + w.n(rc.nNames()-1))
	}
	if rc.org && w.chance(0.7) {
		st.name = 0
	}
	if rc.nsn != "" && w.chance(0.85) {
		st.phone = int8(w.n(nPhoneFormats))
	}
	if len(rc.cities) > 0 && w.chance(0.85) {
		st.city = int8(w.n(len(rc.cities)))
	}
	return st
}

// vary returns the style of one transfer: mostly the habit, sometimes a
// fresh rendering (a new device, a clerk at a counter).
func (w *world) vary(st style, rc *recipient) style {
	if w.chance(0.12) {
		return w.newStyle(rc)
	}
	return st
}
