package graph

import (
	"math"
	"testing"
	"time"

	"github.com/vigilfiu/vigil"
)

// pprPower is the plain power iteration the push algorithm approximates.
func (g *Graph) pprPower(restart []float64, alpha float64, iters int) (x, y []float64) {
	ws, wb := g.strengths()
	x, y = append([]float64(nil), restart...), make([]float64, len(g.Senders))
	for range iters {
		nx, ny := make([]float64, len(x)), make([]float64, len(y))
		for i := range nx {
			nx[i] = alpha * restart[i]
		}
		for i := range g.Edges {
			e := &g.Edges[i]
			ny[e.Sender] += (1 - alpha) * x[e.Beneficiary] * float64(e.Weight) / wb[e.Beneficiary]
			nx[e.Beneficiary] += (1 - alpha) * y[e.Sender] * float64(e.Weight) / ws[e.Sender]
		}
		x, y = nx, ny
	}
	return x, y
}

func TestPushMatchesPowerIteration(t *testing.T) {
	b := NewBuilder(Options{})
	start := time.Date(2025, 1, 1, 22, 0, 0, 0, time.UTC)
	for i := range 3000 {
		s, r := i%97, (i*7+i/13)%41
		tr := vigil.Transfer{ID: string(rune('a'+i%26)) + time.Duration(i).String(), Timestamp: start.Add(time.Duration(i) * 37 * time.Minute),
			SenderID: "P" + time.Duration(s).String(), BeneficiaryName: "Name" + time.Duration(r).String(), BeneficiaryCountry: "PH",
			Amount: vigil.NewAmount(int64(10+i%300), 0), Currency: "EUR"}
		if err := b.Add(&tr); err != nil {
			t.Fatal(err)
		}
	}
	g := b.Build()
	restart := make([]float64, len(g.Beneficiaries))
	restart[0], restart[3] = 0.7, 0.3
	x1, y1 := g.ppr(restart, 0.25, 0)
	x2, y2 := g.pprPower(restart, 0.25, 200)
	var d float64
	for i := range x1 {
		d = math.Max(d, math.Abs(x1[i]-x2[i]))
	}
	for i := range y1 {
		d = math.Max(d, math.Abs(y1[i]-y2[i]))
	}
	if d > 2e-5 {
		t.Fatalf("push and power iteration differ by %g", d)
	}
}
