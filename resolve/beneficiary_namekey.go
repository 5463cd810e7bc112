package resolve

import (
	"encoding/binary"
	"hash/maphash"

	"github.com/vigilfiu/vigil"
)

// The name key of a record is "name:" country ":" full tokens "@" folded
// city (the full tokens joined by spaces, appendFullTokens). Its bytes
// were written for every new record, which read a known name's joined
// form from the arena (a cache miss, 0.30 CPU s of a 5M-transfer scan)
// and the folded city from a Go map. The key's hash is now made from
// three parts kept where the look-ups land anyway: the hash of the full
// tokens (in the name's slot of the name table), the hash of the folded
// city (the city memo) and the country (the transfer). Two name keys
// get one hash exactly when their three parts are equal, but for 64-bit
// hash collisions, as before; the "name:" prefix keeps them apart from
// the other kinds of key. The bytes are rebuilt (nameKeyBytes) only
// where they are the value: the stable id of a record whose first new
// key is its name key, and the word count of the namesake rules.

// fullHash is the hash of a name's full tokens joined, b; 0 when b is
// empty (the name has no name key), never 0 otherwise.
func (r *BeneficiaryResolver) fullHash(b []byte) uint64 {
	if len(b) == 0 {
		return 0
	}
	return nonZero(maphash.Bytes(r.seed, b))
}

// foldedCityHash is the hash of a folded city, 0 when it is empty.
func (r *BeneficiaryResolver) foldedCityHash(city string) uint64 {
	if city == "" {
		return 0
	}
	return nonZero(maphash.String(r.seed, city))
}

func nonZero(h uint64) uint64 {
	if h == 0 {
		return 1
	}
	return h
}

// nameKeyHash is the hash of the name key with full-token hash fh, folded
// city hash fch and country: the two fixed-size hashes first, so the
// country needs no separator.
func (r *BeneficiaryResolver) nameKeyHash(fh, fch uint64, country string) uint64 {
	var b [5 + 16 + 16]byte
	k := append(b[:0], "name:"...)
	k = binary.LittleEndian.AppendUint64(k, fh)
	k = binary.LittleEndian.AppendUint64(k, fch)
	k = append(k, country...)
	return maphash.Bytes(r.seed, k)
}

// appendNameFull appends the full tokens of a prepared record's name,
// joined, to b: from the name's stored joined form when it was interned
// when prepared, else from the tokens prepare made.
func (r *BeneficiaryResolver) appendNameFull(b []byte, p *benPrep) []byte {
	if p.nameID >= 0 {
		return r.nameToks.appendFull(b, p.nameID, p.nameFull, &r.data)
	}
	return appendFullTokens(b, p.toks)
}

// nameKeyBytes appends the bytes of a prepared record's name key to b,
// as prepare wrote them before its hash was made from parts. Read only:
// any goroutine may call it while nothing is committed.
func (r *BeneficiaryResolver) nameKeyBytes(b []byte, p *benPrep) []byte {
	t := p.t
	b = append(b, "name:"...)
	b = append(b, t.BeneficiaryCountry...)
	b = append(b, ':')
	b = r.appendNameFull(b, p)
	b = append(b, '@')
	if p.cityNew {
		b = append(b, p.city...)
	} else if c, ok := r.cities.folded(p.cityH); ok {
		b = append(b, c...)
	} else { // the memo was emptied since the record was prepared
		b = append(b, foldCity(t.BeneficiaryCity)...)
	}
	return b
}

// The stable id of a record that starts a cluster is the FNV-1a hash of
// the first of its keys that no earlier record held (or of its raw
// record when it has none), taken in stream order. A key absent when the
// record was prepared is almost always still absent when it is
// committed, so the workers hash that key's bytes (for a name key,
// rebuilt: nameKeyBytes) or the raw record ahead; the commit uses the
// hash when the key it puts first is that one and hashes otherwise: the
// id is the same either way.

// prepareID hashes the key (or raw record) whose hash will most likely
// be the record's stable id, after probeKeys; read only.
func (r *BeneficiaryResolver) prepareID(p *benPrep) {
	w := &r.work[p.w]
	for i := int32(0); i < p.nk; i++ {
		k := &p.keys[i]
		if k.other >= 0 {
			continue
		}
		p.idKey = i
		if k.lo < 0 {
			w.buf = r.nameKeyBytes(w.buf[:0], p)
			p.idH = fnv64(w.buf)
		} else {
			p.idH = fnv64(w.kb[k.lo:k.hi])
		}
		return
	}
	p.idKey = p.nk
	p.idH = recordIDHash(w.buf[:0], p.t)
}

// recordIDHash is the stable id's hash of a record without any usable
// key: FNV-1a of "record:" and its six raw fields as stored (the
// transfer's raw tuple; nothing is read back from the arena). buf is
// scratch space.
func recordIDHash(buf []byte, t *vigil.Transfer) uint64 {
	return fnv64(rawTuple(append(buf, "record:"...), t))
}
