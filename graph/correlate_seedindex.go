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
// SeedsIndex makes (TestSeedsIndexParallelIsSeedsIndex). The same CPU,
// half the wall time on two cores: the pass is bound by loading each
// recipient's strings from memory.
func (g *Graph) SeedsIndexParallel(seeds []vigil.Lead) *SeedIndex {
	if ix := g.idx.Load(); ix != nil {
		return &SeedIndex{g: g, ix: ix}
	}
	// The keys are those of indexFor, made the same way.
	phone, account, token := map[string][]int32{}, map[string][]int32{}, map[string][]int32{}
	for i := range seeds {
		s := &seeds[i]
		if s.Phone != "" {
			if p, _ := resolve.NormalizePhone(s.Phone, s.Country); p != "" {
				phone[p] = nil
			}
		}
		if s.Account != "" {
			account[normalizeAccount(s.Account)] = nil
		}
		for _, t := range resolve.NameTokensOf(s.FullName) {
			if len(t) >= 3 {
				token[t] = nil
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
					for _, p := range be.Phones {
						if _, ok := phone[p]; ok {
							part.phone = appendHit(part.phone, p, b)
						}
					}
					if len(account) > 0 {
						for _, a := range be.Accounts {
							// Folded into a reused buffer: a look-up with
							// string(buf) does not allocate.
							buf = appendNormalizedAccount(buf[:0], a)
							if _, ok := account[string(buf)]; ok {
								part.account = appendHit(part.account, string(buf), b)
							}
						}
					}
					for _, t := range be.utokens {
						if _, ok := token[t]; ok {
							part.token = appendHit(part.token, t, b)
						}
					}
				}
			}
		}()
	}
	wg.Wait()
	ix := &seedIndex{phone: phone, account: account, token: token}
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
