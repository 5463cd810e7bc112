package correlate

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/graph"
)

// One-session handles (docs/correlate.md, section 7). A handle seen for a
// single session, paired with one payment, is what most remaining buyers'
// handles look like — and also what a contact's call that happens to fall
// near a payment looks like. The evidence weighed, each part measured on
// the devices of the run:
//
//   - prior odds that a one-session handle's session is a paid one:
//     p/(1 − p) (model.single);
//   - the session has a payment of exactly one payer in its window, and
//     no other handle's session is in that payment's window: by chance
//     that takes a payment near a random time (q, the payments in the
//     same window shifted by whole days) that also had no session of its
//     own (u, the share of the owner's payments in the log's span with no
//     session of a handle seen more than once in their window);
//   - the kind and length of the session, as a likelihood ratio between
//     the sessions paired with confidently attributed handles and all
//     one-session handles' sessions (a mixture of paid and unpaid ones in
//     the proportion p); a kind the counts show to be evidence against
//     (P(ratio < 1) ≥ AgainstMin) is declined outright (section 8);
//   - the handle must not hold the name of someone other than the payer.
//
// Posterior odds = p/(1 − p) × LR(kind, length) × identity / (q × u).

// SingleMinConfidence is the least confidence at which the one-session
// rule attributes a handle (MinConfidence when higher): one observation
// gives calibrated odds, and at 0.5–0.9 one attribution in ten to two is
// wrong by its own account — the target is none. On the 5M world of seed
// 1, 1 of the 3 attributions below 0.9 was wrong and none of the 73
// above (docs/correlate.md, section 7).
const SingleMinConfidence = 0.9

// sessionBins are the kinds (video, other) × lengths (unknown, < 4 min,
// 4–30 min, ≥ 30 min) a session is sorted into.
const sessionBins = 8

func sessionBin(e *vigil.CallEvent) int {
	b := 0
	if e.Kind == vigil.KindVideo {
		b = 4
	}
	switch d := e.DurationS; {
	case d <= 0:
	case d < 240:
		b++
	case d < 1800:
		b += 2
	default:
		b += 3
	}
	return b
}

var binNames = [sessionBins]string{"call of unknown length", "call under 4 min", "call of 4–30 min", "call of 30 min or more",
	"video of unknown length", "video under 4 min", "video of 4–30 min", "video of 30 min or more"}

// maxSessionLR caps the likelihood ratio of a session's kind and length:
// the bins are estimated from a few hundred sessions at most.
const maxSessionLR = 10

// sessionLR is the likelihood ratio of bin b between paid sessions and the
// unpaid sessions of one-session handles; 0 when not learnt.
func (m *model) sessionLR(b int) float64 {
	if m.single <= 0 || m.single >= 1 {
		return 0
	}
	var np, na float64
	for i := range sessionBins {
		np += m.paidBins[i]
		na += m.allBins[i]
	}
	if np < minFitHandles || na < minSingleHandles {
		return 0
	}
	// Half a session of pseudo-count in every bin on both sides.
	fp := (m.paidBins[b] + 0.5) / (np + 0.5*sessionBins)
	fa := (m.allBins[b] + 0.5) / (na + 0.5*sessionBins)
	fu := (fa - m.single*fp) / (1 - m.single)
	// The unpaid share is at least a quarter of all one-session
	// handles' share of the bin: a negative difference is noise.
	fu = math.Max(fu, fa/4)
	return math.Min(maxSessionLR, fp/fu)
}

// AgainstMin is the least posterior probability that a session's kind and
// length are evidence against a paid session (likelihood ratio below 1) at
// which the one-session rule declines the session (unless identity speaks
// for the payer).
const AgainstMin = 0.95

// sessionAgainst is the posterior probability that the likelihood ratio
// of bin b is below 1; 0 when not learnt. The ratio is below 1 exactly
// when the bin's share of all one-session handles' sessions (fa) exceeds
// its share of paid sessions (fp): fa = p·fp + (1 − p)·fu, so fu > fp ⟺
// fa > fp, whatever p. With uniform priors on both shares, fa and fp are
// Beta(k+1, n−k+1) given the counts, and P(fa > fp) is a finite sum
// (probBetaGreater). The bins are counts of a few hundred sessions at
// most, a few dozen in a bin: a ratio of 0.97 from such counts says
// nothing either way (P ≈ 0.5), a kind never seen among the paid sessions
// does (P ≈ 0.98 for 1 one-session handle's call of 77 against none of
// 500 paid sessions).
func (m *model) sessionAgainst(b int) float64 {
	if m.sessionLR(b) == 0 {
		return 0
	}
	var np, na float64
	for i := range sessionBins {
		np += m.paidBins[i]
		na += m.allBins[i]
	}
	a, p := m.allBins[b], m.paidBins[b]
	return probBetaGreater(a+1, na-a+1, p+1, np-p+1)
}

// probBetaGreater is P(X > Y) for independent X ~ Beta(a1, b1) and
// Y ~ Beta(a2, b2), a1 and a2 whole numbers: Σ_{i<a1} B(a2+i, b1+b2) /
// ((b1+i) B(1+i, b1) B(a2, b2)) (the closed form of the Bayesian A/B
// comparison), summed over the smaller of a1 and a2 by symmetry.
func probBetaGreater(a1, b1, a2, b2 float64) float64 {
	if a2 < a1 {
		return 1 - probBetaGreater(a2, b2, a1, b1)
	}
	var s float64
	base := lbeta(a2, b2)
	for i := 0.0; i < a1; i++ {
		s += math.Exp(lbeta(a2+i, b1+b2) - math.Log(b1+i) - lbeta(1+i, b1) - base)
	}
	return math.Max(0, math.Min(1, s))
}

// learnSingle adds the owner's one-session evidence: the kind and length
// of each one-session handle's session, and the share of its payments in
// the log's span with no session in their window.
func (c *owner) learnSingle(l *learner) {
	if len(c.sessions) == 0 {
		return
	}
	for _, h := range c.handleList {
		if ss := c.byHandle[h]; len(ss) == 1 {
			l.allBins[sessionBin(ss[0].ev)]++
		}
	}
	n, none := c.sessionless()
	l.payN += n
	l.payNone += none
}

// sessionless counts the owner's payments in the log's span and those
// with no session of a handle seen more than once in their window (from
// Before before the session's start to its window's end). One-session
// handles' sessions are left out on purpose: some of them are the paid
// sessions being looked for, and leaving them out makes the share larger,
// the evidence smaller.
func (c *owner) sessionless() (n, none int) {
	before := int64(c.opt.Before / time.Second)
	var multi []session
	for _, s := range c.sessions {
		if len(c.byHandle[s.ev.Counterpart]) > 1 {
			multi = append(multi, s)
		}
	}
	lo, hi := c.sessions[0].at-before, c.sessions[len(c.sessions)-1].to
	reach := int64(maxSessionS) + int64((c.opt.After+c.opt.AfterEnd)/time.Second)
	j := 0 // first session that may still hold a payment at t or later
	for _, p := range c.pays {
		if p.at < lo || p.at > hi {
			continue
		}
		n++
		for j < len(multi) && multi[j].at < p.at-reach {
			j++
		}
		found := false
		for k := j; k < len(multi) && multi[k].at-before <= p.at; k++ {
			if p.at <= multi[k].to {
				found = true
				break
			}
		}
		if !found {
			none++
		}
	}
	return n, none
}

// chanceNear is the chance that a random session at s's time of day
// has a payment to the owner in its window: 1 − e^(−λ), λ the mean number
// of payments (withheld ones left out) in the window shifted by ±1…±Shifts
// whole days, at least 1/(2·Shifts) (below one in all draws cannot be
// told from zero).
func (c *owner) chanceNear(s session, withheld func(*graph.Payment) bool) float64 {
	before := int64(c.opt.Before / time.Second)
	var sum int
	for d := 1; d <= c.opt.Shifts; d++ {
		for _, sg := range []int64{86400, -86400} {
			lo, hi := s.at-before+sg*int64(d), s.to+sg*int64(d)
			i := sort.Search(len(c.pays), func(i int) bool { return c.pays[i].at >= lo })
			for ; i < len(c.pays) && c.pays[i].at <= hi; i++ {
				if withheld == nil || !withheld(c.pays[i].p) {
					sum++
				}
			}
		}
	}
	draws := float64(2 * c.opt.Shifts)
	return math.Max(1-math.Exp(-float64(sum)/draws), 1/draws)
}

// namesOther returns a name carried by the parties (at least 4 letters)
// that the handle's letters hold and that is none of the payer's name
// parts, or "".
func (c *owner) namesOther(h string, id *payerID) string {
	if c.pop == nil {
		return ""
	}
	l := []byte(newHandleForms(h).letter)
	if id != nil {
		// Blank out the payer's own name parts first.
		for _, t := range slices.Concat(id.given, id.surname) {
			if len(t) < 3 {
				continue
			}
			for i := strings.Index(string(l), t); i >= 0; i = strings.Index(string(l), t) {
				for k := i; k < i+len(t); k++ {
					l[k] = ' '
				}
			}
		}
	}
	for i := 0; i < len(l); i++ {
		for j := i + 4; j <= len(l); j++ {
			if l[j-1] == ' ' {
				break
			}
			if c.pop.tokens[string(l[i:j])] > 0 {
				return string(l[i:j])
			}
		}
	}
	return ""
}

// singlePass weighs again every unattributed one-session handle whose
// session has payments of exactly one payer in its window, as described
// at the top of this file. usedBy holds the payments paired with
// attributed handles; they are set aside.
func (c *owner) singlePass(out []vigil.HandleLink, holds [][]*graph.Payment, usedBy map[*graph.Payment]string) {
	m := c.m
	if m.single <= 0 || m.pay <= 0 {
		return
	}
	g := c.g
	before := int64(c.opt.Before / time.Second)
	withheld := func(p *graph.Payment) bool { _, ok := usedBy[p]; return ok }
	for i, h := range c.handleList {
		ss := c.byHandle[h]
		if len(ss) != 1 || out[i].PartyID != nil {
			continue
		}
		s := ss[0]
		var payer int32 = -1
		var paid *payment
		bestD := int64(math.MaxInt64)
		ok := true
		j := sort.Search(len(c.pays), func(j int) bool { return c.pays[j].at >= s.at-before })
		for ; j < len(c.pays) && c.pays[j].at <= s.to; j++ {
			p := &c.pays[j]
			if withheld(p.p) {
				continue
			}
			if payer >= 0 && p.sender != payer {
				ok = false // two payers: which one is left open
				break
			}
			payer = p.sender
			d := s.at - p.at
			if d < 0 {
				d = -d * 4 // as in pair: a payment after the start is the weaker pattern
			}
			if d < bestD {
				bestD, paid = d, p
			}
		}
		// Say why the rule declines, on the handle's line: the lead and
		// what keeps it from being an attribution.
		decline := func(why string) {
			out[i].Reason += "; one-session rule (docs/correlate.md, 7): declined, " + why
		}
		switch {
		case paid == nil:
			continue // no payment near its session: nothing to weigh
		case !ok:
			decline("payments of two or more payers in the session's window")
			continue
		case c.relative[payer]:
			decline(g.Senders[payer].ID + " sends the owner family support")
			continue
		}
		if n := c.contenders(h, paid.at, before); n > 0 {
			decline(fmt.Sprintf("%d other handle(s) have a session in the window of %s's payment", n, g.Senders[payer].ID))
			continue
		}
		id := identity{lr: 1}
		pid := c.ids[payer]
		if pid != nil {
			hf := newHandleForms(h)
			id = pid.linkForms(&hf)
			id.lr = math.Max(id.lr, 1)
		}
		if other := c.namesOther(h, pid); other != "" {
			decline(fmt.Sprintf("the handle holds the name %q, which %s does not carry", other, g.Senders[payer].ID))
			continue
		}
		bin := sessionBin(s.ev)
		lr := m.sessionLR(bin)
		if against := m.against[bin]; against >= AgainstMin && id.lr <= 1 {
			// A session whose kind and length are more usual for the
			// handles that are not paid sessions is evidence against;
			// one timing coincidence does not outweigh it. Against
			// means beyond the counts' noise (AgainstMin).
			decline(fmt.Sprintf("a %s, likelihood ratio %.3g, below 1 with probability %.3f: evidence against a paid session", binNames[bin], lr, against))
			continue
		}
		q := c.chanceNear(s, withheld)
		odds := m.singleOdds() * lr * id.lr / (q * m.pay)
		conf := odds / (1 + odds)
		if conf < max(c.opt.MinConfidence, SingleMinConfidence) || conf <= out[i].Confidence {
			if conf <= out[i].Confidence {
				continue
			}
			decline(fmt.Sprintf("confidence %.3f below %.2f (payment of %s, lag %s; chance of a payment near the session %.3g, sessionless share %.3g, prior odds %.3g, a %s, likelihood ratio %.3g)",
				conf, max(c.opt.MinConfidence, SingleMinConfidence), g.Senders[payer].ID, time.Duration(s.at-paid.at)*time.Second, q, m.pay, m.singleOdds(), binNames[sessionBin(s.ev)], lr))
			continue
		}
		bestID := g.Senders[payer].ID
		lag := s.at - paid.at
		link := vigil.HandleLink{Account: c.account, Handle: h, Sessions: 1, Candidate: bestID, Matched: 1, Expected: round6(q),
			PValue: sigfig(q * m.pay), Confidence: round6(conf), Identity: id.why}
		link.Pairs = []vigil.Pairing{{EventID: s.ev.ID, TransferID: g.TransferID(paid.p), EventAt: s.ev.Timestamp, PaidAt: paid.p.Time(),
			LagS: lag, Amount: paid.p.Amount, Currency: g.CurrencyOf(paid.p)}}
		id2 := bestID
		link.PartyID = &id2
		link.Reason = fmt.Sprintf("one session, paired with a payment of %s (lag %s), the only payer with a payment in its window; no other handle's session is in that payment's window; "+
			"chance of a payment near a session at that time of day %.3g (payments in the same window on ±1…±%d days), share of the owner's payments with no session of their own %.3g; "+
			"one-session handles that are paid sessions %.3f (prior odds %.3g); a %s, likelihood ratio %.3g (paid sessions against one-session handles' sessions); "+
			"the handle holds no other party's name; odds %.3g", bestID, time.Duration(lag)*time.Second, q, c.opt.Shifts, m.pay, m.single, m.singleOdds(), binNames[sessionBin(s.ev)], lr, odds)
		if id.why != "" {
			link.Reason += "; identity: " + id.why
		}
		out[i], holds[i] = link, []*graph.Payment{paid.p}
		usedBy[paid.p] = h
	}
}
