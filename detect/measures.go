package detect

import (
	"fmt"
	"math"
	"math/bits"
	"strings"
)

// measure computes one indicator's value in [0,1] from a sender's view;
// explain says in words why, and names the transfers behind it. explain is
// only called for senders that are reported.
type measure struct {
	value   func(v *view, p map[string]float64) float64
	explain func(v *view, p map[string]float64, val float64) (string, []string)
}

// measures is the engine's table of measures, named by the catalogue.
var measures = map[string]measure{
	"corridor_low_share": {
		value: func(v *view, p map[string]float64) float64 {
			return damp(share(v.s.nCorrLow, v.s.n), v.s.nCorrLow, p["min_count"])
		},
		explain: func(v *view, p map[string]float64, _ float64) (string, []string) {
			return fmt.Sprintf("%d of %d transfers were at most €%g to private recipients in high-risk countries (%s)",
				v.s.nCorrLow, v.s.n, v.e.pack.LowValueEUR, v.corridorCountries()), v.ring(flagLow)
		},
	},
	"short_gap_share": {
		value: func(v *view, p map[string]float64) float64 {
			return damp(share(v.s.nShortGaps, v.s.nGaps), v.s.nGaps, p["min_gaps"])
		},
		explain: func(v *view, p map[string]float64, _ float64) (string, []string) {
			return fmt.Sprintf("%d of %d intervals between corridor transfers were at most %g days",
				v.s.nShortGaps, v.s.nGaps, p["max_gap_days"]), v.ring(flagCorridor)
		},
	},
	"escalation": {
		value: func(v *view, p map[string]float64) float64 {
			if float64(v.s.nCorr) < p["min_count"] {
				return 0
			}
			r, b := v.s.corr.corr(), v.bunch()
			return 0.5*clamp(r/p["r_full"]) + 0.5*clamp((b-0.5)/(p["bunch_full"]-0.5))
		},
		explain: func(v *view, p map[string]float64, _ float64) (string, []string) {
			return fmt.Sprintf("over %d corridor transfers, amount rose with time (r = %.2f) and %.0f%% of the active period had passed at their mean time",
				v.s.nCorr, v.s.corr.corr(), 100*v.bunch()), v.ring(flagCorridor)
		},
	},
	"round_share": {
		value: func(v *view, p map[string]float64) float64 {
			return damp(share(v.s.nRound, v.s.nCorr), v.s.nRound, p["min_count"])
		},
		explain: func(v *view, p map[string]float64, _ float64) (string, []string) {
			return fmt.Sprintf("%d of %d corridor transfers were round amounts (multiples of %g)",
				v.s.nRound, v.s.nCorr, v.e.pack.RoundUnit), v.ring(flagRound)
		},
	},
	"late_share": {
		value: func(v *view, p map[string]float64) float64 {
			return damp(share(v.s.nLate, v.s.nCorr), v.s.nLate, p["min_count"])
		},
		explain: func(v *view, p map[string]float64, _ float64) (string, []string) {
			return fmt.Sprintf("%d of %d corridor transfers were sent between %02d:00 and %02d:00 local time",
				v.s.nLate, v.s.nCorr, v.e.pack.LateFromHour, v.e.pack.LateToHour), v.ring(flagLate)
		},
	},
	"cover_share": {
		value: func(v *view, p map[string]float64) float64 {
			return damp(share(v.s.nCover, v.s.nCorr), v.s.nCover, p["min_count"])
		},
		explain: func(v *view, p map[string]float64, _ float64) (string, []string) {
			return fmt.Sprintf("%d of %d corridor transfers gave a cover purpose (school, medical, food ...)",
				v.s.nCover, v.s.nCorr), v.ring(flagCover)
		},
	},
	"minor_count": {
		value: func(v *view, p map[string]float64) float64 {
			return clamp(float64(v.s.nMinor) / p["full_at"])
		},
		explain: func(v *view, p map[string]float64, _ float64) (string, []string) {
			return fmt.Sprintf("%d corridor transfers went to a recipient younger than %g by the birth date given",
				v.s.nMinor, p["max_age"]), v.ring(flagMinor)
		},
	},
	"unrelated_recipients": {
		value: func(v *view, p map[string]float64) float64 {
			k := v.count(v.unrelatedRecent(p))
			return clamp(float64(k-1) / (p["full_at"] - 1))
		},
		explain: func(v *view, p map[string]float64, _ float64) (string, []string) {
			sel := v.unrelatedRecent(p)
			return fmt.Sprintf("%d distinct unrelated private recipients in high-risk countries within %g days",
				v.count(sel), p["window_days"]), v.slotIDs(sel)
		},
	},
	"hub_share": {
		value: func(v *view, p map[string]float64) float64 {
			return v.slotShare(func(sv *slotView) float64 {
				if !sv.corridor || sv.tie || sv.self {
					return 0
				}
				return clamp(float64(sv.untiedSenders-1) / (p["full_at"] - 1))
			}, v.s.nCorr)
		},
		explain: func(v *view, p map[string]float64, _ float64) (string, []string) {
			sel := func(sv *slotView) bool { return sv.corridor && !sv.tie && !sv.self && sv.untiedSenders > 1 }
			most := 0
			for i := range v.slots {
				if sel(&v.slots[i]) {
					most = max(most, v.slots[i].untiedSenders)
				}
			}
			return fmt.Sprintf("%d of the sender's recipients are paid by other unrelated senders (up to %d senders each)",
				v.count(sel), most), v.slotIDs(sel)
		},
	},
	"untied_share": {
		value: func(v *view, p map[string]float64) float64 {
			n := v.slotCount(func(sv *slotView) bool { return sv.corridor && !sv.tie && !sv.self })
			return damp(share(n, v.s.nCorr), v.s.nCorr, p["min_count"])
		},
		explain: func(v *view, p map[string]float64, _ float64) (string, []string) {
			sel := func(sv *slotView) bool { return sv.corridor && !sv.tie && !sv.self }
			return fmt.Sprintf("%d of %d corridor transfers went to recipients sharing no surname with the sender",
				v.slotCount(sel), v.s.nCorr), v.slotIDs(sel)
		},
	},
	"sender_profile": {
		value: func(v *view, p map[string]float64) float64 {
			age, ok := v.age()
			if !ok {
				return 0
			}
			a := float64(age)
			f := clamp(min((a-p["min_age"]+p["ramp_years"])/p["ramp_years"], (p["max_age"]+p["ramp_years"]-a)/p["ramp_years"]))
			if !v.k.male {
				f *= p["not_male_factor"]
			}
			return f
		},
		explain: func(v *view, p map[string]float64, _ float64) (string, []string) {
			age, _ := v.age()
			g := "male"
			if !v.k.male {
				g = "not recorded as male"
			}
			return fmt.Sprintf("sender %s, aged %d at the latest transfer (profile: %g to %g)", g, age, p["min_age"], p["max_age"]), []string{}
		},
	},
	"propagation_share": {
		value: func(v *view, p map[string]float64) float64 {
			return v.slotShare(func(sv *slotView) float64 {
				// a relative paying a family member is explained by the tie
				if !sv.corridor || sv.tie || sv.self || sv.coSenders == 0 {
					return 0
				}
				return sv.coScore / float64(sv.coSenders)
			}, v.s.nCorr)
		},
		explain: func(v *view, p map[string]float64, _ float64) (string, []string) {
			sel := func(sv *slotView) bool { return sv.corridor && !sv.tie && !sv.self && sv.coSenders > 0 }
			best := 0.0
			for i := range v.slots {
				if sel(&v.slots[i]) {
					best = max(best, v.slots[i].coScore/float64(v.slots[i].coSenders))
				}
			}
			return fmt.Sprintf("%d of the sender's corridor recipients are also paid by unrelated senders (their mean score before this indicator up to %.2f)",
				v.count(sel), best), v.slotIDs(sel)
		},
	},
	"route_count": {
		value: func(v *view, p map[string]float64) float64 {
			k := float64(v.s.ext.nRoutes)
			return damp(clamp((k-1)/(p["full_at"]-1)), v.s.nCorr, p["min_count"])
		},
		explain: func(v *view, p map[string]float64, _ float64) (string, []string) {
			return fmt.Sprintf("%d corridor transfers went through %d different payment routes (channel and provider)",
				v.s.nCorr, v.s.ext.nRoutes), v.ring(flagCorridor)
		},
	},
	"primary_share": {
		value: func(v *view, p map[string]float64) float64 {
			return damp(share(v.s.ext.nPrimary, v.s.nCorr), v.s.ext.nPrimary, p["min_count"])
		},
		explain: func(v *view, p map[string]float64, _ float64) (string, []string) {
			return fmt.Sprintf("%d of %d corridor transfers went to the main destination corridor (%s)",
				v.s.ext.nPrimary, v.s.nCorr, strings.Join(v.e.pack.PrimaryCorridors, ", ")), v.ring(flagCorridor)
		},
	},
	"channel_count": {
		value: func(v *view, p map[string]float64) float64 {
			k := float64(bits.OnesCount8(v.s.ext.channels))
			return damp(clamp((k-1)/(p["full_at"]-1)), v.s.nCorr, p["min_count"])
		},
		explain: func(v *view, p map[string]float64, _ float64) (string, []string) {
			var names []string
			for i, c := range []string{"remittance", "bank", "wallet", "card", "crypto"} {
				if v.s.ext.channels&(1<<i) != 0 {
					names = append(names, c)
				}
			}
			return fmt.Sprintf("%d corridor transfers used %d channels (%s)",
				v.s.nCorr, len(names), strings.Join(names, ", ")), v.ring(flagCorridor)
		},
	},
	"regular_gaps": {
		value: func(v *view, p map[string]float64) float64 {
			cv, ok := v.gapCV(p)
			if !ok {
				return 0
			}
			return clamp((p["cv_zero"] - cv) / (p["cv_zero"] - p["cv_full"]))
		},
		explain: func(v *view, p map[string]float64, _ float64) (string, []string) {
			cv, _ := v.gapCV(p)
			x := &v.s.ext
			return fmt.Sprintf("%d intervals between corridor transfers, mean %.1f days, varying by %.0f%% of the mean (regular below %.0f%%)",
				v.s.nGaps, x.gapSum/float64(v.s.nGaps), 100*cv, 100*p["cv_zero"]), v.ring(flagCorridor)
		},
	},
	"long_standing_share": {
		value: func(v *view, p map[string]float64) float64 {
			n := v.slotCount(sharedCorridor)
			x := 0.0
			for i := range v.slots {
				if sv := &v.slots[i]; sharedCorridor(sv) {
					x += float64(sv.n) * v.standing(sv, p)
				}
			}
			if n == 0 {
				return 0
			}
			return damp(x/float64(n), n, p["min_count"])
		},
		explain: func(v *view, p map[string]float64, _ float64) (string, []string) {
			sel := func(sv *slotView) bool { return sharedCorridor(sv) && v.standing(sv, p) > 0 }
			longest := 0.0
			for i := range v.slots {
				if sel(&v.slots[i]) {
					longest = max(longest, float64(v.slots[i].lastT-v.slots[i].firstT)/secondsPerDay/daysPerMonth)
				}
			}
			return fmt.Sprintf("%d of %d corridor transfers to recipients also paid by other unrelated senders went to recipients this sender has paid for more than %g months (longest %.0f months)",
				v.slotCount(sel), v.slotCount(sharedCorridor), p["from_months"], longest), v.slotIDs(sel)
		},
	},
	"tied_share": {
		value: func(v *view, p map[string]float64) float64 {
			n := v.slotCount(func(sv *slotView) bool { return sv.tie })
			return damp(share(n, v.s.n), n, p["min_count"])
		},
		explain: func(v *view, p map[string]float64, _ float64) (string, []string) {
			sel := func(sv *slotView) bool { return sv.tie }
			return fmt.Sprintf("%d of %d transfers went to recipients sharing the sender's surname (%s)",
				v.slotCount(sel), v.s.n, v.k.surname), v.slotIDs(sel)
		},
	},
	"payday_rhythm": {
		value: func(v *view, p map[string]float64) float64 {
			n := float64(v.s.n)
			if n < p["min_count"] {
				return 0
			}
			chance := 1 / math.Sqrt(n)
			return clamp((v.rhythm() - chance) / (1 - chance))
		},
		explain: func(v *view, p map[string]float64, _ float64) (string, []string) {
			return fmt.Sprintf("%d transfers concentrate on the same days of the month or of a fortnight (concentration %.2f, chance %.2f)",
				v.s.n, v.rhythm(), 1/math.Sqrt(float64(v.s.n))), v.slotIDs(func(*slotView) bool { return true })
		},
	},
	"org_fixed_share": {
		value: func(v *view, p map[string]float64) float64 {
			n := 0
			for i := range v.slots {
				if v.slots[i].org {
					n += int(v.slots[i].nSame)
				}
			}
			return share(int32(n), v.s.n)
		},
		explain: func(v *view, p map[string]float64, _ float64) (string, []string) {
			sel := func(sv *slotView) bool { return sv.org && sv.nSame > 0 }
			return fmt.Sprintf("%d organisation recipients received the same amount repeatedly", v.count(sel)), v.slotIDs(sel)
		},
	},
	"self_share": {
		value: func(v *view, p map[string]float64) float64 {
			return share(v.slotCount(func(sv *slotView) bool { return sv.self }), v.s.n)
		},
		explain: func(v *view, p map[string]float64, _ float64) (string, []string) {
			sel := func(sv *slotView) bool { return sv.self }
			return fmt.Sprintf("%d of %d transfers went to a recipient named like the sender",
				v.slotCount(sel), v.s.n), v.slotIDs(sel)
		},
	},
	"romance": {
		value: func(v *view, p map[string]float64) float64 {
			top := v.top()
			// a scammer is neither the sender, a relative nor an organisation
			if top == nil || top.self || top.tie || top.org || float64(top.n) < p["min_count"] || v.s.sumEUR <= 0 {
				return 0
			}
			conc := top.sumEUR / v.s.sumEUR
			return clamp((conc-0.5)/0.3) * clamp(top.maxEUR/p["large_eur"]) * clamp(top.reg.corr()/0.5)
		},
		explain: func(v *view, p map[string]float64, _ float64) (string, []string) {
			top := v.top()
			if top == nil {
				return "", []string{}
			}
			return fmt.Sprintf("one recipient took %.0f%% of the money sent, up to €%.0f in one transfer, rising over time (r = %.2f)",
				100*top.sumEUR/v.s.sumEUR, top.maxEUR, top.reg.corr()), []string{v.e.idString(top.firstID), v.e.idString(top.lastID)}
		},
	},
}

func clamp(x float64) float64 {
	switch {
	case x != x || x <= 0:
		return 0
	case x >= 1:
		return 1
	}
	return x
}

func share(k, n int32) float64 {
	if n <= 0 {
		return 0
	}
	return float64(k) / float64(n)
}

// damp scales a share down while fewer than min events support it, so that
// one transfer cannot make a pattern.
func damp(x float64, k int32, min float64) float64 {
	if min <= 1 || float64(k) >= min {
		return x
	}
	return x * float64(k) / min
}

// slotView is one of the sender's recipients as seen at scoring time:
// slots whose records have since been resolved to the same beneficiary
// are merged.
type slotView struct {
	root                     int32
	n, nSame                 int32
	firstT, lastT            int64
	sumEUR, maxEUR           float64
	firstID, lastID          txID
	tie, self, org, corridor bool
	untiedSenders, coSenders int
	coScore                  float64 // sum of the co-senders' scores before propagation
	reg                      regression
}

// view is a sender's state prepared for the measures.
type view struct {
	e     *Engine
	si    int32
	s     *sender
	k     *senderKYC
	slots []slotView
}

func (e *Engine) prepare(v *view, si int32, co func(int32) float64) {
	v.e, v.si, v.s, v.k = e, si, &e.senders[si], &e.kyc[si]
	v.slots = v.slots[:0]
	slots := e.slots.of(v.s)
	for i := range slots {
		sl := &slots[i]
		root := e.res.Root(sl.rec)
		var sv *slotView
		for j := range v.slots {
			if v.slots[j].root == root {
				sv = &v.slots[j]
				break
			}
		}
		if sv == nil {
			tie := sl.tie || v.s.ext.typoTie&(1<<i) != 0
			v.slots = append(v.slots, slotView{root: root, firstT: sl.firstT, firstID: sl.firstID,
				tie: tie, self: sl.self, org: sl.org, corridor: sl.corridor})
			sv = &v.slots[len(v.slots)-1]
			b := &e.bens[root]
			sv.untiedSenders = e.nUntied(b)
			if co != nil && sv.corridor && b.first != 0 {
				if o := b.first - 1; o != si {
					sv.coSenders++
					sv.coScore += co(o)
				}
				if b.more != 0 {
					for _, o := range e.benMore[b.more-1] {
						if o != si {
							sv.coSenders++
							sv.coScore += co(o)
						}
					}
				}
			}
		}
		sv.n += sl.n
		sv.nSame += sl.nSame
		sv.sumEUR += sl.sumEUR
		sv.maxEUR = max(sv.maxEUR, sl.maxEUR)
		if sl.lastT >= sv.lastT {
			sv.lastT, sv.lastID = sl.lastT, sl.lastID
		}
		sv.reg.merge(sl.regression())
	}
}

func (v *view) ring(mask uint16) []string {
	ids := []string{}
	r := v.e.ringOf(v.s)
	for i := range r { // oldest first: the ring's next slot holds the oldest once full
		ev := r[(int(v.s.ringNext)+i)%len(r)]
		if ev.flags&mask == mask {
			ids = append(ids, v.e.idString(ev.id))
		}
	}
	return ids
}

func (v *view) slotIDs(sel func(*slotView) bool) []string {
	ids := []string{}
	for i := range v.slots {
		if sel(&v.slots[i]) {
			first, last := v.e.idString(v.slots[i].firstID), v.e.idString(v.slots[i].lastID)
			ids = append(ids, first)
			if last != first {
				ids = append(ids, last)
			}
		}
	}
	return ids
}

func (v *view) count(sel func(*slotView) bool) int {
	n := 0
	for i := range v.slots {
		if sel(&v.slots[i]) {
			n++
		}
	}
	return n
}

// slotCount sums the transfers of the selected recipients.
func (v *view) slotCount(sel func(*slotView) bool) int32 {
	var n int32
	for i := range v.slots {
		if sel(&v.slots[i]) {
			n += v.slots[i].n
		}
	}
	return n
}

// slotShare is the transfer-weighted mean of f over the recipients,
// relative to total transfers.
func (v *view) slotShare(f func(*slotView) float64, total int32) float64 {
	if total <= 0 {
		return 0
	}
	x := 0.0
	for i := range v.slots {
		x += float64(v.slots[i].n) * f(&v.slots[i])
	}
	return clamp(x / float64(total))
}

func (v *view) unrelatedRecent(p map[string]float64) func(*slotView) bool {
	from := v.s.lastT - int64(p["window_days"]*secondsPerDay)
	return func(sv *slotView) bool {
		return sv.corridor && !sv.tie && !sv.self && sv.lastT >= from
	}
}

// bunch is where in the sender's corridor period the mean corridor
// transfer time lies: 0.5 for an even pace, more when transfers speed up.
func (v *view) bunch() float64 {
	r := &v.s.corr
	first := float64(v.s.firstCorrT-epoch) / secondsPerDay
	last := float64(v.s.lastCorrT-epoch) / secondsPerDay
	if r.n < 2 || last-first < 1 {
		return 0.5
	}
	return (r.sT/r.n - first) / (last - first)
}

// rhythm is the concentration of transfer days in the month (first or
// second harmonic) or in a 14-day cycle, whichever is strongest: 1 when
// every transfer falls on the same day of the month (or the same two
// opposite days), or every other week on the same weekday; near 0 when
// spread.
func (v *view) rhythm() float64 {
	n := float64(v.s.n)
	if n == 0 {
		return 0
	}
	r1 := math.Hypot(v.s.c1, v.s.s1) / n
	r2 := math.Hypot(v.s.c2, v.s.s2) / n
	r14 := math.Hypot(v.s.ext.c14, v.s.ext.s14) / n
	return max(r1, r2, r14)
}

// gapCV is the coefficient of variation (standard deviation over mean)
// of the intervals between the sender's corridor transfers; ok is false
// below min_gaps intervals or when they are all simultaneous.
func (v *view) gapCV(p map[string]float64) (cv float64, ok bool) {
	x := &v.s.ext
	n := float64(v.s.nGaps)
	if n < p["min_gaps"] || n == 0 {
		return 0, false
	}
	mean := x.gapSum / n
	if mean <= 0 {
		return 0, false
	}
	vr := x.gapSum2/n - mean*mean
	if vr < 0 {
		vr = 0
	}
	return math.Sqrt(vr) / mean, true
}

// daysPerMonth is the mean length of a Gregorian month.
const daysPerMonth = 30.436875

// untiedCorridor selects the recipients the live-streaming indicators
// look at: private persons in a corridor country who are neither the
// sender nor share the sender's surname.
func untiedCorridor(sv *slotView) bool { return sv.corridor && !sv.tie && !sv.self }

// sharedCorridor selects the untied corridor recipients that other
// unrelated senders pay too: those behind LSC-FACILITATOR-HUB and
// LSC-PROPAGATION.
func sharedCorridor(sv *slotView) bool { return untiedCorridor(sv) && sv.untiedSenders > 1 }

// standing grades how long-standing the relationship with one recipient
// is: 0 up to from_months between its first and last transfer, 1 from
// full_months on, and 0 below min_per_recipient transfers.
func (v *view) standing(sv *slotView, p map[string]float64) float64 {
	if float64(sv.n) < p["min_per_recipient"] {
		return 0
	}
	months := float64(sv.lastT-sv.firstT) / secondsPerDay / daysPerMonth
	return clamp((months - p["from_months"]) / (p["full_months"] - p["from_months"]))
}

func (v *view) top() *slotView {
	var top *slotView
	for i := range v.slots {
		if top == nil || v.slots[i].sumEUR > top.sumEUR {
			top = &v.slots[i]
		}
	}
	return top
}

func (v *view) age() (int, bool) {
	if v.k.birth.IsZero() || v.s.lastT == 0 {
		return 0, false
	}
	return v.k.birth.AgeAt(unixTime(v.s.lastT))
}

func (v *view) corridorCountries() string {
	var cs []string
	for i := range v.slots {
		if v.slots[i].corridor {
			c := v.e.res.Country(v.slots[i].root)
			if !hasString(cs, c) {
				cs = append(cs, c)
			}
		}
	}
	return strings.Join(cs, ", ")
}
