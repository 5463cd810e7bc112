package detect

import (
	"math"
	"sort"

	"github.com/vigilfiu/vigil"
)

// Baseline is the plain bank rule vigil is measured against: a sender is
// flagged after at least MinCount transfers of at most MaxEUR to high-risk
// countries within WindowDays. Its score is the largest number of such
// transfers in any window when flagged, else 0 (a ranking more generous
// to the rule than its yes/no verdict).
type Baseline struct {
	MinCount   int
	MaxEUR     float64
	WindowDays int
	corridor   [26 * 26]bool
	rates      Rates
	idx        map[string]int32
	st         []baseState
}

type baseState struct {
	id   string
	win  [64]int64 // timestamps of qualifying transfers in the window (bounded)
	head int
	n    int
	best int
}

// NewBaseline returns the rule "≥ 3 transfers ≤ €150 to high-risk
// countries within 30 days" with the corridors of pack.
func NewBaseline(pack *Pack, rates Rates) *Baseline {
	b := &Baseline{MinCount: 3, MaxEUR: 150, WindowDays: 30, rates: rates, idx: map[string]int32{}}
	for _, c := range pack.Corridors {
		b.corridor[int(c[0]-'A')*26+int(c[1]-'A')] = true
	}
	return b
}

// Observe counts one transfer (in time order).
func (b *Baseline) Observe(t *vigil.Transfer) {
	c := t.BeneficiaryCountry
	if len(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z' || !b.corridor[int(c[0]-'A')*26+int(c[1]-'A')] {
		return
	}
	r := 1.0
	if t.Currency != "EUR" {
		if v, ok := b.rates[t.Currency]; ok {
			r = v
		}
	}
	if t.Amount.Float()*r > b.MaxEUR {
		return
	}
	i, ok := b.idx[t.SenderID]
	if !ok {
		i = int32(len(b.st))
		b.idx[t.SenderID] = i
		b.st = append(b.st, baseState{id: t.SenderID})
	}
	s := &b.st[i]
	ts := t.Timestamp.Unix()
	from := ts - int64(b.WindowDays)*secondsPerDay
	for s.n > 0 && s.win[s.head] < from {
		s.head = (s.head + 1) % len(s.win)
		s.n--
	}
	if s.n == len(s.win) { // window full: drop the oldest
		s.head = (s.head + 1) % len(s.win)
		s.n--
	}
	s.win[(s.head+s.n)%len(s.win)] = ts
	s.n++
	s.best = max(s.best, s.n)
}

// Scores returns the rule's score per sender (only non-zero ones).
func (b *Baseline) Scores() map[string]float64 {
	out := map[string]float64{}
	for i := range b.st {
		if b.st[i].best >= b.MinCount {
			out[b.st[i].id] = float64(b.st[i].best)
		}
	}
	return out
}

// Evaluation is the quality of one ranking against ground truth.
type Evaluation struct {
	Method       string  `json:"method"`
	Senders      int     `json:"senders"`
	K            int     `json:"k"` // number of true buyers
	AP           float64 `json:"average_precision"`
	PrecisionAtK float64 `json:"precision_at_k"`
	RecallAt2K   float64 `json:"recall_at_2k"`
	// LookalikeTopK is the share of the top K that are adult webcam
	// customers or family remitters.
	LookalikeTopK float64        `json:"lookalike_share_top_k"`
	TopK          map[string]int `json:"top_k_segments"`
}

// Evaluate ranks the parties of segment (party id → segment, as in
// synth's truth) by score (absent = lowest) and measures the ranking:
// positives are the parties whose segment is "buyer". Ties are counted at
// their expected rank (positives spread evenly through a tied group).
func Evaluate(method string, scores map[string]float64, segment map[string]string) Evaluation {
	type item struct {
		id    string
		score float64
		pos   bool
	}
	items := make([]item, 0, len(segment))
	k := 0
	for id, seg := range segment {
		s, ok := scores[id]
		if !ok {
			s = math.Inf(-1)
		}
		items = append(items, item{id, s, seg == "buyer"})
		if seg == "buyer" {
			k++
		}
	}
	sort.Slice(items, func(i, j int) bool {
		if items[i].score != items[j].score {
			return items[i].score > items[j].score
		}
		return items[i].id < items[j].id
	})
	ev := Evaluation{Method: method, Senders: len(items), K: k, TopK: map[string]int{}}
	if k == 0 {
		return ev
	}
	// walk tied groups; expected hits by any rank r are interpolated.
	hitsBefore := 0.0
	var apSum, hitsAtK, hitsAt2K float64
	for g := 0; g < len(items); {
		h := g
		for h < len(items) && items[h].score == items[g].score {
			h++
		}
		n, kp := h-g, 0
		for i := g; i < h; i++ {
			if items[i].pos {
				kp++
			}
		}
		for j := 1; j <= kp; j++ {
			rank := float64(g) + float64(j)*float64(n+1)/float64(kp+1)
			apSum += (hitsBefore + float64(j)) / rank
		}
		within := func(cut int) float64 {
			if cut <= g {
				return 0
			}
			if cut >= h {
				return float64(kp)
			}
			return float64(kp) * float64(cut-g) / float64(n)
		}
		hitsAtK += within(k)
		hitsAt2K += within(2 * k)
		hitsBefore += float64(kp)
		g = h
	}
	ev.AP = apSum / float64(k)
	ev.PrecisionAtK = hitsAtK / float64(k)
	ev.RecallAt2K = hitsAt2K / float64(k)
	look := 0
	for i := 0; i < k && i < len(items); i++ {
		seg := segment[items[i].id]
		ev.TopK[seg]++
		if seg == "webcam" || seg == "family" {
			look++
		}
	}
	ev.LookalikeTopK = float64(look) / float64(k)
	return ev
}
