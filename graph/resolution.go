package graph

import (
	"context"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strconv"
	"sync"
	"time"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/resolve"
)

// FixedResolution is a resolution of recipients into beneficiaries made
// earlier and kept (the store's persisted resolution): record node i is
// beneficiary i of the list. A Builder with it as its Resolver takes each
// transfer's beneficiary from AddAssigned or FeedAssigned, not from
// Observe: the graph built is the one the resolver that made the
// resolution would build over the same transfers in the same order.
type FixedResolution []vigil.Beneficiary

// Observe is not available: a fixed resolution does not resolve. It
// panics; use Builder.AddAssigned.
func (f FixedResolution) Observe(*vigil.Transfer) int32 {
	panic("graph: a FixedResolution does not observe transfers; use Builder.AddAssigned")
}

// ID returns the id of beneficiary n.
func (f FixedResolution) ID(n int32) string { return f[n].ID }

// Beneficiaries returns the list.
func (f FixedResolution) Beneficiaries() []vigil.Beneficiary { return f }

// AddAssigned adds one transfer whose recipient the kept resolution
// assigned to beneficiary ben (an index into the Builder's
// FixedResolution).
func (b *Builder) AddAssigned(t *vigil.Transfer, ben int32) error {
	if t.ID == "" || t.SenderID == "" {
		return vigil.Errorf(vigil.EINVALID, "transfer %q: transfer_id and sender_id are required", t.ID)
	}
	f, ok := b.res.(FixedResolution)
	if !ok {
		return vigil.Errorf(vigil.EINTERNAL, "graph: AddAssigned needs a FixedResolution as the Builder's Resolver")
	}
	if ben < 0 || int(ben) >= len(f) {
		return vigil.Errorf(vigil.EINVALID, "transfer %s: assigned to beneficiary %d of a resolution of %d (the kept resolution does not match the transfers)", t.ID, ben, len(f))
	}
	return b.add(t, ben)
}

// Assignment returns, for every transfer in input order, the index in
// Beneficiaries of the beneficiary it was resolved to, when the graph was
// built with Options.KeepAssignment; nil otherwise. With Beneficiaries it
// is the resolution a store keeps (FixedResolution).
func (g *Graph) Assignment() []int32 { return g.assign }

// ResolutionFormat is the version of what a store keeps for a graph (the
// beneficiary fields, the assignment by transfer, the prepared rows):
// raise it when that changes. 2: the beneficiaries kept in blocks
// (sqlite migration 0004).
const ResolutionFormat = 2

var keptVersion = sync.OnceValue(func() string {
	return "graph-kept/" + strconv.Itoa(ResolutionFormat) + " resolve/" + resolverFingerprint() + " prepare/" + preparedFingerprint()
})

// KeptVersion names what a kept resolution depends on in this binary: the
// beneficiary resolver it builds graphs with (resolve.BeneficiaryResolver,
// the default of Options.Resolver) and the way a transfer is prepared
// into a payment row (flags, identifier keys), so that a resolution or
// prepared rows made by another version are recognised and made again.
// Each part is a fingerprint of behaviour: the hash of the results over a
// fixed set of 4,000 generated transfers (name variants, phones written in
// several forms, shared accounts, namesakes in other cities, birth dates),
// so any change that changes a result there changes the version. A change
// that shows on no transfer of that set goes unnoticed: the resolver's
// own reference test (resolve, TestResolverMatchesReference) pins more.
// Computing it takes a few tens of milliseconds, once per process.
func KeptVersion() string { return keptVersion() }

func resolverFingerprint() string {
	r := resolve.NewBeneficiaryResolver()
	ts := fingerprintTransfers()
	nodes := make([]int32, len(ts))
	r.ObserveBatch(ts, nodes, nil)
	h := fnv.New64a()
	var buf [8]byte
	for i := range ts {
		h.Write([]byte(r.ID(nodes[i])))
		h.Write([]byte{0})
	}
	for _, be := range r.Beneficiaries() {
		fmt.Fprintf(h, "%s|%s|%q|%q|%q|%s|%s|%s|%s\n", be.ID, be.Name, be.Names, be.Phones, be.Accounts, be.City, be.Country, be.BirthDate, be.PartyID)
	}
	binary.LittleEndian.PutUint64(buf[:], uint64(len(ts)))
	h.Write(buf[:])
	return strconv.FormatUint(h.Sum64(), 36)
}

// fingerprintTransfers generates the fixed transfers of ResolverVersion:
// the same on every run (a fixed PCG seed), never read from outside.
func fingerprintTransfers() []vigil.Transfer {
	rng := rand.New(rand.NewPCG(5, 29))
	given := []string{"Maria", "Cristina", "Jose", "Ana", "Rommel", "Lorna", "Renato", "Mark", "Joy", "Grace", "Ricardo", "Liza"}
	family := []string{"Santos", "Reyes", "Cruz", "Castro", "Gonzales", "Bautista", "Garcia", "Mendoza", "Sison", "Ramos"}
	cities := []string{"Angeles", "Quezon City", "Dumaguete", "Cebu", "Davao", ""}
	type person struct {
		first, middle, last, phone, account, city, party string
		birth                                            vigil.Date
	}
	people := make([]person, 400)
	for i := range people {
		p := &people[i]
		p.first, p.middle, p.last = given[rng.IntN(len(given))], given[rng.IntN(len(given))], family[rng.IntN(len(family))]
		if rng.IntN(3) > 0 {
			p.phone = fmt.Sprintf("9%09d", rng.IntN(1_000_000_000))
		}
		if rng.IntN(4) == 0 {
			p.account = fmt.Sprintf("gcash.%d@wallet", rng.IntN(1_000_000))
		}
		if rng.IntN(8) == 0 && i > 0 { // a shared account (a relative's or a reseller's)
			p.account = people[rng.IntN(i)].account
		}
		p.city = cities[rng.IntN(len(cities))]
		if rng.IntN(3) == 0 {
			p.birth = vigil.Date{Year: 1970 + rng.IntN(35), Month: 1 + rng.IntN(12), Day: 1 + rng.IntN(28)}
		}
		if rng.IntN(20) == 0 {
			p.party = fmt.Sprintf("P%05d", i)
		}
	}
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	ts := make([]vigil.Transfer, 4000)
	for i := range ts {
		p := &people[rng.IntN(len(people))]
		t := &ts[i]
		t.ID = fmt.Sprintf("FP%05d", i)
		t.SenderID = fmt.Sprintf("S%03d", rng.IntN(300))
		t.Timestamp = base.Add(time.Duration(i) * 17 * time.Minute)
		t.Amount = vigil.Amount(1+rng.IntN(300)) * vigil.AmountScale
		t.Currency = "EUR"
		t.BeneficiaryCountry = "PH"
		t.BeneficiaryID = p.party
		switch rng.IntN(6) { // the name as the sender wrote it
		case 0:
			t.BeneficiaryName = p.last + ", " + p.first + " " + p.middle
		case 1:
			t.BeneficiaryName = p.first + " " + p.last
		case 2: // a typo
			n := []byte(p.first + " " + p.middle + " " + p.last)
			k := rng.IntN(len(n))
			n[k] = "aeiou"[rng.IntN(5)]
			t.BeneficiaryName = string(n)
		case 3:
			t.BeneficiaryName = ""
		default:
			t.BeneficiaryName = p.first + " " + p.middle + " " + p.last
		}
		if p.phone != "" && rng.IntN(4) > 0 {
			switch rng.IntN(3) {
			case 0:
				t.BeneficiaryPhone = "+63" + p.phone
			case 1:
				t.BeneficiaryPhone = "0" + p.phone
			default:
				t.BeneficiaryPhone = "+63 " + p.phone[:3] + " " + p.phone[3:6] + " " + p.phone[6:]
			}
		}
		if p.account != "" && rng.IntN(3) > 0 {
			t.BeneficiaryAccount = p.account
		}
		if rng.IntN(5) > 0 {
			t.BeneficiaryCity = p.city
		}
		if rng.IntN(3) == 0 {
			t.BeneficiaryBirthDate = p.birth
		}
	}
	return ts
}

// AssignedBatch is a batch of transfers read with the beneficiary a kept
// resolution assigned each to (Bens[i] for Transfers[i]).
type AssignedBatch struct {
	Transfers []vigil.Transfer
	Bens      []int32
}

// FeedAssigned adds the batches next yields, in order, until it returns
// false or an error: the graph build of a kept resolution. The reading
// (next) should run ahead on other goroutines; FeedAssigned does the
// graph's per-transfer work on the calling one.
func (b *Builder) FeedAssigned(ctx context.Context, next func() (*AssignedBatch, bool, error)) (int64, error) {
	var n int64
	for {
		bt, ok, err := next()
		if err != nil {
			return n, err
		}
		if !ok {
			return n, nil
		}
		for i := range bt.Transfers {
			if err := b.AddAssigned(&bt.Transfers[i], bt.Bens[i]); err != nil {
				return n, err
			}
		}
		n += int64(len(bt.Transfers))
		if err := ctx.Err(); err != nil {
			return n, err
		}
	}
}
