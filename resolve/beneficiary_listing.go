package resolve

import (
	"slices"
	"strings"

	"github.com/vigilfiu/vigil"
)

// BeneficiaryListing is the list of Beneficiaries with integer indices
// into it, for a caller (the graph's Build) that would otherwise key
// maps by a million beneficiary ids and raw names.
type BeneficiaryListing struct {
	// Beneficiaries is exactly what Beneficiaries returns.
	Beneficiaries []vigil.Beneficiary
	// Of gives, for each record node (0 … Nodes()-1), the index in
	// Beneficiaries of the beneficiary it belongs to: the one whose id
	// ID(node) returns.
	Of []int32
	// NameIDs gives, for each beneficiary, the name id of each of its
	// Names, in the same order. A name id stands for one distinct raw
	// name: equal ids, equal names. Ids are in [0, NameIDCount). The
	// slices must not be modified.
	NameIDs     [][]int32
	NameIDCount int
	// Sorted reports that the ids of Beneficiaries are in strictly
	// increasing order (strings.Compare): sorted, no two equal. The
	// listing sorts them; it is false only when two are equal.
	Sorted bool

	oneName []int32 // per beneficiary in list order: the id of its only name (NameIDs[i] points there when it has one)
}

// Listing returns the beneficiaries, as Beneficiaries does, with each
// record node's index in the list and the name ids of their names. It
// costs what Beneficiaries costs and 4 bytes per record and per name more.
func (r *BeneficiaryResolver) Listing() BeneficiaryListing {
	var ix BeneficiaryListing
	return r.listing(&ix, nil)
}

// ListingInto is Listing with the beneficiaries written into the caller's
// storage instead of a slice of their own: places is called once with
// their number n and returns where beneficiary i (0 … n-1, in id order)
// is to be written, a zero value. A caller that keeps each profile in a
// larger record (the graph's Build) then fills its records in place,
// without a second array of a million profiles and a copy. The listing's
// Beneficiaries is nil.
func (r *BeneficiaryResolver) ListingInto(places func(n int) func(i int) *vigil.Beneficiary) BeneficiaryListing {
	var ix BeneficiaryListing
	return r.listing(&ix, places)
}

// Beneficiaries returns the resolved beneficiaries, ordered by id. Each
// takes its country from its root record, its name from the raw name
// carried by most transfers (the first seen on a tie), and its phones,
// accounts, city, birth date and party id from its records in the order
// they were first seen. Linear in records: members are grouped by a
// counting sort on their roots, names counted by name id.
func (r *BeneficiaryResolver) Beneficiaries() []vigil.Beneficiary {
	return r.listing(nil, nil).Beneficiaries
}

// listing makes the beneficiaries (Beneficiaries) and, when ix is not
// nil, the indices of Listing into it; into a new slice, or where places
// says (ListingInto).
func (r *BeneficiaryResolver) listing(ix *BeneficiaryListing, places func(n int) func(i int) *vigil.Beneficiary) BeneficiaryListing {
	nodes := len(r.parent)
	// Transfers per record, from the record table.
	count := make([]int32, nodes)
	for _, s := range r.records.slots {
		if s.node1 != 0 {
			count[s.node1-1] = s.n
		}
	}
	// Group record nodes by root, in node order (a root is the smallest
	// node of its cluster, so roots come in the order first seen).
	root := make([]int32, nodes)
	start := make([]int32, nodes+1)
	for i := range root {
		root[i] = r.Find(int32(i))
		start[root[i]+1]++
	}
	for i := 1; i <= nodes; i++ {
		start[i] += start[i-1]
	}
	order := make([]int32, nodes)
	fill := append([]int32(nil), start[:nodes]...)
	for i, rt := range root {
		order[fill[rt]] = int32(i)
		fill[rt]++
	}

	// Roots in id order: a permutation is sorted, not the beneficiaries
	// (moving the large structs was most of a sort's time).
	nroots := 0
	for i, rt := range root {
		if int32(i) == rt {
			nroots++
		}
	}
	roots := make([]int32, 0, nroots)
	for rt := int32(0); int(rt) < nodes; rt++ {
		if root[rt] == rt {
			roots = append(roots, rt)
		}
	}
	// The ids (a string each) are formatted on Workers goroutines.
	workers := r.Workers
	if workers <= 0 {
		workers = 2
	}
	if len(roots) < 1<<14 {
		workers = 1
	}
	ids := make([]string, len(roots))
	perm := make([]idOrder, len(roots))
	r.parallel(workers, len(roots), func(_, lo, hi int) {
		for k := lo; k < hi; k++ {
			id := stableIDOf(r.idh[roots[k]])
			ids[k], perm[k] = id, idOrder{idPrefix(id), int32(k)}
		}
	})
	// By id: the first 8 bytes after "BEN-", packed in an integer that
	// orders as they do, decide almost every comparison without reading
	// the strings; equal prefixes fall back to the strings.
	slices.SortFunc(perm, func(a, b idOrder) int {
		if a.key != b.key {
			if a.key < b.key {
				return -1
			}
			return 1
		}
		return strings.Compare(ids[a.i], ids[b.i])
	})

	// Ids in strictly increasing order, for Listing's Sorted: neighbours
	// in id order are read from the strings only when their prefixes are
	// equal.
	sorted := true
	for i := 1; i < len(perm); i++ {
		if perm[i].key == perm[i-1].key && ids[perm[i].i] == ids[perm[i-1].i] {
			sorted = false
			break
		}
	}

	// Filled in the order of the roots, that is of the records in the
	// arena, each beneficiary into its place in id order: singletons and
	// most small clusters are then read sequentially, not at random.
	at := make([]int32, len(roots))
	for bi, o := range perm {
		at[o.i] = int32(bi)
	}
	perm = nil

	var out []vigil.Beneficiary
	if places == nil {
		out = make([]vigil.Beneficiary, len(roots))
		places = func(int) func(i int) *vigil.Beneficiary {
			return func(i int) *vigil.Beneficiary { return &out[i] }
		}
	}
	place := places(len(roots))
	if ix != nil {
		ix.Of = make([]int32, nodes)
		ix.NameIDs = make([][]int32, len(roots))
		ix.oneName = make([]int32, len(roots))
		ix.NameIDCount = r.nameToks.len()
	}
	// Each beneficiary depends on its own records only: the roots are
	// shared out to Workers goroutines in contiguous ranges (each range
	// still reads the arena almost in sequence). This runs after the
	// stream, alone on the caller's path (the graph's Build).
	r.parallel(workers, len(roots), func(_, lo, hi int) {
		r.fillBeneficiaries(place, roots[lo:hi], lo, ids, at, order, start, count, ix)
	})
	if ix == nil {
		return BeneficiaryListing{Beneficiaries: out}
	}
	ix.Beneficiaries, ix.Sorted = out, sorted
	return *ix
}

// fillBeneficiaries fills the beneficiaries of roots (roots[k] is root
// number base+k in root order) into their places (place(at[k])), from the
// records grouped by root (order, start) and the transfers per record
// (count).
// When ix is not nil it also fills ix.Of for the roots' records and
// ix.NameIDs for their beneficiaries (from one arena per range).
func (r *BeneficiaryResolver) fillBeneficiaries(place func(i int) *vigil.Beneficiary, roots []int32, base int, ids []string, at, order, start, count []int32, ix *BeneficiaryListing) {
	// Per name id: the index of the name in the current beneficiary's
	// Names and the beneficiary it was last seen in.
	namePos := make([]int32, r.nameToks.len())
	nameIn := make([]int32, r.nameToks.len())
	for i := range nameIn {
		nameIn[i] = -1
	}
	var nameCnt []int32
	var phoneSet, acctSet distinct
	var fs [recordFields]string
	var nameIDs []int32 // with ix: the name ids of the range's beneficiaries, in root order
	var nameEnd []int32 // with ix: per root of the range, the end of its name ids in nameIDs
	if ix != nil {
		nameIDs, nameEnd = make([]int32, 0, len(roots)+len(roots)/4), make([]int32, len(roots))
	}
	for j, rt := range roots {
		k := base + j
		bi := k // marks the names seen in this beneficiary
		b := place(int(at[k]))
		b.ID, b.Country = ids[k], r.field(rt, bfCountry)
		nameCnt = nameCnt[:0]
		phoneSet.reset()
		acctSet.reset()
		for _, n := range order[start[rt]:start[rt+1]] {
			if ix != nil {
				ix.Of[n] = at[k]
			}
			r.fields(n, &fs)
			if name := r.field(n, bfName); name != "" {
				id := r.nameOf[n]
				if nameIn[id] != int32(bi) {
					nameIn[id], namePos[id] = int32(bi), int32(len(b.Names))
					b.Names = append(b.Names, name)
					nameCnt = append(nameCnt, 0)
					if ix != nil {
						nameIDs = append(nameIDs, id)
					}
				}
				nameCnt[namePos[id]] += count[n]
			}
			if e := fs[bfE164]; e != "" {
				b.Phones = phoneSet.add(b.Phones, e)
			}
			if acc := fs[bfAccount]; acc != "" {
				b.Accounts = acctSet.add(b.Accounts, acc)
			}
			if b.City == "" {
				b.City = fs[bfCity]
			}
			if b.BirthDate.IsZero() {
				b.BirthDate = r.birth(n).date()
			}
			if b.PartyID == "" {
				b.PartyID = fs[bfParty]
			}
		}
		var best int32 = -1
		for i, c := range nameCnt {
			if c > best {
				best, b.Name = c, b.Names[i]
			}
		}
		if ix != nil {
			nameEnd[j] = int32(len(nameIDs))
		}
	}
	if ix != nil { // slices of the range's final arena, made once it no longer grows
		var from int32
		for j := range roots {
			bi := at[base+j]
			if nameEnd[j]-from == 1 { // most: one name, its id kept in list order for the caller's sequential reads
				ix.oneName[bi] = nameIDs[from]
				ix.NameIDs[bi] = ix.oneName[bi : bi+1 : bi+1]
			} else {
				ix.NameIDs[bi] = nameIDs[from:nameEnd[j]:nameEnd[j]]
			}
			from = nameEnd[j]
		}
	}
}

// idOrder is a beneficiary (index i) with the first 8 bytes of its id
// after "BEN-" as a big-endian integer, zero-padded: integers compare as
// the prefixes do (a shorter id sorts first, as a string does).
type idOrder struct {
	key uint64
	i   int32
}

func idPrefix(id string) uint64 {
	id = id[len("BEN-"):] // every id has it (stableIDOf)
	var k uint64
	for j := 0; j < 8; j++ {
		k <<= 8
		if j < len(id) {
			k |= uint64(id[j])
		}
	}
	return k
}

// distinct appends values to a list once each: by a linear scan while
// the list is short, through a set (reused between lists) once it is
// long, so that a large cluster's phones cost linear time.
type distinct struct {
	set  map[string]struct{}
	used bool
}

const distinctScan = 16

func (d *distinct) add(list []string, s string) []string {
	if len(list) < distinctScan {
		if contains(list, s) {
			return list
		}
		return append(list, s)
	}
	if !d.used {
		if d.set == nil {
			d.set = make(map[string]struct{})
		}
		for _, x := range list {
			d.set[x] = struct{}{}
		}
		d.used = true
	}
	if _, ok := d.set[s]; ok {
		return list
	}
	d.set[s] = struct{}{}
	return append(list, s)
}

func (d *distinct) reset() {
	if d.used {
		clear(d.set)
		d.used = false
	}
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}
