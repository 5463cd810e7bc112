package synth

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

type originW struct {
	o origin
	w int
}

func (w *world) origin(ws []originW) origin {
	t := 0
	for _, x := range ws {
		t += x.w
	}
	k := w.n(t)
	for _, x := range ws {
		if k < x.w {
			return x.o
		}
		k -= x.w
	}
	return ws[0].o
}

var (
	buyerOrigins   = []originW{{originEN, 78}, {originFR, 7}, {originDE, 8}, {originPL, 3}, {originVN, 2}, {originIN, 2}}
	familyOrigins  = []originW{{originPH, 35}, {originIN, 20}, {originVN, 15}, {originPL, 10}, {originNG, 10}, {originFR, 5}, {originDE, 5}}
	selfOrigins    = []originW{{originEN, 30}, {originPH, 20}, {originIN, 15}, {originVN, 10}, {originPL, 10}, {originNG, 5}, {originFR, 5}, {originDE, 5}}
	generalOrigins = []originW{{originEN, 70}, {originPH, 6}, {originIN, 6}, {originVN, 5}, {originPL, 3}, {originNG, 2}, {originFR, 4}, {originDE, 4}}
)

// build generates the whole world in memory.
func (w *world) build() {
	C := w.cfg.Customers
	p := w.p
	count := func(share float64) int { return int(math.Round(float64(C) * share)) }
	nBuyer := max(3, count(p.BuyerShare))
	segs := []struct {
		seg string
		n   int
	}{
		{SegBuyer, nBuyer}, {SegFamily, count(p.FamilyShare)}, {SegWebcam, max(2, count(p.WebcamShare))},
		{SegRomance, max(2, count(p.RomanceShare))}, {SegSponsor, max(2, count(p.SponsorShare))}, {SegSelf, count(p.SelfShare)},
	}
	rest := C
	for _, s := range segs {
		rest -= s.n
	}
	segs = append(segs, struct {
		seg string
		n   int
	}{SegOrdinary, rest})

	// 1. The customers.
	bySeg := map[string][]*party{}
	for _, s := range segs {
		for i := 0; i < s.n; i++ {
			var pp *party
			switch s.seg {
			case SegBuyer:
				pp = w.newParty(s.seg, w.origin(buyerOrigins), w.chance(0.93), w.age([][3]int{{27, 49, 28}, {50, 59, 31}, {60, 69, 30}, {70, 82, 11}}))
			case SegFamily:
				o := w.origin(familyOrigins)
				male := w.chance(0.5)
				if o == originPH {
					male = w.chance(0.3)
				}
				pp = w.newParty(s.seg, o, male, w.age([][3]int{{21, 34, 30}, {35, 49, 40}, {50, 72, 30}}))
			case SegWebcam:
				pp = w.newParty(s.seg, w.origin(generalOrigins), w.chance(0.9), w.age([][3]int{{20, 34, 35}, {35, 49, 35}, {50, 72, 30}}))
			case SegRomance:
				pp = w.newParty(s.seg, w.origin(generalOrigins), w.chance(0.45), w.age([][3]int{{38, 54, 30}, {55, 69, 45}, {70, 84, 25}}))
			case SegSponsor:
				pp = w.newParty(s.seg, w.origin(generalOrigins), w.chance(0.45), w.age([][3]int{{25, 44, 30}, {45, 64, 40}, {65, 85, 30}}))
			case SegSelf:
				pp = w.newParty(s.seg, w.origin(selfOrigins), w.chance(0.55), w.age([][3]int{{24, 44, 50}, {45, 70, 50}}))
			default:
				pp = w.newParty(s.seg, w.origin(generalOrigins), w.chance(0.5), w.age([][3]int{{18, 34, 30}, {35, 54, 35}, {55, 85, 35}}))
			}
			bySeg[s.seg] = append(bySeg[s.seg], pp)
		}
	}

	// 2. Facilitators, and the buyers' plans.
	nFac := max(3, int(math.Round(float64(nBuyer)*p.FacPerBuyer)))
	for i := 0; i < nFac; i++ {
		country, o := "PH", originPH
		if !w.chance(p.PHShare) {
			switch country = pick(w, []string{"ID", "TH", "KH", "VN", "CO"}); country {
			case "VN":
				o = originVN
			case "CO":
				o = originCO
			default:
				o = originTH
			}
		}
		rc := w.newPersonRecipient(RoleFacilitator, country, o, w.chance(0.25))
		w.facs = append(w.facs, rc.idx)
	}
	plans := make([]*buyerPlan, 0, nBuyer)
	for _, b := range bySeg[SegBuyer] {
		plans = append(plans, w.planBuyer(b))
	}

	// 3. Seized devices, and the relatives who send family money to facilitators.
	w.chooseSeized()
	var phFamily []*party
	for _, f := range bySeg[SegFamily] {
		if f.org == originPH {
			phFamily = append(phFamily, f)
		}
	}
	relOf := map[int][]*recipient{} // party idx → facilitators they send family money to
	for _, fi := range w.facs {
		rc := w.rcps[fi]
		k := 0
		var s *seizure
		for _, x := range w.seized {
			if x.rc == rc {
				s = x
			}
		}
		switch {
		case s != nil:
			k = w.in(1, 3)
		case rc.country == "PH" && w.chance(0.3):
			k = 1
		}
		for ; k > 0; k-- {
			var rel *party
			if len(phFamily) > 0 {
				j := w.n(len(phFamily))
				rel = phFamily[j]
				phFamily = slices.Delete(phFamily, j, j+1)
			} else {
				rel = w.newParty(SegFamily, originPH, w.chance(0.3), w.in(25, 60))
				bySeg[SegFamily] = append(bySeg[SegFamily], rel)
			}
			rel.surname = rc.surname
			rel.full = joinName(rel.given, rel.middle, rel.surname)
			if w.chance(0.35) {
				rel.full = joinName(rel.given, rel.surname)
			}
			rel.email = w.email(rel.given, rel.surname, rel.birth.Year)
			relOf[rel.idx] = append(relOf[rel.idx], rc)
			if s != nil {
				s.relatives = append(s.relatives, rel)
			}
		}
	}

	// 4. The other recipients the honest segments pay.
	var platforms, models, scammers, orgs []*recipient
	for _, pl := range webcamPlatforms {
		platforms = append(platforms, w.newOrgRecipient(RoleWebcam, pl.name, pl.country, pl.city))
	}
	for i := 0; i < max(3, len(bySeg[SegWebcam])/6); i++ {
		country, o := "PH", originPH
		switch x := w.f(); {
		case x < 0.3:
			country, o = "CO", originCO
		case x < 0.5:
			country, o = "RO", originRO
		}
		models = append(models, w.newPersonRecipient(RoleWebcam, country, o, false))
	}
	for i := 0; i < max(2, len(bySeg[SegRomance])/2); i++ {
		var country string
		var o origin
		switch x := w.f(); {
		case x < 0.35:
			country, o = "NG", originNG
		case x < 0.55:
			country, o = "GH", originGH
		case x < 0.75:
			country, o = "PH", originPH
		case x < 0.85:
			country, o = "MY", originTH
		case x < 0.9:
			country, o = "TR", originEN
		default:
			country, o = "US", originEN
		}
		scammers = append(scammers, w.newPersonRecipient(RoleScammer, country, o, w.chance(0.6)))
	}
	for _, c := range charities {
		orgs = append(orgs, w.newOrgRecipient(RoleCharity, c.name, c.country, c.city))
	}

	// 5. Second records of some customers (another account or provider).
	persons := len(w.parties)
	for i := 0; i < persons; i++ {
		if w.chance(p.DupShare) {
			w.duplicate(w.parties[i])
		}
	}

	// 6. Transfers (about 13 per customer).
	w.xs = make([]xfer, 0, C*14)
	for _, b := range plans {
		w.genBuyer(b)
	}
	for i := 0; i < persons; i++ {
		pp := w.parties[i]
		switch pp.seg {
		case SegFamily:
			w.genFamily(pp, relOf[pp.idx])
		case SegWebcam:
			w.genWebcam(pp, platforms, models)
		case SegRomance:
			w.genRomance(pp, scammers)
		case SegSponsor:
			w.genSponsor(pp, orgs)
		case SegSelf:
			w.genSelf(pp)
		case SegOrdinary:
			if pp.male && w.chance(p.PartnerShare*2) && w.start.Year()-pp.birth.Year >= 40 {
				w.genPartner(pp)
			}
			w.genOrdinary(pp, []int{0, 0, 0, 1, 1, 2, 3, 4, 5, 6, 8, 10, 14, 20}[w.n(14)])
		}
	}

	// 7. Seized devices' call logs.
	byRcp := map[int32][]int{}
	for _, s := range w.seized {
		byRcp[int32(s.rc.idx)] = nil
	}
	for i := range w.xs {
		if _, ok := byRcp[w.xs[i].rcp]; ok {
			byRcp[w.xs[i].rcp] = append(byRcp[w.xs[i].rcp], i)
		}
	}
	for _, s := range w.seized {
		w.genCalls(s, byRcp)
	}

	// 8. Seeds and the partner's client list.
	for _, s := range w.seized {
		lr := w.seedLead(s)
		w.seeds = append(w.seeds, lr)
	}
	listed := map[int]bool{}
	for _, s := range w.seized {
		for _, b := range s.buyers {
			if !listed[b.idx] && w.chance(p.LeadShare) {
				listed[b.idx] = true
				w.leads = append(w.leads, w.domesticLead(b))
			}
		}
		for _, f := range s.foreignLeads {
			if w.chance(0.6) {
				w.leads = append(w.leads, w.foreignLead(f))
			}
		}
	}
	for _, b := range bySeg[SegBuyer] {
		if !listed[b.idx] && w.chance(0.15) {
			listed[b.idx] = true
			w.leads = append(w.leads, w.domesticLead(b))
		}
	}
	for i := range w.leads {
		if lr := &w.leads[i]; lr.party != nil && w.chance(p.DecoyShare) {
			lr.decoy = w.decoy(lr.party)
		}
	}

	w.assignIDs()
}

// assignIDs gives every record an opaque id: party and recipient numbers
// are drawn at random, transfers and events are numbered in time order.
func (w *world) assignIDs() {
	ids, order := w.opaque(len(w.parties), "P")
	for i, pp := range w.parties {
		pp.id = ids[i]
	}
	w.partyOrder = order
	ids, w.rcpOrder = w.opaque(len(w.rcps), "R")
	for i, rc := range w.rcps {
		rc.id = ids[i]
	}
	slices.SortFunc(w.xs, func(a, b xfer) int {
		if a.unix != b.unix {
			return cmpInt(a.unix, b.unix)
		}
		return cmpInt(int64(a.seq), int64(b.seq))
	})
	w.idWidth = max(7, len(fmt.Sprint(len(w.xs))))
	slices.SortFunc(w.calls, func(a, b callEv) int {
		if a.unix != b.unix {
			return cmpInt(a.unix, b.unix)
		}
		return cmpInt(int64(a.seq), int64(b.seq))
	})
	for i := range w.calls {
		w.calls[i].id = fmt.Sprintf("E%07d", i+1)
	}
	ids, _ = w.opaque(len(w.leads), "L")
	for i := range w.leads {
		w.leads[i].l.ID = ids[i]
	}
	slices.SortFunc(w.leads, func(a, b leadRec) int { return strings.Compare(a.l.ID, b.l.ID) })
	ids, _ = w.opaque(len(w.seeds), "S")
	for i := range w.seeds {
		w.seeds[i].l.ID = ids[i]
		w.seized[i].seedID = ids[i]
	}
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// transferID is the id of the i-th transfer in time order; it is made when
// written rather than kept for each of millions of transfers.
func (w *world) transferID(i int) string {
	var d, b [24]byte
	n := strconv.AppendInt(d[:0], int64(i+1), 10)
	id := append(b[:0], 'T')
	for k := len(n); k < w.idWidth; k++ {
		id = append(id, '0')
	}
	return string(append(id, n...))
}

// opaque draws n distinct random numbers and formats them with prefix;
// order lists the indexes by increasing id.
func (w *world) opaque(n int, prefix string) (ids []string, order []int) {
	space := 1_000_000
	if prefix == "S" || prefix == "L" {
		space = 100_000
	}
	for space < 10*n {
		space *= 10
	}
	width := len(strconv.Itoa(space - 1))
	seen := make(map[int]bool, n)
	nums := make([]int, n)
	ids = make([]string, n)
	order = make([]int, n)
	var b [24]byte
	for i := range ids {
		k := w.n(space)
		for seen[k] {
			k = w.n(space)
		}
		seen[k] = true
		nums[i] = k
		d := strconv.AppendInt(b[12:12], int64(k), 10)
		id := append(b[:0], prefix...)
		for j := len(d); j < width; j++ {
			id = append(id, '0')
		}
		ids[i] = string(id) + string(d)
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return nums[a] - nums[b] })
	return ids, order
}
