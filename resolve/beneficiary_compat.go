package resolve

import "slices"

// A phone or account key that an earlier cluster holds joins a new record
// to it only when their names are compatible (namesCompatible): on the
// stream-order goroutine that check was a quarter of the serial commit
// (0.55 of 2.25 CPU s at 5M), mostly cache misses on the other cluster's
// name list and tokens. While records are prepared nothing is committed,
// so the workers can make the check against the cluster as it stands
// then: the new record alone (its name is known, or its tokens made)
// against the root of the node the key table held. The commit uses that
// answer when nothing it depends on has changed since — the new record
// still alone (its root is itself), the key's node still under that
// root, and that root not having taken in another cluster during the
// commits of this batch (dirty: every union notes its surviving root) —
// and checks again otherwise, so the answer is always namesCompatible's.

// prepareCompat makes the name check of each phone or account key of a
// prepared record whose node is held by a cluster: read only, on any
// goroutine, while nothing is committed.
func (r *BeneficiaryResolver) prepareCompat(p *benPrep) {
	for i := int32(0); i < p.nk; i++ {
		k := &p.keys[i]
		k.root = -1
		if k.other < 0 {
			continue
		}
		k.root = r.Root(k.other)
		if !k.phoneOrAcct {
			// A name key's check (joinByName) is not prepared, but its
			// cluster's path is now in the shared cache for the commit.
			continue
		}
		done := false
		for j := int32(0); j < i; j++ { // the phone's and the account's cluster are often one
			if q := &p.keys[j]; q.phoneOrAcct && q.root == k.root {
				k.compat, done = q.compat, true
				break
			}
		}
		if !done {
			k.compat = r.aloneCompatible(p, k.root)
		}
	}
}

// aloneCompatible is namesCompatible(n, rb) for prepared record n before
// it is committed (n alone in its cluster; its name id, when the name
// was interned when prepared, or its tokens).
func (r *BeneficiaryResolver) aloneCompatible(p *benPrep, rb int32) bool {
	var ob [1]int32
	db := r.namesOf(rb, &ob)
	var ta []string
	if x := p.nameID; x >= 0 {
		if r.nameToks.count(x) == 0 {
			return true
		}
		if len(db) == 0 {
			return true
		}
		if slices.Contains(db, x) && r.nameToks.count(x) <= nameVariantMax {
			return true
		}
		ta = r.nameToks.get(x)
	} else {
		// A name not interned when prepared gets an id no cluster
		// prepared against holds (a cluster that takes in the record
		// that interns it is dirty).
		if len(p.toks) == 0 || len(db) == 0 {
			return true
		}
		ta = p.toks
	}
	for _, y := range db {
		if NameVariant(ta, r.nameToks.get(y)) {
			return true
		}
	}
	return false
}

// compatible is namesCompatible(ra, rb) for key k of new record n, from
// the answer prepared for it when that still holds.
func (r *BeneficiaryResolver) compatible(n, ra, rb int32, k *benKey) bool {
	if ra == n && k.root == rb && !r.dirty.has(uint64(rb)) {
		if r.verify != nil {
			r.verify.compat(k.compat, r.namesCompatible(ra, rb))
		}
		return k.compat
	}
	if r.verify != nil {
		r.verify.compatAgain++
	}
	return r.namesCompatible(ra, rb)
}

// preparedChecks, set by tests, compares every prepared answer the commit
// uses with the answer made then, and counts both paths.
type preparedChecks struct {
	compatUsed, compatAgain, compatWrong int
	idUsed, idAgain, idWrong             int
}

func (v *preparedChecks) compat(prepared, now bool) {
	v.compatUsed++
	if prepared != now {
		v.compatWrong++
	}
}

func (v *preparedChecks) id(used bool, prepared, now uint64) {
	if !used {
		v.idAgain++
		return
	}
	v.idUsed++
	if prepared != now {
		v.idWrong++
	}
}

// keyIDHash is the stable id's hash of key k of p, made on the caller's
// goroutine (tests: preparedChecks).
func (r *BeneficiaryResolver) keyIDHash(p *benPrep, k *benKey) uint64 {
	if k.lo < 0 {
		return fnv64(r.nameKeyBytes(nil, p))
	}
	return fnv64(r.work[p.w].kb[k.lo:k.hi])
}
