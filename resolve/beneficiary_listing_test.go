package resolve_test

import (
	"reflect"
	"testing"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/resolve"
)

// TestListing holds Listing to Beneficiaries and ID on the 20k world,
// observed in batches on two workers (so the listing is filled in two
// ranges): the same list, every record node's index naming the
// beneficiary of its id, each name id standing for one raw name, and
// Sorted true for the resolver's distinct ids in order.
func TestListing(t *testing.T) {
	recs := benWorld(t)
	r := resolve.NewBeneficiaryResolver()
	r.Workers = 2
	benObserveBatches(r, recs)
	want := r.Beneficiaries()
	l := r.Listing()
	if !reflect.DeepEqual(l.Beneficiaries, want) {
		t.Fatal("Listing().Beneficiaries differs from Beneficiaries()")
	}
	if len(want) < 1<<14 {
		t.Fatalf("%d beneficiaries: too few to fill the listing on two workers", len(want))
	}
	// Sorted says what Build would otherwise check: ids strictly
	// increasing.
	increasing := true
	for i := 1; i < len(want); i++ {
		if want[i-1].ID >= want[i].ID {
			increasing = false
		}
	}
	if l.Sorted != increasing || !l.Sorted {
		t.Fatalf("Sorted = %v, ids strictly increasing: %v (the resolver's ids are distinct and sorted)", l.Sorted, increasing)
	}
	if len(l.Of) != r.Nodes() {
		t.Fatalf("Of has %d record nodes, the resolver %d", len(l.Of), r.Nodes())
	}
	for n, bi := range l.Of {
		if got, id := l.Beneficiaries[bi].ID, r.ID(int32(n)); got != id {
			t.Fatalf("record node %d: Of names %s, ID gives %s", n, got, id)
		}
	}
	if len(l.NameIDs) != len(want) {
		t.Fatalf("NameIDs for %d beneficiaries, want %d", len(l.NameIDs), len(want))
	}
	name := make([]string, l.NameIDCount)
	seen := make([]bool, l.NameIDCount)
	shared := 0
	for i, ids := range l.NameIDs {
		if len(ids) != len(want[i].Names) {
			t.Fatalf("beneficiary %s: %d name ids for %d names", want[i].ID, len(ids), len(want[i].Names))
		}
		for j, id := range ids {
			if id < 0 || int(id) >= l.NameIDCount {
				t.Fatalf("name id %d out of [0,%d)", id, l.NameIDCount)
			}
			if seen[id] {
				shared++
				if name[id] != want[i].Names[j] {
					t.Fatalf("name id %d stands for %q and %q", id, name[id], want[i].Names[j])
				}
			}
			seen[id], name[id] = true, want[i].Names[j]
		}
	}
	if shared == 0 {
		t.Fatal("no name id is shared by two beneficiaries: the check above tested nothing")
	}
}

// TestListingInto holds ListingInto to Listing on the 20k world filled on
// two workers: places is asked once, for the number of beneficiaries,
// every beneficiary is written where it said (here into larger records,
// as the graph's Build keeps them), the same as Listing's, with the same
// indices; the listing's own Beneficiaries is nil.
func TestListingInto(t *testing.T) {
	recs := benWorld(t)
	r := resolve.NewBeneficiaryResolver()
	r.Workers = 2
	benObserveBatches(r, recs)
	want := r.Listing()
	type record struct {
		before  int
		profile vigil.Beneficiary
		after   []string
	}
	var recs2 []record
	asked := 0
	got := r.ListingInto(func(n int) func(int) *vigil.Beneficiary {
		asked++
		recs2 = make([]record, n)
		return func(i int) *vigil.Beneficiary { return &recs2[i].profile }
	})
	if asked != 1 {
		t.Fatalf("places called %d times, want once", asked)
	}
	if got.Beneficiaries != nil {
		t.Fatalf("ListingInto's Beneficiaries has %d entries, want nil", len(got.Beneficiaries))
	}
	if len(recs2) != len(want.Beneficiaries) || len(want.Beneficiaries) < 1<<14 {
		t.Fatalf("%d records for %d beneficiaries (need ≥ %d to fill on two workers)", len(recs2), len(want.Beneficiaries), 1<<14)
	}
	for i := range recs2 {
		if recs2[i].before != 0 || recs2[i].after != nil {
			t.Fatalf("record %d: written outside its profile", i)
		}
		if !reflect.DeepEqual(recs2[i].profile, want.Beneficiaries[i]) {
			t.Fatalf("beneficiary %d: %+v, Listing gives %+v", i, recs2[i].profile, want.Beneficiaries[i])
		}
	}
	if !reflect.DeepEqual(got.Of, want.Of) || !reflect.DeepEqual(got.NameIDs, want.NameIDs) ||
		got.NameIDCount != want.NameIDCount || got.Sorted != want.Sorted {
		t.Fatal("ListingInto's indices differ from Listing's")
	}
}
