package resolve

import "math"

// dateTable counts the reference records' birth dates by year and by
// year and month: the term frequencies of a partial birth date.
//
// A lead that gives only "1974" and agrees with a party born in 1974 says
// less than one that gives "1974-10" and agrees: strangers share a birth
// year far more often than a birth month. The table level "agree as far as
// known" has one weight for both, learnt from a list that mixes them;
// linking replaces its u, pair by pair, with the share f of reference
// records that agree that far with the lead (born that year, or that year
// and month), as the term-frequency adjustment of a name does, and its m
// with a·sM/sU: a the chance that one person's two dates agree as far as
// both are known, taken to be the same for a year as for a month, and
// sM/sU how much more often the leads that are someone here give a
// partial date than the leads at large (partialAgreement).
//
//	weight = log2(a·(sM/sU) / f), never above exact agreement
type dateTable struct {
	year  [dateYears]int32
	month [dateYears * 12]int32
	// withYear and withMonth count the records whose date gives at least
	// a year, at least a month.
	withYear, withMonth int
}

const (
	dateFirstYear = 1800
	dateYears     = 401 // 1800–2200, the years ParseLooseDate reads
)

func buildDateTable(recs []prepared) *dateTable {
	t := &dateTable{}
	for i := range recs {
		d := recs[i].dob
		y := d.Year - dateFirstYear
		if d.IsZero() || y < 0 || y >= dateYears {
			continue
		}
		t.year[y]++
		t.withYear++
		if d.Month >= 1 && d.Month <= 12 {
			t.month[y*12+d.Month-1]++
			t.withMonth++
		}
	}
	return t
}

// freq returns the share f of reference records whose birth date agrees
// with d as far as precision p (1 year, 2 month) is known, counting at
// least one record; ok is false outside the table.
func (t *dateTable) freq(d dateKey, p int) (float64, bool) {
	y := d.year - dateFirstYear
	if y < 0 || y >= dateYears {
		return 0, false
	}
	switch {
	case p == 1 && t.withYear > 0:
		return float64(max(t.year[y], 1)) / float64(t.withYear), true
	case p == 2 && t.withMonth > 0 && d.month >= 1 && d.month <= 12:
		return float64(max(t.month[y*12+d.month-1], 1)) / float64(t.withMonth), true
	}
	return 0, false
}

type dateKey struct{ year, month int }

// datePartial is the date adjustment of a linking scorer (nil: none).
type datePartial struct {
	table *dateTable
	// agree is a·sM/sU (partialAgreement).
	agree float64
}

// newDatePartial returns the adjustment for a partial date's m, a·sM/sU
// (partialAgreement).
func newDatePartial(t *dateTable, a float64) *datePartial {
	if t.withYear == 0 || a <= 0 {
		return nil
	}
	return &datePartial{table: t, agree: a}
}

// partialAgreement estimates, from the linked EM's last E step, the m
// of a partial birth date that agrees, as the product of two shares:
//
//   - a, the chance that one person's two birth dates agree as far as
//     known when the lead's is partial: over the candidates of the leads
//     that give only a year or a year and month, the posterior mass of
//     "agree as far as known" over the mass of every pair whose dates were
//     compared (the typos of full dates stay out of it);
//   - sM/sU, how much more (or less) often the leads that are someone
//     here give a partial date than the leads at large: sM is the
//     posterior share of partial dates among matched pairs, sU the share
//     among the leads. Fellegi–Sunter's level "agree as far as known"
//     carries this factor in m/u; it is kept so that splitting u by the
//     date's frequency changes only u.
//
// Each share starts from minLevelMass pseudo-pairs (a at 0.95, sM at sU).
func partialAgreement(lp []prepared, groups []leadGroup, post [][]float64) float64 {
	nf := len(fields)
	leads, partialLeads := 0, 0
	for g := range lp {
		if p := lp[g].dob.Precision(); p > 0 {
			leads++
			if p < 3 {
				partialLeads++
			}
		}
	}
	if leads == 0 || partialLeads == 0 {
		return 0
	}
	sU := float64(partialLeads) / float64(leads)
	agree, known := minLevelMass*0.95, float64(minLevelMass)
	matchedPartial, matched := minLevelMass*sU, float64(minLevelMass)
	for g, gr := range groups {
		if g >= len(lp) || g >= len(post) {
			break
		}
		p := lp[g].dob.Precision()
		if p == 0 {
			continue
		}
		for k, w := range post[g] {
			l := gr.vecs[k*nf+fDOB]
			if l < 0 {
				continue
			}
			matched += w
			if p == 3 {
				continue
			}
			matchedPartial += w
			known += w
			if l == DatePartial {
				agree += w
			}
		}
	}
	return agree / known * (matchedPartial / matched) / sU
}

// partialBits returns the weight of the birth dates of a and b agreeing
// as far as known, and the share f it was computed from; ok is false when
// the table has no figure (the level's own weight then holds).
func (s *scorer) partialBits(a, b *prepared) (bits, f float64, ok bool) {
	if s.dates == nil {
		return 0, 0, false
	}
	p := min(a.dob.Precision(), b.dob.Precision())
	f, ok = s.dates.table.freq(dateKey{b.dob.Year, b.dob.Month}, p)
	if !ok {
		return 0, 0, false
	}
	return math.Min(math.Log2(s.dates.agree/f), s.bits[fDOB][DateExact]), f, true
}

// weightLinked is weight with the birth date's "agree as far as known"
// weighed by the frequency of the date the lead gives (partialBits).
func (s *scorer) weightLinked(vec []int8, a, b *prepared) float64 {
	w := s.weight(vec, b)
	if s.dates != nil && vec[fDOB] == DatePartial {
		if pb, _, ok := s.partialBits(a, b); ok {
			w += pb - s.bits[fDOB][DatePartial]
		}
	}
	return w
}
