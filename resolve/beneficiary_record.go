package resolve

import "encoding/binary"

// A record's raw fields live in an arena behind a short header: its
// packed birth date (4 bytes, little-endian), then the length of each of
// the eight fields (party id, name, phone, account, city, country, E.164
// phone, the id of the first transfer that carried it) as a uvarint — one byte each for fields under 128 bytes. Per
// record the resolver then keeps only the 8-byte arena reference (rec),
// where a struct of offsets took 40 bytes.

const (
	bfTransfer   = bfE164 + 1 // the first transfer's id: links name it
	recordFields = bfTransfer + 1
)

// Each worker writes the records it prepares to an arena of its own
// (benWorker.data), so that the copy of the fields (and the fresh memory
// it fills) is off the stream-order goroutine; a record's reference
// holds the worker in its top byte: worker << 56 | chunk << 32 | offset.
// Nothing reads a record while records are prepared (the name checks
// read names, which live in the resolver's own arena), and the
// reference is only published by the commit.

// recWorkerShift places the worker in a record's reference.
const recWorkerShift = 56

// storeRecord writes a record's header and fields to arena a, that of
// worker w, and returns its reference.
func storeRecord(a *arena, w int32, fs *[bfE164]string, e164 []byte, transferID string, birth packedDate) uint64 {
	var hb [4 + recordFields*binary.MaxVarintLen32]byte
	h := binary.LittleEndian.AppendUint32(hb[:0], uint32(birth))
	size := len(e164) + len(transferID)
	for _, f := range fs {
		h = binary.AppendUvarint(h, uint64(len(f)))
		size += len(f)
	}
	h = binary.AppendUvarint(h, uint64(len(e164)))
	h = binary.AppendUvarint(h, uint64(len(transferID)))
	ref, dst := a.alloc(len(h) + size)
	at := copy(dst, h)
	for _, f := range fs {
		at += copy(dst[at:], f)
	}
	at += copy(dst[at:], e164)
	copy(dst[at:], transferID)
	return uint64(w)<<recWorkerShift | ref
}

// recArena returns the arena of a record's reference and the reference
// within it.
func (r *BeneficiaryResolver) recArena(ref uint64) (*arena, uint64) {
	return &r.work[ref>>recWorkerShift].data, ref & (1<<recWorkerShift - 1)
}

// recordBytes returns the arena bytes of node n's record from its header
// on (to the end of its chunk).
func (r *BeneficiaryResolver) recordBytes(n int32) []byte {
	a, ref := r.recArena(r.rec[n])
	return a.chunks[ref>>32][uint32(ref):]
}

// field returns field i of node n's record, a view of the arena. The raw
// name is kept once per name id (the record's name field is empty).
func (r *BeneficiaryResolver) field(n int32, i int) string {
	if i == bfName {
		return r.nameToks.raw(r.nameOf[n])
	}
	lens, at := r.header(n)
	var lo uint32
	for _, l := range lens[:i] {
		lo += l
	}
	if lens[i] == 0 {
		return ""
	}
	a, ref := r.recArena(r.rec[n])
	return a.str(ref, at+lo, at+lo+lens[i])
}

// header decodes the field lengths of node n's record and returns them
// with the offset of its first field.
func (r *BeneficiaryResolver) header(n int32) (lens [recordFields]uint32, at uint32) {
	b := r.recordBytes(n)
	i := 4
	for j := range lens {
		l := uint64(b[i])
		if l < 0x80 {
			i++
		} else {
			var k int
			l, k = binary.Uvarint(b[i:])
			i += k
		}
		lens[j] = uint32(l)
	}
	return lens, uint32(i)
}

// fields writes every field of node n's record to out (views of the
// arena), reading its header once; out[bfName] is left empty (the raw
// name is per name id: field(n, bfName)).
func (r *BeneficiaryResolver) fields(n int32, out *[recordFields]string) {
	lens, lo := r.header(n)
	a, ref := r.recArena(r.rec[n])
	for j, l := range lens {
		out[j] = a.str(ref, lo, lo+l)
		lo += l
	}
}

// birth returns node n's packed birth date.
func (r *BeneficiaryResolver) birth(n int32) packedDate {
	return packedDate(binary.LittleEndian.Uint32(r.recordBytes(n)))
}

// linkVia rebuilds the key value a link names from its record: the party
// id, the E.164 phone, the account as the account key writes it, or the
// name's full tokens (the name key without country and city).
func (r *BeneficiaryResolver) linkVia(l benLink) string {
	kind := l.reason
	if kind < 2*refused {
		kind %= refused
	} else {
		kind = reasonName // the namesake refusals
	}
	switch kind {
	case 0:
		return r.field(l.rec, bfParty)
	case 1:
		return r.field(l.rec, bfE164)
	case 2:
		return string(appendAccount(nil, r.field(l.rec, bfAccount)))
	}
	return string(appendFullTokens(nil, r.Tokens(l.rec)))
}
