package detect

import (
	"math"

	vigil "github.com/vigilfiu/vigil"
)

// maxRoutes bounds the payment routes (channel and provider) remembered
// per sender; LSC-SEVERAL-ROUTES saturates below it.
const maxRoutes = 6

// senderExt is per-sender state for indicators added after the core
// engine: Observe calls observeExt once per transfer, after the sender-wide
// counters and the recipient slot are updated (sl is nil when the transfer
// went to a recipient beyond maxSlots). Keep it bounded per sender. The
// fields every transfer updates come first (see sender's layout).
type senderExt struct {
	// c14 and s14 sum the cosine and sine of every transfer's local day
	// on a 14-day cycle (CTR-PAYDAY: fortnightly pay; a weekly rhythm
	// cancels out).
	c14, s14 float64
	// gapSum and gapSum2 are the sums of the intervals between
	// consecutive corridor transfers and of their squares, in days
	// (LSC-REGULAR-INTERVALS); their number is sender.nGaps, and the
	// latest corridor transfer's time sender.lastCorrT (both were kept
	// here too, always equal).
	gapSum, gapSum2 float64
	// routes are hashes of the distinct (channel, provider) pairs the
	// sender's corridor transfers went through (at most maxRoutes).
	routes [maxRoutes]uint32
	// nPrimary counts the corridor transfers to a primary corridor.
	nPrimary int32
	// typoTie has bit i set when recipient slot i shares the sender's
	// surname up to one typing error ("Riivera" for Rivera), which the
	// exact tie of the core engine misses.
	typoTie uint16
	nRoutes uint8
	// channels is the set of channels (bits of channelBit) the sender's
	// corridor transfers used.
	channels uint8
}

// observeExt updates senderExt for one observed transfer; prevCorrT is
// the sender's latest corridor transfer time before t (when t is a
// corridor transfer but not the first).
func (e *Engine) observeExt(s *sender, k *senderKYC, sl *slot, rc *record, t *vigil.Transfer, eur float64, flags uint16, prevCorrT int64) {
	x := &s.ext
	if sl != nil && sl.n == 1 && !sl.tie && !sl.self && typoTie(k, rc.tokenList(), e.surnames[rc.surname]) {
		slots := e.slots.of(s)
		for i := range slots {
			if &slots[i] == sl {
				x.typoTie |= 1 << i
				break
			}
		}
	}
	_, off := t.Timestamp.Zone()
	f := &fortnight[floorMod(t.Timestamp.Unix()+int64(off), 14*secondsPerDay)/secondsPerDay]
	x.c14 += f[0]
	x.s14 += f[1]
	if flags&flagCorridor == 0 {
		return
	}
	x.channels |= channelBit(t.Channel)
	if x.nRoutes < maxRoutes {
		h := routeHash(t.Channel, t.Provider)
		seen := false
		for _, r := range x.routes[:x.nRoutes] {
			if r == h {
				seen = true
				break
			}
		}
		if !seen {
			x.routes[x.nRoutes] = h
			x.nRoutes++
		}
	}
	for _, c := range e.pack.PrimaryCorridors {
		if t.BeneficiaryCountry == c {
			x.nPrimary++
			break
		}
	}
	if s.nCorr > 1 {
		g := float64(t.Timestamp.Unix()-prevCorrT) / secondsPerDay
		if g < 0 {
			g = -g
		}
		x.gapSum += g
		x.gapSum2 += g * g
	}
}

// routeHash is FNV-1a over the channel and the provider, the provider
// folded to lower case so that spellings of one provider's name in
// upper or lower case count once. It does not allocate.
func routeHash(ch vigil.Channel, provider string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(ch); i++ {
		h ^= uint32(ch[i])
		h *= 16777619
	}
	h ^= '|'
	h *= 16777619
	for i := 0; i < len(provider); i++ {
		c := provider[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c == ' ' {
			continue
		}
		h ^= uint32(c)
		h *= 16777619
	}
	return h
}

// channelBit maps a channel to one bit; an unknown or empty channel to
// none, so that data without channels never counts several.
func channelBit(c vigil.Channel) uint8 {
	switch c {
	case vigil.ChannelRemittance:
		return 1
	case vigil.ChannelBank:
		return 2
	case vigil.ChannelWallet:
		return 4
	case vigil.ChannelCard:
		return 8
	case vigil.ChannelCrypto:
		return 16
	}
	return 0
}

// typoTie holds one bit per recipient slot.
const _ = uint16(1 << (maxSlots - 1))

// minTypoLen is the shortest surname compared up to one typing error:
// shorter names differ by one letter too often (Cruz, Cruise).
const minTypoLen = 5

// typoTie reports whether the sender's surname is one of the recipient's
// name words, or the recipient's surname one of the sender's, up to one
// typing error (a letter added, dropped, changed or two swapped). It runs
// once per new recipient of a sender.
func typoTie(s *senderKYC, rTokens []string, rSurname string) bool {
	if !s.named || len(s.tokens) == 0 {
		return false
	}
	if len(s.surname) >= minTypoLen {
		for _, w := range rTokens {
			if len(w) >= minTypoLen && oneEdit(s.surname, w) {
				return true
			}
		}
	}
	if len(rSurname) >= minTypoLen {
		for _, w := range s.tokens {
			if len(w) >= minTypoLen && oneEdit(rSurname, w) {
				return true
			}
		}
	}
	return false
}

// oneEdit reports whether a and b differ by at most one insertion,
// deletion, substitution or transposition of adjacent bytes.
func oneEdit(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b)-len(a) > 1 {
		return false
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	if i == len(a) {
		return true // equal, or b has one more byte at the end
	}
	if len(a) == len(b) {
		if a[i+1:] == b[i+1:] {
			return true // substitution
		}
		return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:] // transposition
	}
	return a[i:] == b[i+1:] // b has one more byte at i
}

// fortnight[d] holds cos θ and sin θ of day d of a 14-day cycle, θ =
// 2πd/14.
var fortnight = func() (f [14][2]float64) {
	for d := range f {
		th := 2 * math.Pi * float64(d) / 14
		f[d] = [2]float64{math.Cos(th), math.Sin(th)}
	}
	return f
}()

// floorMod is x mod m in [0, m) also for negative x.
func floorMod(x, m int64) int64 {
	r := x % m
	if r < 0 {
		r += m
	}
	return r
}
