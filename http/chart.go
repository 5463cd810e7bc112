package http

import (
	"html"
	"html/template"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/vigilfiu/vigil"
)

// palette colours the largest recipients on the timeline; the others share
// the last, neutral colour. Chosen to stay distinct for colour-blind readers
// (Okabe–Ito).
var palette = []string{"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#882255", "#999999"}

// maxPoints is the most points drawn one per transfer; above it the chart
// draws one point per recipient per period (the period's total).
const maxPoints = 2000

// maxBuckets is the most time buckets of an aggregated chart.
const maxBuckets = 150

func sortTransfers(ts []*vigil.Transfer) {
	sort.SliceStable(ts, func(i, j int) bool { return ts[i].Timestamp.Before(ts[j].Timestamp) })
}

type point struct {
	t     time.Time
	amt   float64
	color string
	label string
}

// timelineSVG draws the transfers' amounts over time, coloured by
// recipient, as an inline SVG built on the server (no script needed, and it
// prints). Transfers must be in time order.
func timelineSVG(ts []vigil.TransferPoint, w, h int) template.HTML {
	if len(ts) == 0 {
		return template.HTML(`<p class="muted">No transfers.</p>`)
	}
	// Recipients by total, largest first.
	totals := map[string]float64{}
	names := map[string]string{}
	for i := range ts {
		t := &ts[i]
		k := t.RecipientKey()
		totals[k] += t.Amount.Float()
		if _, ok := names[k]; !ok {
			names[k] = t.BeneficiaryName + " (" + t.BeneficiaryCountry + ")"
			if t.BeneficiaryName == "" {
				names[k] = t.BeneficiaryID + " (" + t.BeneficiaryCountry + ")"
			}
		}
	}
	keys := make([]string, 0, len(totals))
	for k := range totals {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if totals[keys[i]] != totals[keys[j]] {
			return totals[keys[i]] > totals[keys[j]]
		}
		return keys[i] < keys[j]
	})
	color := map[string]string{}
	for i, k := range keys {
		color[k] = palette[min(i, len(palette)-1)]
	}
	var pts []point
	aggregated := len(ts) > maxPoints
	if !aggregated {
		pts = make([]point, 0, len(ts))
		for i := range ts {
			t := &ts[i]
			k := t.RecipientKey()
			pts = append(pts, point{t.Time, t.Amount.Float(), color[k], t.ID + " " + t.Amount.String() + " " + t.Currency + " to " + names[k] + " " + t.Time.Format("2006-01-02 15:04")})
		}
	} else {
		// One point per recipient per bucket, with at most maxBuckets
		// buckets (of whole days) across the period: bounded output
		// whatever the number of transfers.
		first, last := ts[0].Time, ts[len(ts)-1].Time
		days := int(last.Sub(first).Hours()/24) + 1
		per := max(1, (days+maxBuckets-1)/maxBuckets)
		width := time.Duration(per) * 24 * time.Hour
		type bk struct {
			b int
			k string
		}
		idx := make(map[bk]int, maxBuckets*4)
		for i := range ts {
			t := &ts[i]
			k := t.RecipientKey()
			b := int(t.Time.Sub(first) / width)
			d := bk{b, k}
			if i, ok := idx[d]; ok {
				pts[i].amt += t.Amount.Float()
				continue
			}
			idx[d] = len(pts)
			at := first.Add(time.Duration(b)*width + width/2)
			pts = append(pts, point{at, t.Amount.Float(), color[k], ""})
		}
		for d, i := range idx {
			from := first.Add(time.Duration(d.b) * width)
			pts[i].label = from.Format("2006-01-02") + " +" + strconv.Itoa(per) + "d to " + names[d.k] + ": total " + strconv.FormatFloat(pts[i].amt, 'f', 2, 64)
		}
	}
	t0, t1 := ts[0].Time, ts[len(ts)-1].Time
	for _, p := range pts {
		if p.t.Before(t0) {
			t0 = p.t
		}
		if p.t.After(t1) {
			t1 = p.t
		}
	}
	span := t1.Sub(t0).Seconds()
	if span <= 0 {
		span = 86400
		t0 = t0.Add(-12 * time.Hour)
	}
	maxA := 0.0
	for _, p := range pts {
		maxA = max(maxA, p.amt)
	}
	maxA = niceCeil(maxA)
	const left, right, top, bottom = 56, 12, 10, 28
	pw, ph := float64(w-left-right), float64(h-top-bottom)
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }
	var b strings.Builder
	b.Grow(len(pts)*120 + 2048)
	b.WriteString(`<svg class="timeline" role="img" aria-label="Transfers over time, coloured by recipient" viewBox="0 0 `)
	b.WriteString(strconv.Itoa(w) + " " + strconv.Itoa(h) + `" width="100%" preserveAspectRatio="xMinYMin meet">`)
	// Axes and grid.
	for i := 0; i <= 4; i++ {
		y := float64(top) + ph - ph*float64(i)/4
		b.WriteString(`<line x1="` + strconv.Itoa(left) + `" x2="` + strconv.Itoa(w-right) + `" y1="` + f(y) + `" y2="` + f(y) + `" stroke="#e3e6ea"/>`)
		b.WriteString(`<text x="` + strconv.Itoa(left-6) + `" y="` + f(y+4) + `" text-anchor="end" font-size="11" fill="#5b6470">` + strconv.FormatFloat(maxA*float64(i)/4, 'f', 0, 64) + `</text>`)
	}
	layout := "2006-01-02"
	if span < 4*86400 {
		layout = "01-02 15:04" // a short period: the hour matters
	}
	for i := 0; i <= 4; i++ {
		x := float64(left) + pw*float64(i)/4
		at := t0.Add(time.Duration(span * float64(i) / 4 * float64(time.Second)))
		anchor := "middle"
		if i == 0 {
			anchor = "start"
		} else if i == 4 {
			anchor = "end"
		}
		b.WriteString(`<text x="` + f(x) + `" y="` + strconv.Itoa(h-8) + `" text-anchor="` + anchor + `" font-size="11" fill="#5b6470">` + at.Format(layout) + `</text>`)
	}
	r := "3"
	if len(pts) > 500 {
		r = "2"
	}
	for _, p := range pts {
		x := float64(left) + pw*p.t.Sub(t0).Seconds()/span
		y := float64(top) + ph - ph*p.amt/maxA
		b.WriteString(`<circle cx="` + f(x) + `" cy="` + f(y) + `" r="` + r + `" fill="` + p.color + `" fill-opacity="0.8"><title>`)
		b.WriteString(html.EscapeString(p.label))
		b.WriteString(`</title></circle>`)
	}
	b.WriteString(`</svg><ul class="legend">`)
	for i, k := range keys {
		if i == len(palette)-1 {
			b.WriteString(`<li><span class="swatch c` + strconv.Itoa(i) + `"></span>` + strconv.Itoa(len(keys)-i) + ` other recipient(s)</li>`)
			break
		}
		b.WriteString(`<li><span class="swatch c` + strconv.Itoa(i) + `"></span>` + html.EscapeString(names[k]) + `</li>`)
	}
	b.WriteString(`</ul>`)
	if aggregated {
		b.WriteString(`<p class="muted">` + strconv.Itoa(len(ts)) + ` transfers: one point per recipient per period (the period's total).</p>`)
	}
	return template.HTML(b.String())
}

// niceCeil rounds v up to 1, 2 or 5 times a power of ten.
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := 1.0
	for p*10 <= v {
		p *= 10
	}
	for p > v*10 {
		p /= 10
	}
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}
