package graph

import (
	"runtime"
	"sync"
	"unicode/utf8"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/resolve"
)

// SeedsIndexParallel is SeedsIndex made on every core, for the caller
// that waits for it with nothing else to do (vigil correlate, right after
// the build): the beneficiaries are cut into ranges indexed at once and
// the ranges' lists joined in order, so that the index is the one
// SeedsIndex makes (TestSeedsIndexParallelIsSeedsIndex). Each recipient's
// words, phones and accounts are first checked against a small filter of
// the seeds' keys, and the accounts folded without allocating, so that
// most are dismissed without hashing a string.
func (g *Graph) SeedsIndexParallel(seeds []vigil.Lead) *SeedIndex {
	if ix := g.idx.Load(); ix != nil {
		return &SeedIndex{g: g, ix: ix}
	}
	// The keys are those of indexFor, made the same way.
	phone, account, token := newKeyFilter(), newKeyFilter(), newKeyFilter()
	for i := range seeds {
		s := &seeds[i]
		if s.Phone != "" {
			if p, _ := resolve.NormalizePhone(s.Phone, s.Country); p != "" {
				phone.add(p)
			}
		}
		if s.Account != "" {
			account.add(normalizeAccount(s.Account))
		}
		for _, t := range resolve.NameTokensOf(s.FullName) {
			if len(t) >= 3 {
				token.add(t)
			}
		}
	}
	n := len(g.Beneficiaries)
	k := runtime.GOMAXPROCS(0) * 4 // ranges taken in turn: none waits on a slow one
	if n < 1<<14 {
		k = 1
	}
	parts := make([]seedIndex, k)
	var next sync.Mutex
	taken := 0
	var wg sync.WaitGroup
	for range min(k, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf []byte
			for {
				next.Lock()
				r := taken
				taken++
				next.Unlock()
				if r >= k {
					return
				}
				part := &parts[r]
				for i := r * n / k; i < (r+1)*n/k; i++ {
					be := &g.Beneficiaries[i]
					b := int32(i)
					if phone.n > 0 {
						for _, p := range be.Phones {
							if phone.may(p) {
								if _, ok := phone.keys[p]; ok {
									part.phone = appendHit(part.phone, p, b)
								}
							}
						}
					}
					if account.n > 0 {
						for _, a := range be.Accounts {
							buf = appendNormalizedAccount(buf[:0], a)
							if account.may(string(buf)) {
								if _, ok := account.keys[string(buf)]; ok {
									part.account = appendHit(part.account, string(buf), b)
								}
							}
						}
					}
					for _, t := range be.utokens {
						if len(t) >= 3 && token.may(t) {
							if _, ok := token.keys[t]; ok {
								part.token = appendHit(part.token, t, b)
							}
						}
					}
				}
			}
		}()
	}
	wg.Wait()
	ix := &seedIndex{phone: phone.keys, account: account.keys, token: token.keys}
	for r := range parts {
		for _, m := range [3][2]map[string][]int32{{ix.phone, parts[r].phone}, {ix.account, parts[r].account}, {ix.token, parts[r].token}} {
			for key, l := range m[1] {
				m[0][key] = append(m[0][key], l...)
			}
		}
	}
	return &SeedIndex{g: g, ix: ix}
}

func appendHit(m map[string][]int32, key string, b int32) map[string][]int32 {
	if m == nil {
		m = map[string][]int32{}
	}
	m[key] = append(m[key], b)
	return m
}

// keyFilter holds a set of keys and a 65,536-bit filter of their last
// bytes and length: a string whose bit is clear is not a key.
type keyFilter struct {
	keys map[string][]int32
	bits []uint64
	n    int
}

func newKeyFilter() keyFilter {
	return keyFilter{keys: map[string][]int32{}, bits: make([]uint64, 1<<10)}
}

func filterBit(s string) uint32 {
	h := uint32(len(s)) * 0x9E37
	for i := max(0, len(s)-4); i < len(s); i++ {
		h = h*31 + uint32(s[i])
	}
	return (h ^ h>>16) & 0xFFFF
}

func (f *keyFilter) add(s string) {
	if _, ok := f.keys[s]; !ok {
		f.keys[s] = nil
		f.n++
	}
	b := filterBit(s)
	f.bits[b>>6] |= 1 << (b & 63)
}

func (f *keyFilter) may(s string) bool {
	b := filterBit(s)
	return f.bits[b>>6]&(1<<(b&63)) != 0
}

// appendNormalizedAccount appends normalizeAccount(s) to buf.
func appendNormalizedAccount(buf []byte, s string) []byte {
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9', c >= 'A' && c <= 'Z':
			buf = append(buf, byte(c))
		case c >= 'a' && c <= 'z':
			buf = append(buf, byte(c-'a'+'A'))
		case c == ' ' || c == '-' || c == '/' || c == '\t':
		default:
			buf = utf8.AppendRune(buf, c)
		}
	}
	return buf
}
