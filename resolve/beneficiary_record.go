package resolve

import "encoding/binary"

// A record's raw fields live in the arena behind a short header: its
// packed birth date (4 bytes, little-endian), then the length of each of
// the seven fields (party id, name, phone, account, city, country, E.164
// phone) as a uvarint — one byte each for fields under 128 bytes. Per
// record the resolver then keeps only the 8-byte arena reference (rec),
// where a struct of offsets took 40 bytes.

const recordFields = bfE164 + 1

// storeRecord writes a record's header and fields to the arena and
// returns its reference.
func (r *BeneficiaryResolver) storeRecord(fs *[recordFields - 1]string, e164 []byte, birth packedDate) uint64 {
	var hb [4 + recordFields*binary.MaxVarintLen32]byte
	h := binary.LittleEndian.AppendUint32(hb[:0], uint32(birth))
	size := len(e164)
	for _, f := range fs {
		h = binary.AppendUvarint(h, uint64(len(f)))
		size += len(f)
	}
	h = binary.AppendUvarint(h, uint64(len(e164)))
	ref, dst := r.data.alloc(len(h) + size)
	at := copy(dst, h)
	for _, f := range fs {
		at += copy(dst[at:], f)
	}
	copy(dst[at:], e164)
	return ref
}

// recordBytes returns the arena bytes of node n's record from its header
// on (to the end of its chunk).
func (r *BeneficiaryResolver) recordBytes(n int32) []byte {
	ref := r.rec[n]
	return r.data.chunks[ref>>32][uint32(ref):]
}

// field returns field i of node n's record, a view of the arena.
func (r *BeneficiaryResolver) field(n int32, i int) string {
	b := r.recordBytes(n)
	at := 4
	var lo, hi uint64
	for j := 0; j < recordFields; j++ {
		l := uint64(b[at])
		if l < 0x80 {
			at++
		} else {
			var k int
			l, k = binary.Uvarint(b[at:])
			at += k
		}
		if j < i {
			lo += l
		}
		if j <= i {
			hi += l
		}
	}
	if hi == lo {
		return ""
	}
	return r.data.str(r.rec[n], uint32(at)+uint32(lo), uint32(at)+uint32(hi))
}

// birth returns node n's packed birth date.
func (r *BeneficiaryResolver) birth(n int32) packedDate {
	return packedDate(binary.LittleEndian.Uint32(r.recordBytes(n)))
}
