package resolve

// tokenStore keeps the folded tokens of every interned raw name without an
// allocation per name or per token: the token bytes go to the resolver's
// arena, their string headers to chunks of tokChunk headers, and a name
// id maps to one packed word (chunk, offset, count). A [][]string took a
// 24-byte slice header per name, and an allocation per token.
type tokenStore struct {
	chunks [][]string
	at     []uint64 // per name id: chunk << 32 | offset << 16 | count (count tokWhole: the whole chunk)
	names  []string // per name id: the raw name, a view of the arena
}

const (
	tokChunk = 1 << 16
	tokWhole = 0xffff // a name with that many tokens or more has a chunk of its own
)

// add stores the raw name and the tokens of the next name id, their
// bytes in a, and returns the place of its full tokens joined (fullRef).
func (s *tokenStore) add(a *arena, toks []string, raw string) uint64 {
	size := len(raw)
	for _, t := range toks {
		size += len(t)
	}
	nfull := fullTokensLen(toks)
	size += nfull
	var ref uint64
	var dst []byte
	if size > 0 {
		ref, dst = a.alloc(size)
	}
	var c []string
	var ci int
	if len(toks) >= tokWhole {
		s.chunks = append(s.chunks, make([]string, 0, len(toks)))
		ci = len(s.chunks) - 1
		c = s.chunks[ci]
	} else {
		ci = len(s.chunks) - 1
		if ci < 0 || cap(s.chunks[ci])-len(s.chunks[ci]) < len(toks) || cap(s.chunks[ci]) != tokChunk {
			s.chunks = append(s.chunks, make([]string, 0, tokChunk))
			ci++
		}
		c = s.chunks[ci]
	}
	off := len(c)
	at := uint32(0)
	for _, t := range toks {
		copy(dst[at:], t)
		c = append(c, a.str(ref, at, at+uint32(len(t))))
		at += uint32(len(t))
	}
	s.chunks[ci] = c
	copy(dst[at:], raw)
	s.names = append(s.names, a.str(ref, at, at+uint32(len(raw))))
	at += uint32(len(raw))
	appendFullTokens(dst[at:at], toks) // dst has room: written in place
	n := uint64(len(toks))
	if n >= tokWhole {
		n = tokWhole
	}
	s.at = append(s.at, uint64(ci)<<32|uint64(off)<<16|n)
	return fullRef(ref, at, nfull)
}

// get returns the tokens of name id (capacity limited to them).
func (s *tokenStore) get(id int32) []string {
	p := s.at[id]
	c := s.chunks[p>>32]
	n := int(p & 0xffff)
	if n == tokWhole {
		return c[:len(c):len(c)]
	}
	off := int(p >> 16 & 0xffff)
	return c[off : off+n : off+n]
}

// len returns the number of name ids.
func (s *tokenStore) len() int { return len(s.at) }

// raw returns the raw name of name id.
func (s *tokenStore) raw(id int32) string { return s.names[id] }

// count returns the number of tokens of name id, without reading them.
func (s *tokenStore) count(id int32) int {
	p := s.at[id]
	if n := int(p & 0xffff); n != tokWhole {
		return n
	}
	return len(s.chunks[p>>32])
}

// The name key of a new record with a raw name seen before is built from
// the name's full tokens joined (appendFullTokens). Reading them from the
// token store cost three cache misses per record (the name's entry, its
// token headers, their bytes) on the workers; the joined form is written
// once when the name is interned, next to its raw bytes, and found by one
// packed word kept in the name's slot of the name table (read anyway to
// find the name): chunk << 40 | offset << 20 | length, or fullLong for a
// form that does not fit (then it is joined from the tokens again).
const fullLong = ^uint64(0)

// fullRef packs the place of n bytes at offset at of the allocation ref.
func fullRef(ref uint64, at uint32, n int) uint64 {
	off := uint64(uint32(ref)) + uint64(at)
	if ref>>32 >= 1<<24 || off >= 1<<20 || n >= 1<<20 {
		return fullLong
	}
	return ref>>32<<40 | off<<20 | uint64(n)
}

// fullTokensLen is len(appendFullTokens(nil, toks)).
func fullTokensLen(toks []string) int {
	n, k := 0, 0
	for _, t := range toks {
		if len(t) >= 2 {
			n += len(t)
			k++
		}
	}
	if k > 1 {
		n += k - 1
	}
	return n
}

// appendFull appends the full tokens of name id, joined by spaces, to b
// (appendFullTokens(b, s.get(id))), from p, the place add returned.
func (s *tokenStore) appendFull(b []byte, id int32, p uint64, a *arena) []byte {
	if p&(1<<20-1) == 0 {
		return b
	}
	if p == fullLong {
		return appendFullTokens(b, s.get(id))
	}
	off, n := p>>20&(1<<20-1), p&(1<<20-1)
	return append(b, a.chunks[p>>40][off:off+n]...)
}
