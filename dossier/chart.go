package dossier

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/vigilfiu/vigil"
)

// palette colours the most frequent recipients; the rest share otherColour.
// Chosen to stay distinct when printed in greyscale-ish PDF viewers.
var palette = []string{"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#bcbd22"}

const otherColour = "#7f7f7f"

// recipient is one recipient of the case's transfers, as the charts show it.
type recipient struct {
	Key       string // vigil.RecipientKey
	Label     string // name and country, or party id
	Colour    string
	Transfers int
	Totals    string // per currency, e.g. "EUR 120; PHP 3000"
}

// recipients orders the recipients of ts by number of transfers (then key)
// and gives the first len(palette) their own colour.
func recipients(ts []*vigil.Transfer) ([]*recipient, map[string]*recipient) {
	by := map[string]*recipient{}
	totals := map[string]map[string]vigil.Amount{}
	var list []*recipient
	for _, t := range ts {
		k := vigil.RecipientKey(t)
		r := by[k]
		if r == nil {
			label := t.BeneficiaryName
			if label == "" {
				label = t.BeneficiaryID
			}
			if t.BeneficiaryID != "" && t.BeneficiaryName != "" {
				label += " (" + t.BeneficiaryID + ")"
			}
			label += ", " + t.BeneficiaryCountry
			r = &recipient{Key: k, Label: label}
			by[k] = r
			totals[k] = map[string]vigil.Amount{}
			list = append(list, r)
		}
		r.Transfers++
		totals[k][t.Currency] += t.Amount
	}
	for _, r := range list {
		r.Totals = formatTotals(totals[r.Key])
	}
	sort.SliceStable(list, func(i, j int) bool {
		if list[i].Transfers != list[j].Transfers {
			return list[i].Transfers > list[j].Transfers
		}
		return list[i].Key < list[j].Key
	})
	for i, r := range list {
		r.Colour = otherColour
		if i < len(palette) {
			r.Colour = palette[i]
		}
	}
	return list, by
}

func formatTotals(m map[string]vigil.Amount) string {
	curs := make([]string, 0, len(m))
	for c := range m {
		curs = append(curs, c)
	}
	sort.Strings(curs)
	var b strings.Builder
	for i, c := range curs {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(c)
		b.WriteByte(' ')
		b.WriteString(m[c].String())
	}
	return b.String()
}

// point is one transfer on the timeline.
type point struct {
	X, Y   float64
	Colour string
	Title  string
}

// tick is one labelled axis mark.
type tick struct {
	X, Y  float64
	Label string
}

// timeline is the server-drawn chart of the case's transfers: amount by
// time, one dot per transfer, coloured by recipient.
type timeline struct {
	Width, Height          float64
	Left, Right, Top, Base float64 // plot area
	Points                 []point
	XTicks, YTicks         []tick
	Currencies             string // the currencies on the y axis
	Legend                 []*recipient
	Others                 int // recipients drawn in the shared grey
}

const (
	chartWidth  = 900.0
	chartHeight = 320.0
	legendMax   = 9
)

func newTimeline(ts []*vigil.Transfer, recips []*recipient, by map[string]*recipient) *timeline {
	tl := &timeline{Width: chartWidth, Height: chartHeight, Left: 70, Right: chartWidth - 45, Top: 20, Base: chartHeight - 40}
	if len(ts) == 0 {
		return tl
	}
	t0, t1 := ts[0].Timestamp, ts[0].Timestamp
	maxAmount := 0.0
	curs := map[string]bool{}
	for _, t := range ts {
		if t.Timestamp.Before(t0) {
			t0 = t.Timestamp
		}
		if t.Timestamp.After(t1) {
			t1 = t.Timestamp
		}
		maxAmount = math.Max(maxAmount, t.Amount.Float())
		curs[t.Currency] = true
	}
	if !t1.After(t0) {
		t0, t1 = t0.Add(-12*time.Hour), t1.Add(12*time.Hour)
	}
	// A margin of 3% keeps the first and last dots off the axes.
	pad := t1.Sub(t0) * 3 / 100
	t0, t1 = t0.Add(-pad), t1.Add(pad)
	top := niceCeil(maxAmount)
	span := float64(t1.Sub(t0))
	xOf := func(t time.Time) float64 { return tl.Left + (tl.Right-tl.Left)*float64(t.Sub(t0))/span }
	yOf := func(v float64) float64 { return tl.Base - (tl.Base-tl.Top)*v/top }
	for _, t := range ts {
		r := by[vigil.RecipientKey(t)]
		tl.Points = append(tl.Points, point{
			X: round1(xOf(t.Timestamp)), Y: round1(yOf(t.Amount.Float())), Colour: r.Colour,
			Title: t.Timestamp.UTC().Format("2006-01-02 15:04 UTC") + " · " + t.Currency + " " + t.Amount.String() + " → " + r.Label + " · " + t.ID,
		})
	}
	for i := 0; i <= 4; i++ {
		v := top * float64(i) / 4
		tl.YTicks = append(tl.YTicks, tick{X: tl.Left, Y: round1(yOf(v)), Label: strconv.FormatFloat(v, 'f', -1, 64)})
		at := t0.Add(time.Duration(span * float64(i) / 4))
		layout := "2006-01-02"
		if t1.Sub(t0) < 72*time.Hour {
			layout = "01-02 15:04"
		}
		tl.XTicks = append(tl.XTicks, tick{X: round1(xOf(at)), Y: tl.Base, Label: at.UTC().Format(layout)})
	}
	cs := make([]string, 0, len(curs))
	for c := range curs {
		cs = append(cs, c)
	}
	sort.Strings(cs)
	tl.Currencies = strings.Join(cs, ", ")
	for i, r := range recips {
		if i < legendMax {
			tl.Legend = append(tl.Legend, r)
		} else {
			tl.Others++
		}
	}
	return tl
}

// niceCeil rounds v up to 1, 2, 2.5 or 5 times a power of ten, so the axis
// ticks at quarters read as round numbers.
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 2.5, 4, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }

// node is one box of the network picture.
type node struct {
	X, Y   float64
	Label  string
	Colour string
	Title  string
}

// edge is the money from one case party to one recipient.
type edge struct {
	X1, Y1, X2, Y2 float64
	Width          float64
	Colour         string
	Title          string
}

// network is the server-drawn picture of the case parties (left column)
// and their recipients (right column). The layout is deterministic: parties
// in case order, recipients by number of transfers then key.
type network struct {
	Width, Height float64
	Parties       []node
	Recipients    []node
	Edges         []edge
	Omitted       int // recipients beyond networkMax, not drawn
}

const (
	networkMax = 60
	rowHeight  = 26.0
)

func newNetwork(parties []*vigil.Party, ts []*vigil.Transfer, recips []*recipient) *network {
	n := &network{Width: chartWidth}
	shown := recips
	if len(shown) > networkMax {
		n.Omitted = len(shown) - networkMax
		shown = shown[:networkMax]
	}
	rows := max(len(parties), len(shown), 1)
	n.Height = 30 + rowHeight*float64(rows)
	partyY := map[string]float64{}
	offset := func(count int) float64 { return 20 + rowHeight*float64(rows-count)/2 }
	po, ro := offset(len(parties)), offset(len(shown))
	for i, p := range parties {
		y := po + rowHeight*float64(i)
		partyY[p.ID] = y
		n.Parties = append(n.Parties, node{X: 20, Y: y, Label: truncate(p.FullName, 34) + " (" + truncate(p.ID, 20) + ")", Colour: "#333333", Title: p.FullName + " · " + p.ID})
	}
	recipY := map[string]float64{}
	for i, r := range shown {
		y := ro + rowHeight*float64(i)
		recipY[r.Key] = y
		n.Recipients = append(n.Recipients, node{X: 560, Y: y, Label: truncate(r.Label, 40), Colour: r.Colour,
			Title: r.Label + " · " + strconv.Itoa(r.Transfers) + " transfers · " + r.Totals})
	}
	type pair struct{ from, to string }
	count := map[pair]int{}
	totals := map[pair]map[string]vigil.Amount{}
	var order []pair
	for _, t := range ts {
		k := pair{t.SenderID, vigil.RecipientKey(t)}
		if _, ok := count[k]; !ok {
			order = append(order, k)
			totals[k] = map[string]vigil.Amount{}
		}
		count[k]++
		totals[k][t.Currency] += t.Amount
	}
	colour := map[string]string{}
	for _, r := range recips {
		colour[r.Key] = r.Colour
	}
	for _, k := range order {
		y1, ok1 := partyY[k.from]
		y2, ok2 := recipY[k.to]
		if !ok1 || !ok2 {
			continue
		}
		n.Edges = append(n.Edges, edge{X1: 330, Y1: y1, X2: 550, Y2: y2, Colour: colour[k.to],
			Width: round1(1 + math.Log2(float64(count[k]))),
			Title: k.from + " → " + k.to + " · " + strconv.Itoa(count[k]) + " transfers · " + formatTotals(totals[k])})
	}
	return n
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
