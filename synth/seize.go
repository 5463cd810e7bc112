package synth

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vigilfiu/vigil"
)

// seizure is one seized facilitator device.
type seizure struct {
	rc      *recipient
	seedID  string
	account string
	buyers  []*party
	handles []handleTruth

	relatives    []*party   // domestic customers sending family money to the facilitator
	foreignLeads []*foreign // foreign buyers on the device
}

type handleTruth struct {
	h     handle
	party *party // nil when no domestic customer
	kind  string // buyer, foreign_buyer, relative, local_contact, noise
	paid  int    // sessions placed next to one of its party's payments to the device owner
}

type callEv struct {
	at          time.Time
	unix        int64
	seq         int32
	account     string
	counterpart string
	platform    string
	dir         vigil.CallDirection
	kind        vigil.CallKind
	dur         int
	id          string
}

type leadRec struct {
	l     vigil.Lead
	party *party // true customer (first record), nil for a foreign client
	decoy *party
	kind  string
}

// handleName invents an online handle; unique across the world.
func (w *world) handleName(given, surname string, year int, platform string) string {
	g := strings.ToLower(ascii(strings.ReplaceAll(given, " ", "")))
	s := strings.ToLower(ascii(squeeze.Replace(surname)))
	if g == "" {
		g = "x"
	}
	if s == "" {
		s = "y"
	}
	yy := strconv.Itoa(year % 100)
	for try := 0; ; try++ {
		var h string
		switch w.n(6) {
		case 0:
			h = g + "." + initial(s) + yy
		case 1:
			h = pick(w, handleWords) + "_" + pick(w, handleWords) + strconv.Itoa(w.in(1, 99))
		case 2:
			if platform == "skype" {
				h = fmt.Sprintf("live:.cid.%016x", w.r.Uint64())
			} else {
				h = g + s + strconv.Itoa(w.in(1, 999))
			}
		case 3:
			h = pick(w, handleWords) + g + yy
		case 4:
			h = initial(g) + s + strconv.Itoa(w.in(10, 99))
		default:
			h = s + "_" + pick(w, handleWords)
		}
		if try > 3 {
			h += strconv.Itoa(w.in(100, 9999))
		}
		if !w.usedH[platform+"/"+h] {
			w.usedH[platform+"/"+h] = true
			return h
		}
	}
}

// buyerHandles gives a buyer a few handles on one or two platforms.
func (w *world) buyerHandles(p *party) []handle {
	if p.handles != nil {
		return p.handles
	}
	np := 1
	if w.chance(0.4) {
		np = 2
	}
	plats := slices.Clone(platformsCall)
	for i := 0; i < np; i++ {
		j := i + w.n(len(plats)-i)
		plats[i], plats[j] = plats[j], plats[i]
		pl := plats[i]
		if pl == "whatsapp" && p.phoneN != "" {
			p.handles = append(p.handles, handle{pl, "+61" + p.phoneN})
			continue
		}
		for k := []int{1, 1, 2, 2, 3}[w.n(5)]; k > 0; k-- {
			p.handles = append(p.handles, handle{pl, w.handleName(p.given, p.surname, p.birth.Year, pl)})
		}
	}
	return p.handles
}

// pickHandle returns the handle of a session: mostly the first one.
func (w *world) pickHandle(hs []handle) handle {
	if len(hs) == 1 || w.chance(0.65) {
		return hs[0]
	}
	return hs[w.n(len(hs))]
}

// chooseSeized picks the facilitators whose devices the partner seized:
// Philippine facilitators paid by at least two domestic buyers, more
// likely the more buyers they have.
func (w *world) chooseSeized() {
	want := max(1, (w.cfg.Customers+2500)/5000)
	var cand []*recipient
	for _, i := range w.facs {
		if rc := w.rcps[i]; rc.country == "PH" && rc.buyers >= 2 {
			cand = append(cand, rc)
		}
	}
	if len(cand) < want {
		for _, i := range w.facs {
			if rc := w.rcps[i]; rc.buyers >= 1 && !slices.Contains(cand, rc) {
				cand = append(cand, rc)
			}
		}
	}
	for len(w.seized) < want && len(cand) > 0 {
		ws := make([]int, len(cand))
		for i, rc := range cand {
			ws[i] = rc.buyers
		}
		k := w.weighted(ws)
		rc := cand[k]
		cand = slices.Delete(cand, k, k+1)
		s := &seizure{rc: rc}
		s.account = w.handleName(rc.given, rc.surname, rc.birth.Year, "device")
		rc.device = s.account
		w.seized = append(w.seized, s)
	}
}

// ---- calls of seized devices

func (w *world) addCall(s *seizure, at time.Time, counterpart, platform string, dir vigil.CallDirection, kind vigil.CallKind, dur int) {
	w.calls = append(w.calls, callEv{at: at, unix: at.Unix(), seq: int32(len(w.calls)), account: s.account,
		counterpart: counterpart, platform: platform, dir: dir, kind: kind, dur: dur})
}

func (w *world) randomTime(from time.Time, hourLo, hourHi int) time.Time {
	d := w.n(max(1, int(w.end.Sub(from).Hours()/24)))
	y, m, dd := from.In(w.manila).Date()
	return time.Date(y, m, dd+d, w.in(hourLo, hourHi), w.n(60), w.n(60), 0, w.manila)
}

func (w *world) genCalls(s *seizure, byRcp map[int32][]int) {
	from := w.end.AddDate(0, -w.in(9, 18), 0)
	buyers := map[int]bool{}
	addHT := func(h handle, p *party, kind string) {
		for _, x := range s.handles {
			if x.h == h {
				return
			}
		}
		s.handles = append(s.handles, handleTruth{h: h, party: p, kind: kind})
	}
	nPaid := map[int]int{}
	for _, xi := range byRcp[int32(s.rc.idx)] {
		x := &w.xs[xi]
		p := w.parties[w.parties[x.sender].cluster]
		if p.seg != SegBuyer {
			continue
		}
		if !buyers[p.idx] {
			buyers[p.idx] = true
			s.buyers = append(s.buyers, p)
		}
		if x.unix < from.Unix() || !w.chance(w.p.CallShare) {
			continue
		}
		hs := w.buyerHandles(p)
		h := w.pickHandle(hs)
		addHT(h, p, "buyer")
		for i := range s.handles {
			if s.handles[i].h == h {
				s.handles[i].paid++
			}
		}
		nPaid[p.idx]++
		lag := time.Duration(w.in(2, 50)) * time.Minute
		if w.chance(0.2) {
			lag = -time.Duration(w.in(3, 45)) * time.Minute
		}
		at := time.Unix(x.unix, 0).Add(lag).Add(time.Duration(w.n(60)) * time.Second).In(w.manila)
		kind := vigil.KindVideo
		if w.chance(0.15) {
			kind = vigil.KindCall
		}
		w.addCall(s, at, h.name, h.platform, vigil.DirectionIn, kind, w.in(240, 2700))
		if w.chance(0.3) {
			dir := vigil.DirectionIn
			if w.chance(0.4) {
				dir = vigil.DirectionOut
			}
			w.addCall(s, at.Add(-time.Duration(w.in(10, 180))*time.Minute), h.name, h.platform, dir, vigil.KindChat, 0)
		}
	}
	// Sessions of domestic buyers paid another way (card, crypto, another provider).
	for _, p := range s.buyers {
		if nPaid[p.idx] == 0 {
			continue
		}
		for k := 0; k < nPaid[p.idx]/8; k++ {
			h := w.pickHandle(p.handles)
			// Recorded with no paid session: a handle used only here is
			// still the buyer's. addHT draws no random number, so the
			// world's rows are unchanged; only truth/handles.csv grows.
			addHT(h, p, "buyer")
			w.addCall(s, w.randomTime(from, 18, 23), h.name, h.platform, vigil.DirectionIn, vigil.KindVideo, w.in(240, 2700))
		}
	}
	// Foreign buyers: paying from abroad, invisible in this provider's data.
	nf := max(2, int(w.p.ForeignPerFac*uniform(w.r, 0.5, 1.5)))
	for i := 0; i < nf; i++ {
		fb := w.foreignClient()
		for _, h := range fb.handles {
			addHT(h, nil, "foreign_buyer")
		}
		n := min(120, max(1, int(w.lognormal(10, 0.9))))
		for k := 0; k < n; k++ {
			h := w.pickHandle(fb.handles)
			at := w.randomTime(from, 6, 23)
			if w.chance(0.3) {
				w.addCall(s, at.Add(-time.Duration(w.in(10, 120))*time.Minute), h.name, h.platform, vigil.DirectionIn, vigil.KindChat, 0)
			}
			w.addCall(s, at, h.name, h.platform, vigil.DirectionIn, vigil.KindVideo, w.in(240, 2700))
		}
		s.foreignLeads = append(s.foreignLeads, fb)
	}
	// Domestic relatives who send family money: they call and chat, not tied to payments.
	for _, p := range s.relatives {
		h := handle{"messenger", w.handleName(p.given, p.surname, p.birth.Year, "messenger")}
		if p.phoneN != "" && w.chance(0.5) {
			h = handle{"whatsapp", "+61" + p.phoneN}
		}
		addHT(h, p, "relative")
		for k := w.in(5, 30); k > 0; k-- {
			kind := pick(w, []vigil.CallKind{vigil.KindChat, vigil.KindChat, vigil.KindCall, vigil.KindVideo})
			dir := pick(w, []vigil.CallDirection{vigil.DirectionIn, vigil.DirectionOut})
			dur := 0
			if kind != vigil.KindChat {
				dur = w.in(60, 1800)
			}
			w.addCall(s, w.randomTime(from, 7, 22), h.name, h.platform, dir, kind, dur)
		}
	}
	// Local contacts in the Philippines, and noise.
	for i, n := 0, w.in(3, 8)+w.in(10, 30); i < n; i++ {
		given, _, sur := w.name(originPH, w.chance(0.5))
		pl := pick(w, []string{"messenger", "messenger", "viber", "whatsapp"})
		h := handle{pl, w.handleName(given, sur, w.in(1960, 2005), pl)}
		kind := "local_contact"
		events := w.in(10, 80)
		if i >= 8 {
			kind, events = "noise", w.in(1, 4)
		}
		addHT(h, nil, kind)
		for k := 0; k < events; k++ {
			ck := pick(w, []vigil.CallKind{vigil.KindChat, vigil.KindChat, vigil.KindCall, vigil.KindVideo})
			dur := 0
			if ck != vigil.KindChat {
				dur = w.in(20, 1500)
			}
			w.addCall(s, w.randomTime(from, 6, 23), h.name, h.platform, pick(w, []vigil.CallDirection{vigil.DirectionIn, vigil.DirectionOut}), ck, dur)
		}
	}
}

// foreign is a buyer abroad who pays the facilitator through other
// providers; he exists in the call log and on the partner's list only.
type foreign struct {
	given, surname string
	birth          vigil.Date
	country        string
	phone          string
	email          string
	handles        []handle
}

var foreignCountries = []struct {
	c string
	o origin
}{{"US", originEN}, {"US", originEN}, {"US", originEN}, {"GB", originEN}, {"GB", originEN}, {"CA", originEN}, {"DE", originDE}, {"DE", originDE}, {"FR", originFR}, {"NL", originDE}, {"NZ", originEN}}

func (w *world) foreignClient() *foreign {
	fc := pick(w, foreignCountries)
	f := &foreign{country: fc.c}
	f.given, _, f.surname = w.name(fc.o, w.chance(0.95))
	f.birth = vigil.Date{Year: w.start.Year() - w.age([][3]int{{27, 49, 30}, {50, 69, 55}, {70, 80, 15}}), Month: w.in(1, 12), Day: w.in(1, 28)}
	if nsn, ok := w.phoneNumber(fc.c); ok && w.chance(0.6) {
		f.phone = pick(w, phoneFormats(fc.c, nsn))
	}
	if w.chance(0.5) {
		f.email = w.email(f.given, f.surname, f.birth.Year)
	}
	for k := w.in(1, 3); k > 0; k-- {
		pl := pick(w, platformsCall)
		f.handles = append(f.handles, handle{pl, w.handleName(f.given, f.surname, f.birth.Year, pl)})
	}
	return f
}

// ---- the partner's client list and the seeds

var leadNotes = []string{"client ledger", "contact list", "payment notebook", "chat contacts", "client ledger", ""}

func (w *world) leadName(given, middle, surname string, nick bool) string {
	if nick {
		if ns, ok := nicknames[given]; ok && w.chance(0.5) {
			given = pick(w, ns)
		}
	}
	if w.chance(0.6) {
		given, middle, surname = ascii(given), ascii(middle), ascii(surname)
	}
	if w.chance(0.7) {
		middle = ""
	}
	switch x := w.f(); {
	case x < 0.4:
		return strings.ToUpper(surname) + " " + joinName(given, middle)
	case x < 0.7:
		return joinName(given, middle, surname)
	case x < 0.85:
		return surname + ", " + joinName(given, middle)
	case x < 0.9:
		return initial(given) + ". " + surname
	default:
		return joinName(given, w.typo(surname))
	}
}

func (w *world) leadBirth(d vigil.Date) vigil.Date {
	switch x := w.f(); {
	case d.IsZero() || x < 0.25:
		return vigil.Date{}
	case x < 0.45:
		return vigil.Date{Year: d.Year}
	case x < 0.5:
		return vigil.Date{Year: d.Year, Month: d.Month}
	case x < 0.65 && d.Day >= 1 && d.Day <= 12 && d.Day != d.Month:
		return vigil.Date{Year: d.Year, Month: d.Day, Day: d.Month} // day and month swapped
	}
	return d
}

func (w *world) domesticLead(p *party) leadRec {
	l := vigil.Lead{FullName: w.leadName(p.given, p.middle, p.surname, true)}
	l.BirthDate = w.leadBirth(p.birth)
	strong := !l.BirthDate.IsZero()
	switch x := w.f(); {
	case x < 0.35 && p.phoneN != "":
		l.Phone = pick(w, []string{"+61" + p.phoneN, "0061 " + p.phoneN, "0" + p.phoneN, "61-" + p.phoneN[:3] + "-" + p.phoneN[3:]})
		strong = true
	case x < 0.45:
		nsn, _ := w.phoneNumber("NZ")
		l.Phone = "+64" + nsn // an old or foreign number
	}
	switch x := w.f(); {
	case x < 0.2 && p.email != "":
		l.Email = p.email
		strong = true
	case x < 0.45:
		l.Email = w.email(p.given, p.surname, p.birth.Year) // an old address
	}
	if w.chance(0.65) {
		hs := w.buyerHandles(p)
		l.Handle = hs[w.n(len(hs))].name
	}
	if w.chance(0.3) {
		l.City = auCities[p.city].name
		if w.chance(0.3) {
			l.City = strings.ToUpper(l.City)
		}
	}
	if !strong { // a list entry with nothing but a name cannot be matched by anyone
		l.BirthDate = p.birth
		if w.chance(0.5) {
			l.BirthDate = vigil.Date{Year: p.birth.Year}
		}
	}
	if w.chance(0.5) {
		l.Country = "AU"
	}
	l.Note = pick(w, leadNotes)
	return leadRec{l: l, party: p, kind: "domestic_buyer"}
}

func (w *world) foreignLead(f *foreign) leadRec {
	l := vigil.Lead{FullName: w.leadName(f.given, "", f.surname, true), BirthDate: w.leadBirth(f.birth), Phone: f.phone, Email: f.email, Country: f.country}
	if len(f.handles) > 0 && w.chance(0.8) {
		l.Handle = f.handles[0].name
	}
	l.Note = pick(w, leadNotes)
	return leadRec{l: l, kind: "foreign_client"}
}

// decoy adds a customer who shares a listed buyer's name but is another
// person: other birth date, other city, other phone and email.
func (w *world) decoy(p *party) *party {
	age := w.start.Year() - p.birth.Year
	if w.chance(0.5) {
		age += w.in(3, 20)
	} else {
		age -= w.in(3, 20)
	}
	age = min(88, max(19, age))
	d := w.newParty(SegOrdinary, p.org, p.male, age)
	d.given, d.surname = p.given, p.surname
	d.middle = ""
	if w.chance(0.3) {
		_, d.middle, _ = w.name(p.org, p.male)
	}
	d.full = joinName(d.given, d.middle, d.surname)
	d.email = w.email(d.given, d.surname, d.birth.Year)
	for d.city == p.city {
		d.city = w.weighted(w.cityW)
		d.loc = w.locs[d.city]
	}
	w.genOrdinary(d, w.in(0, 6))
	return d
}

func (w *world) seedLead(s *seizure) leadRec {
	rc := s.rc
	l := vigil.Lead{Handle: s.account, Country: rc.country}
	switch x := w.f(); {
	case x < 0.5:
		l.FullName = strings.ToUpper(rc.surname) + ", " + rc.given
	case x < 0.7 && rc.middle != "":
		l.FullName = joinName(rc.given, initial(rc.middle)+".", strings.ToUpper(rc.surname))
	case x < 0.85:
		l.FullName = strings.ToUpper(joinName(rc.surname, rc.given, rc.middle))
	default:
		l.FullName = rc.name(w.n(rc.nNames()))
	}
	if rc.nsn != "" && w.chance(0.85) {
		l.Phone = rc.phone(w.n(nPhoneFormats), false)
	} else if rc.nsn2 != "" {
		l.Phone = rc.phone(0, true)
	}
	if rc.wallet != nil && w.chance(0.6) {
		l.Account = rc.wallet[w.n(len(rc.wallet))]
	}
	if w.chance(0.5) {
		l.BirthDate = rc.birth
	}
	if len(rc.cities) > 0 && w.chance(0.7) {
		l.City = rc.cities[w.n(len(rc.cities))]
	}
	l.Note = "arrested facilitator; device seized"
	return leadRec{l: l, kind: "seed"}
}

// ---- duplicate customer records

func (w *world) duplicate(p *party) *party {
	d := *p
	d.idx = len(w.parties)
	d.dup = -1
	d.cluster = p.idx
	d.handles = nil
	given := p.given
	if ns, ok := nicknames[given]; ok && w.chance(0.35) {
		given = pick(w, ns)
	}
	switch x := w.f(); {
	case x < 0.3 && p.middle != "":
		d.full = joinName(given, initial(p.middle), p.surname)
	case x < 0.5:
		d.full = joinName(given, p.surname)
	case x < 0.65:
		d.full = ascii(joinName(given, p.middle, p.surname))
	case x < 0.8:
		d.full = joinName(given, p.middle, w.typo(p.surname))
	default:
		d.full = joinName(given, strings.ToUpper(p.surname))
	}
	switch x := w.f(); {
	case x < 0.1 && p.birth.Day >= 1 && p.birth.Day <= 12:
		d.birth = vigil.Date{Year: p.birth.Year, Month: p.birth.Day, Day: p.birth.Month}
	case x < 0.2:
		d.birth = vigil.Date{Year: p.birth.Year}
	}
	if w.chance(0.6) && p.phoneN != "" {
		d.phone = auPhone(p.phoneN, w.n(5))
	} else {
		d.phoneN = fmt.Sprintf("4%02d%06d", w.in(0, 99), w.n(1_000_000))
		d.phone = auPhone(d.phoneN, w.n(5))
	}
	if w.chance(0.5) {
		d.email = w.email(p.given, p.surname, p.birth.Year)
	}
	if w.chance(0.6) {
		d.idNum = fmt.Sprintf("%s%08d", auCities[d.city].state[:1], w.n(100_000_000))
	}
	if w.chance(0.3) {
		d.city = w.weighted(w.cityW)
		d.loc = w.locs[d.city]
		d.address = fmt.Sprintf("%d %s %s", w.in(1, 240), pick(w, streets), pick(w, streetTypes)[w.n(2)])
		c := auCities[d.city]
		d.post = fmt.Sprintf("%04d", w.in(c.post0, c.post1))
	} else {
		for _, st := range streetTypes {
			if strings.HasSuffix(d.address, " "+st[0]) {
				d.address = strings.TrimSuffix(d.address, st[0]) + st[1]
				break
			}
		}
	}
	d.account = fmt.Sprintf("%03d-%03d %08d", w.in(10, 99), w.n(1000), w.n(100_000_000))
	dp := &d
	w.parties = append(w.parties, dp)
	p.dup = dp.idx
	p.dupFrom = w.in(w.days/5, w.days*4/5)
	return dp
}
