package detect

import vigil "github.com/vigilfiu/vigil"

// maxRoutes bounds the payment routes (channel and provider) remembered
// per sender; LSC-SEVERAL-ROUTES saturates below it.
const maxRoutes = 6

// senderExt is per-sender state for indicators added after the core
// engine: Observe calls observeExt once per transfer, after the sender-wide
// counters and the recipient slot are updated (sl is nil when the transfer
// went to a recipient beyond maxSlots). Keep it bounded per sender.
type senderExt struct {
	// routes are hashes of the distinct (channel, provider) pairs the
	// sender's corridor transfers went through (at most maxRoutes).
	routes  [maxRoutes]uint32
	nRoutes uint8
	// channels is the set of channels (bits of channelBit) the sender's
	// corridor transfers used.
	channels uint8
	// lastCorrT is the time of the latest corridor transfer; gapSum and
	// gapSum2 are the sums of the intervals between consecutive corridor
	// transfers and of their squares, in days (LSC-REGULAR-INTERVALS).
	lastCorrT       int64
	nPrimary        int32 // corridor transfers to a primary corridor
	nGap            int32
	gapSum, gapSum2 float64
}

// observeExt updates senderExt for one observed transfer.
func (e *Engine) observeExt(s *sender, sl *slot, rc *record, t *vigil.Transfer, eur float64, flags uint16) {
	if flags&flagCorridor == 0 {
		return
	}
	x := &s.ext
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
	ts := t.Timestamp.Unix()
	if s.nCorr > 1 {
		g := float64(ts-x.lastCorrT) / secondsPerDay
		if g < 0 {
			g = -g
		}
		x.nGap++
		x.gapSum += g
		x.gapSum2 += g * g
	}
	if ts > x.lastCorrT || s.nCorr == 1 {
		x.lastCorrT = ts
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
