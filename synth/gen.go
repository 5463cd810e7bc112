package synth

import (
	"math"
	"strings"
	"time"

	"github.com/vigilfiu/vigil"
)

var (
	coverPurposes  = []string{"school fees", "medical", "family support", "gift", "load", "allowance", "help", "tuition", "hospital bill", "rent", "birthday"}
	familyPurposes = []string{"family support", "allowance", "school fees", "gift", "medical", "support", "bills", "tuition", "birthday", "household", "for mama", "groceries"}
	romancePurpose = []string{"customs fee", "medical", "hospital bill", "flight ticket", "visa", "loan", "help", "gift", "investment", "legal fees"}
	sponsorPurpose = []string{"child sponsorship", "sponsorship", "donation", "monthly donation", "sponsor child"}
	selfPurposes   = []string{"savings", "own account", "investment", "property", "transfer to own account", "house"}
	ordinaryPurps  = []string{"gift", "repayment", "rent", "holiday", "birthday", "family support", "invoice", "loan", "wedding", "tuition"}
	webcamPurposes = []string{"gift", "tip", "birthday", "load", "help"}
)

// plan of one buyer, fixed before any transfer is generated so that the
// seized facilitators and their relatives can be chosen first.
type buyerPlan struct {
	p    *party
	kind int // 0 light, 1 moderate, 2 heavy
	n    int
	facs []*recipient
}

// emit records one transfer from person p (or its second record).
func (w *world) emit(p *party, at time.Time, rc *recipient, cents int64, ch vigil.Channel, purpose string, st style) {
	if at.Before(w.start) || !at.Before(w.end) || cents <= 0 {
		return
	}
	sender := p
	if p.dup >= 0 && int(at.Sub(w.start).Hours()/24) >= p.dupFrom && w.chance(0.8) {
		sender = w.parties[p.dup]
	}
	x := xfer{unix: at.Unix(), city: uint8(p.city), seq: int32(len(w.xs)), sender: int32(sender.idx), rcp: int32(rc.idx),
		cents: cents, channel: ch, purpose: purpose, st: w.vary(st, rc)}
	switch ch {
	case vigil.ChannelWallet:
		if rc.wallet != nil {
			x.acct = 1
		} else if rc.bank != nil {
			x.acct = 2
		}
	case vigil.ChannelBank, vigil.ChannelCard:
		if rc.bank != nil {
			x.acct = 2
		}
	case vigil.ChannelRemittance:
		if rc.wallet != nil && w.chance(0.1) {
			x.acct = 1
		}
	}
	if !rc.org && ch == vigil.ChannelRemittance && w.chance(0.06) {
		x.bdate = true
	}
	w.xs = append(w.xs, x)
}

func (w *world) channel(remit, bank, wallet float64) vigil.Channel {
	x := w.f()
	switch {
	case x < remit:
		return vigil.ChannelRemittance
	case x < remit+bank:
		return vigil.ChannelBank
	case x < remit+bank+wallet:
		return vigil.ChannelWallet
	}
	return vigil.ChannelCard
}

func cents(aud float64) int64 { return int64(math.Round(aud * 100)) }

// roundTo rounds aud to a multiple of step dollars, at least step.
func roundTo(aud float64, step float64) int64 {
	v := math.Round(aud/step) * step
	if v < step {
		v = step
	}
	return cents(v)
}

// pesoAmount sizes a payment to a round peso amount at the world's rate,
// the way senders aim at what the recipient receives.
func (w *world) pesoAmount(aud float64) int64 {
	rate := w.p.PHPPerAUD * (1 + 0.01*w.r.NormFloat64())
	php := math.Round(aud*rate/500) * 500
	if php < 500 {
		php = 500
	}
	return cents(php / rate)
}

// looseAmount is a non-round amount: whole dollars, or dollars and cents.
func (w *world) looseAmount(aud float64) int64 {
	if w.chance(0.6) {
		v := math.Round(aud)
		if int64(v)%5 == 0 {
			v += float64(w.in(1, 4))
		}
		return cents(v)
	}
	c := cents(aud)
	if c%500 == 0 {
		c += int64(w.in(1, 99))
	}
	return c
}

// ---- buyers

// priceNorm corrects the buyers' base price for the count effect and
// bundled sessions so that the median of buyer payments to facilitators lands near
// Params.PriceMedianAUD (measured over seeds; TestCalibration checks it).
const priceNorm = 1.12

func (w *world) planBuyer(p *party) *buyerPlan {
	b := &buyerPlan{p: p}
	x := w.f()
	switch {
	case x < w.p.HeavyShare:
		b.kind = 2
		b.n = min(220, 25+int(w.lognormal(22, 0.8)))
	case x < w.p.HeavyShare+w.p.ModerateShare:
		b.kind = 1
		b.n = w.in(5, 24)
	default:
		b.n = []int{1, 2, 2, 3, 3, 4, 4}[w.n(7)]
	}
	k := 1
	switch b.kind {
	case 0:
		if w.chance(0.35) {
			k = 2
		}
	case 1:
		k = w.in(1, 4)
	case 2:
		k = w.in(2, 8)
	}
	k = min(k, b.n, len(w.facs))
	ph := w.chance(w.p.PHShare)
	for len(b.facs) < k {
		rc := w.pickFacilitator(ph)
		dup := false
		for _, f := range b.facs {
			dup = dup || f == rc
		}
		if !dup {
			b.facs = append(b.facs, rc)
			rc.buyers++
		}
		if w.chance(0.3) {
			ph = w.chance(w.p.PHShare)
		}
	}
	return b
}

// pickFacilitator draws by preferential attachment: a facilitator already
// paid by many buyers is more likely to be found by another.
func (w *world) pickFacilitator(ph bool) *recipient {
	tot := 0
	for _, i := range w.facs {
		rc := w.rcps[i]
		if (rc.country == "PH") == ph {
			tot += 1 + 2*rc.buyers
		}
	}
	if tot == 0 {
		return w.rcps[pick(w, w.facs)]
	}
	k := w.n(tot)
	for _, i := range w.facs {
		rc := w.rcps[i]
		if (rc.country == "PH") != ph {
			continue
		}
		k -= 1 + 2*rc.buyers
		if k < 0 {
			return rc
		}
	}
	return w.rcps[w.facs[len(w.facs)-1]]
}

func (w *world) genBuyer(b *buyerPlan) {
	p := b.p
	n := b.n
	var startDay int
	var i0, i1, esc float64
	switch b.kind {
	case 2:
		startDay = w.n(max(1, w.days/2))
		i0, i1 = uniform(w.r, 14, 35), uniform(w.r, 2, 7)
		esc = w.p.Escalation * uniform(w.r, 0.5, 1.5)
	case 1:
		startDay = w.n(max(1, w.days*6/10))
		i0, i1 = uniform(w.r, 15, 45), uniform(w.r, 6, 19)
		esc = w.p.Escalation * uniform(w.r, 0.2, 0.8)
	default:
		startDay = w.n(max(1, w.days-30))
		i0 = uniform(w.r, 5, 60)
		i1 = i0
	}
	iv := make([]float64, max(0, n-1))
	total := 0.0
	for k := range iv {
		t := 0.0
		if n > 2 {
			t = float64(k) / float64(n-2)
		}
		mean := i0 * math.Pow(i1/i0, t)
		v := mean * (0.3 + 1.4*w.f())
		if b.kind == 2 && w.chance(0.08) {
			v = uniform(w.r, 0.02, 0.3) // a second session the same night
		}
		iv[k] = v
		total += v
	}
	if room := float64(w.days - startDay - 1); total > room {
		if room < 30 {
			startDay = max(0, w.days-int(total)-2)
			room = float64(w.days - startDay - 1)
		}
		if total > room {
			for k := range iv {
				iv[k] *= room / total
			}
		}
	}
	late := min(0.95, w.p.LateShare*uniform(w.r, 0.5, 1.5))
	roundy := min(0.95, max(0.1, w.p.RoundShare+uniform(w.r, -0.2, 0.2)))
	cover := 0.0
	if w.chance(w.p.CoverUsers) {
		cover = uniform(w.r, 0.2, 0.8)
	}
	fixedCh := w.chance(0.15)
	prefCh := w.channel(w.p.RemitShare, 0.4*(1-w.p.RemitShare), 0.6*(1-w.p.RemitShare))
	// Buyers differ in what they pay, and those who buy more pay more per
	// session (AIC T&I 589); escalation is centred so that a buyer's
	// median stays near his base price while his first payments are
	// lower and his last higher.
	base := w.p.PriceMedianAUD / priceNorm * math.Exp(0.25*w.r.NormFloat64()) * math.Pow(float64(n)/10, 0.08)
	styles := make([]style, len(b.facs))
	for i, rc := range b.facs {
		styles[i] = w.newStyle(rc)
	}
	day := float64(startDay) + w.f()
	for k := 0; k < n; k++ {
		if k > 0 {
			day += iv[k-1]
		}
		prog := 0.0
		if n > 1 {
			prog = float64(k) / float64(n-1)
		}
		fi := min(len(b.facs)-1, k*len(b.facs)/n)
		if w.chance(0.25) {
			fi = w.n(len(b.facs))
		}
		rc := b.facs[fi]
		aud := base * math.Exp(w.p.PriceSigma*w.r.NormFloat64()) * (1 + esc*prog) / (1 + esc/2)
		if b.kind > 0 && w.chance(0.07) {
			aud *= float64(w.in(2, 3))
		}
		aud = max(aud, 12)
		var c int64
		switch {
		case w.chance(roundy):
			step := 5.0
			if aud >= 100 || w.chance(0.5) {
				step = 10
			}
			if aud >= 300 {
				step = 50
			}
			c = roundTo(aud, step)
		case rc.country == "PH" && w.chance(w.p.PesoShare):
			c = w.pesoAmount(aud)
		default:
			c = w.looseAmount(aud)
		}
		ch := prefCh
		if !fixedCh {
			ch = w.channel(w.p.RemitShare, 0.4*(1-w.p.RemitShare), 0.6*(1-w.p.RemitShare))
		}
		purpose := ""
		if w.chance(cover) {
			purpose = pick(w, coverPurposes)
		}
		d := int(day)
		at := w.dayAt(p.loc, d, w.hour(late, 0.45))
		w.emit(p, at, rc, c, ch, purpose, styles[fi])
	}
	if w.chance(w.p.AlsoGenuine) {
		switch {
		case p.org != originEN && w.chance(0.5):
			w.genFamily(p, nil) // family money home, to relatives sharing his surname
		case w.chance(0.5):
			w.genPartner(p)
		default:
			w.genOrdinary(p, w.in(2, 10))
		}
	}
}

// ---- family remittances

// relative creates a person in country who shares p's surname (most
// relatives do; a married sister or a mother may not).
func (w *world) relative(p *party, country string, o origin, shared bool) *recipient {
	male := w.chance(0.4)
	rc := &recipient{idx: len(w.rcps), role: RoleRelative, country: country, male: male}
	rc.given, rc.middle, rc.surname = w.name(o, male)
	if shared {
		rc.surname = p.surname
		if o == originPL {
			base := strings.TrimSuffix(p.surname, "ska")
			if base != p.surname {
				base += "ski"
			} else {
				base = p.surname
			}
			if male {
				rc.surname = base
			} else {
				rc.surname = polishFemale(base)
			}
		}
	}
	w.finishRecipient(rc)
	return rc
}

func (w *world) genFamily(p *party, fixed []*recipient) {
	o := p.org
	country := names[o].country
	rs := append([]*recipient(nil), fixed...)
	k := []int{1, 1, 1, 1, 1, 2, 2, 2, 3, 3}[w.n(10)]
	for len(rs) < k {
		rs = append(rs, w.relative(p, country, o, w.chance(0.85)))
	}
	styles := make([]style, len(rs))
	baseAmt := make([]float64, len(rs))
	for i, rc := range rs {
		styles[i] = w.newStyle(rc)
		m := 320.0
		if i > 0 {
			m = 180
		}
		baseAmt[i] = min(1500, max(80, w.lognormal(m, 0.5)))
	}
	startDay, stopDay := 0, w.days
	if w.chance(0.15) {
		startDay = w.n(w.days / 2)
	}
	if w.chance(0.1) {
		stopDay = startDay + 90 + w.n(max(1, w.days-startDay-90))
	}
	roundy := w.chance(0.3)
	peso := country == "PH" && w.chance(0.3)
	prefCh := w.channel(0.55, 0.25, 0.20)
	late := w.p.FamilyLate * uniform(w.r, 0.3, 2)
	purposeP := uniform(w.r, 0, 0.8)
	send := func(day int, i int, mult float64, purpose string) {
		rc := rs[i]
		aud := baseAmt[i] * mult * (1 + 0.08*w.r.NormFloat64())
		var c int64
		switch {
		case roundy:
			c = roundTo(aud, []float64{10, 50, 50, 100}[w.n(4)])
		case peso && w.chance(0.8):
			c = w.pesoAmount(aud)
		default:
			c = w.looseAmount(aud)
		}
		ch := prefCh
		if w.chance(0.2) {
			ch = w.channel(0.55, 0.25, 0.20)
		}
		if purpose == "" && w.chance(purposeP) {
			purpose = pick(w, familyPurposes)
		}
		w.emit(p, w.dayAt(p.loc, day, w.hour(late, 0.5)), rc, c, ch, purpose, styles[i])
	}
	y, m, _ := w.start.Date()
	if w.chance(0.6) { // monthly, on or just after a fixed payday
		pd := []int{1, 1, 14, 15, 15, 28, 30}[w.n(7)]
		for mo := 0; mo < w.cfg.Months; mo++ {
			first := time.Date(y, m+time.Month(mo), 1, 0, 0, 0, 0, time.UTC)
			last := first.AddDate(0, 1, -1).Day()
			d := min(pd, last) - 1 + w.n(3)
			day := int(first.Sub(w.start).Hours()/24) + d
			if day < startDay || day >= stopDay {
				continue
			}
			for i := range rs {
				if (i == 0 && w.chance(0.93)) || (i > 0 && w.chance(0.3)) {
					send(day, i, 1, "")
				}
			}
		}
	} else { // fortnightly pay, every Thursday pay week
		first := w.start
		for first.Weekday() != time.Thursday {
			first = first.AddDate(0, 0, 1)
		}
		d0 := int(first.Sub(w.start).Hours()/24) + 7*w.n(2)
		every := 1
		if w.chance(0.6) {
			every = 2
		}
		for k, day := 0, d0; day < w.days; k, day = k+1, day+14 {
			if k%every != 0 || day < startDay || day >= stopDay {
				continue
			}
			dd := day + w.n(2)
			for i := range rs {
				if (i == 0 && w.chance(0.85)) || (i > 0 && w.chance(0.25)) {
					send(dd, i, 1/float64(3-every), "")
				}
			}
		}
	}
	// Occasions: Christmas, the school year, an emergency.
	for yy := 0; yy <= w.cfg.Months/12; yy++ {
		dec := time.Date(y+yy, 12, w.in(10, 20), 0, 0, 0, 0, time.UTC)
		if d := int(dec.Sub(w.start).Hours() / 24); d >= startDay && d < stopDay && w.chance(0.6) {
			send(d, 0, uniform(w.r, 1, 2), pick(w, []string{"gift", "Christmas", "christmas gift", ""}))
		}
		if country == "PH" && w.chance(0.4) {
			jun := time.Date(y+yy, 5, w.in(20, 31), 0, 0, 0, 0, time.UTC)
			if d := int(jun.Sub(w.start).Hours() / 24); d >= startDay && d < stopDay {
				send(d, w.n(len(rs)), uniform(w.r, 1, 2.5), "school fees")
			}
		}
	}
	for e := w.n(3); e > 0; e-- {
		send(startDay+w.n(max(1, stopDay-startDay)), w.n(len(rs)), uniform(w.r, 1.5, 4), pick(w, []string{"medical", "hospital bill", "emergency", "funeral", "repairs"}))
	}
}

// ---- partners abroad (a look-alike inside the ordinary segment)

func (w *world) genPartner(p *party) {
	rc := w.newPersonRecipient(RoleOther, "PH", originPH, false)
	st := w.newStyle(rc)
	amt := w.lognormal(300, 0.4)
	startDay := w.n(max(1, w.days/2))
	step := []int{14, 30, 30}[w.n(3)]
	ch := w.channel(0.6, 0.15, 0.25)
	for d := startDay; d < w.days; d += step + w.in(-3, 3) {
		purpose := ""
		if w.chance(0.4) {
			purpose = pick(w, []string{"support", "allowance", "family support", "rent", "bills", "gift"})
		}
		w.emit(p, w.dayAt(p.loc, d, w.hour(0.15, 0.5)), rc, roundTo(amt*(1+0.1*w.r.NormFloat64()), 10), ch, purpose, st)
	}
}

// ---- ordinary customers

var ordinaryCountries = []string{"GB", "GB", "NZ", "NZ", "US", "IN", "PH", "TH", "ID", "FR", "DE", "IT", "GR", "VN", "CN", "MY"}

func (w *world) genOrdinary(p *party, n int) {
	var contacts []*recipient
	var styles []style
	for k := 0; k < n; k++ {
		var rc *recipient
		var st style
		if len(contacts) > 0 && w.chance(0.6) {
			i := w.n(len(contacts))
			rc, st = contacts[i], styles[i]
		} else {
			country := pick(w, ordinaryCountries)
			o := originEN
			switch country {
			case "PH":
				o = originPH
			case "IN":
				o = originIN
			case "VN":
				o = originVN
			case "FR":
				o = originFR
			case "DE":
				o = originDE
			case "TH", "ID", "MY":
				o = originTH
			}
			rc = w.newPersonRecipient(RoleOther, country, o, w.chance(0.5))
			st = w.newStyle(rc)
			contacts, styles = append(contacts, rc), append(styles, st)
		}
		aud := min(15000, max(20, w.lognormal(250, 0.9)))
		c := w.looseAmount(aud)
		if w.chance(0.5) {
			c = roundTo(aud, 50)
		}
		purpose := ""
		if w.chance(0.4) {
			purpose = pick(w, ordinaryPurps)
		}
		w.emit(p, w.dayAt(p.loc, w.n(w.days), w.hour(0.05, 0.4)), rc, c, w.channel(0.35, 0.5, 0.15), purpose, st)
	}
}

// ---- adult webcam customers

func (w *world) genWebcam(p *party, platforms, models []*recipient) {
	direct := w.chance(w.p.WebcamDirect)
	var rs []*recipient
	if direct {
		for k := w.in(1, 4); k > 0; k-- {
			rs = append(rs, pick(w, models))
		}
	} else {
		rs = append(rs, pick(w, platforms))
		if w.chance(0.3) {
			rs = append(rs, pick(w, platforms))
		}
	}
	styles := make([]style, len(rs))
	for i, rc := range rs {
		styles[i] = w.newStyle(rc)
	}
	n := min(160, max(3, int(w.lognormal(22, 0.8))))
	late := min(0.9, uniform(w.r, 0.35, 0.85))
	prefCh := w.channel(0.45, 0.1, 0.45)
	// activity comes in bursts
	windows := w.in(1, 4)
	for k := 0; k < n; k++ {
		wdw := k * windows / n
		center := (float64(wdw) + 0.5) / float64(windows) * float64(w.days)
		day := int(center + float64(w.days)/float64(windows)*0.5*(w.f()*2-1))
		i := w.n(len(rs))
		rc := rs[i]
		var c int64
		var ch vigil.Channel
		purpose := ""
		if rc.org {
			c = cents(pick(w, []float64{9.99, 19.99, 19.99, 29.99, 49.99, 49.99, 99.99, 20, 50, 100}))
			ch = w.channel(0, 0.15, 0.15) // mostly card
		} else {
			aud := w.lognormal(45, 0.5)
			switch {
			case w.chance(0.75):
				c = roundTo(aud, pick(w, []float64{5, 10, 10, 20}))
			case rc.country == "PH":
				c = w.pesoAmount(aud)
			default:
				c = w.looseAmount(aud)
			}
			ch = prefCh
			if w.chance(0.15) {
				purpose = pick(w, webcamPurposes)
			}
		}
		w.emit(p, w.dayAt(p.loc, day, w.hour(late, 0.3)), rc, c, ch, purpose, styles[i])
	}
}

// ---- romance-scam victims

func (w *world) genRomance(p *party, scammers []*recipient) {
	rc := pick(w, scammers)
	st := w.newStyle(rc)
	n := w.in(5, 25)
	aud := w.lognormal(300, 0.6)
	growth := uniform(w.r, 1.1, 1.45)
	day := float64(w.n(max(1, w.days*7/10)))
	prefCh := w.channel(0.5, 0.4, 0.1)
	for k := 0; k < n && int(day) < w.days; k++ {
		if k > 0 && w.chance(0.08) { // a "customs agent" or "lawyer" joins in
			rc2 := pick(w, scammers)
			if rc2 != rc {
				rc, st = rc2, w.newStyle(rc2)
			}
		}
		c := roundTo(min(25000, aud), pick(w, []float64{10, 50, 100}))
		if w.chance(0.3) {
			c = w.looseAmount(min(25000, aud))
		}
		purpose := ""
		if w.chance(0.6) {
			purpose = pick(w, romancePurpose)
		}
		w.emit(p, w.dayAt(p.loc, int(day), w.hour(0.15, 0.4)), rc, c, prefCh, purpose, st)
		aud *= growth * math.Exp(0.2*w.r.NormFloat64())
		day += w.r.ExpFloat64() * uniform(w.r, 8, 25)
	}
}

// ---- charity sponsors

func (w *world) genSponsor(p *party, orgs []*recipient) {
	rc := orgs[w.n(len(orgs))]
	if w.chance(0.5) {
		rc = orgs[w.n(3)] // the Philippine charities are the commonest
	}
	st := w.newStyle(rc)
	amt := pick(w, []float64{30, 35, 38, 40, 45, 48, 50, 52, 55, 60, 75})
	dom := w.in(1, 28)
	overnight := w.chance(0.35) // scheduled payments run overnight
	ch := vigil.ChannelBank
	if w.chance(0.25) {
		ch = vigil.ChannelCard
	}
	startMo, stopMo := 0, w.cfg.Months
	if w.chance(0.3) {
		startMo = w.n(w.cfg.Months - 3)
	}
	if w.chance(0.1) {
		stopMo = startMo + 3 + w.n(w.cfg.Months-startMo-2)
	}
	purpose := ""
	if w.chance(0.6) {
		purpose = pick(w, sponsorPurpose)
	}
	y, m, _ := w.start.Date()
	for mo := startMo; mo < stopMo; mo++ {
		day := int(time.Date(y, m+time.Month(mo), dom, 0, 0, 0, 0, time.UTC).Sub(w.start).Hours() / 24)
		h := w.in(8, 16)
		if overnight {
			h = w.in(25, 28)
		}
		w.emit(p, w.dayAt(p.loc, day, h), rc, cents(amt), ch, purpose, st)
	}
}

// ---- sending to oneself abroad

var selfCountries = map[origin][]string{
	originEN: {"GB", "NZ", "US", "TH", "PH", "GR", "IT"},
}

func (w *world) genSelf(p *party) {
	country := names[p.org].country
	if cs, ok := selfCountries[p.org]; ok {
		country = pick(w, cs)
	}
	rc := &recipient{idx: len(w.rcps), role: RoleSelf, country: country, male: p.male, given: p.given, middle: p.middle, surname: p.surname}
	w.finishRecipient(rc)
	rc.birth = p.birth
	if rc.bank == nil {
		rc.bank = accountFormats(w.digits(12))
	}
	st := w.newStyle(rc)
	n := w.in(3, 14)
	ch := w.channel(0.4, 0.6, 0)
	for k := 0; k < n; k++ {
		aud := min(30000, max(200, w.lognormal(1500, 0.8)))
		c := roundTo(aud, 100)
		if w.chance(0.4) {
			c = w.looseAmount(aud)
		}
		purpose := ""
		if w.chance(0.5) {
			purpose = pick(w, selfPurposes)
		}
		w.emit(p, w.dayAt(p.loc, w.n(w.days), w.hour(0.04, 0.4)), rc, c, ch, purpose, st)
	}
}
