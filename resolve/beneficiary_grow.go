package resolve

// The per-record arrays (parent, rec, idh, nameOf, flag, cbirth) and the
// links grow by doubling, not by append's quarter steps for large
// slices: at 5M transfers (1.7 million records) append copied each
// array about four times over into fresh memory, a third of a CPU
// second on the stream-order goroutine; doubling copies it about once.
// Untouched capacity costs address space, not resident memory.

// doubled returns s with room for at least one more element: s itself,
// or a copy with twice its capacity (at least min).
func doubled[T any](s []T, min int) []T {
	if len(s) < cap(s) {
		return s
	}
	out := make([]T, len(s), max(min, 2*cap(s)))
	copy(out, s)
	return out
}

// nodeRoom makes room for one more record node in every per-node array.
func (r *BeneficiaryResolver) nodeRoom() {
	const min = 1024
	r.parent = doubled(r.parent, min)
	r.rec = doubled(r.rec, min)
	r.idh = doubled(r.idh, min)
	r.nameOf = doubled(r.nameOf, min)
	r.flag = doubled(r.flag, min)
	r.cbirth = doubled(r.cbirth, min)
	r.setOf = doubled(r.setOf, min)
	r.prints = doubled(r.prints, min)
}
