package resolve

import "github.com/vigilfiu/vigil"

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
	return r.listing(&ix)
}
