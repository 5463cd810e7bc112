package correlate

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/vigilfiu/vigil"
)

// TestPayerIndexFindsEveryNamedPayer: the payers a handle names, found
// through the payers' index, are exactly those a comparison with every
// payer finds, with the same evidence — over handles built from the
// payers' names, initials, birth years, e-mails and phones (national and
// international forms), and random ones.
func TestPayerIndexFindsEveryNamedPayer(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	given := []string{"Maria", "José", "Ana", "Wolfgang", "Li", "Christopher", "Eve", "Noël", "Jo", "Sophie"}
	sur := []string{"Santos", "Müller", "Wright", "Ng", "Garcia", "O'Brien", "Dela Cruz", "Lee", "Smith", "Rhea"}
	countries := []string{"DE", "GB", "PH", ""}
	parties := make([]vigil.Party, 150)
	for i := range parties {
		p := vigil.Party{ID: fmt.Sprint("P", i), Kind: vigil.PartyPerson, Country: countries[rng.IntN(len(countries))],
			FullName: given[rng.IntN(len(given))] + " " + sur[rng.IntN(len(sur))]}
		if rng.IntN(2) == 0 {
			p.BirthDate = vigil.Date{Year: 1950 + rng.IntN(50)}
		}
		if rng.IntN(2) == 0 {
			p.Phone = fmt.Sprintf("+49151%07d", rng.IntN(100))
		}
		if rng.IntN(3) == 0 {
			p.Email = fmt.Sprintf("%s.%d@example.org", strings.ToLower(given[rng.IntN(len(given))]), rng.IntN(10))
		}
		parties[i] = p
	}
	pop := newNamePop(parties)
	ids := map[int32]*payerID{}
	for i := range parties {
		ids[int32(i)] = newPayerID(&parties[i], pop)
	}
	var handles []string
	for range 800 {
		p := &parties[rng.IntN(len(parties))]
		n := strings.Fields(strings.ToLower(p.FullName))
		var h string
		switch rng.IntN(8) {
		case 0:
			h = n[len(n)-1] + n[0][:1]
		case 1:
			h = n[0] + "." + n[len(n)-1][:1] + fmt.Sprint(p.BirthDate.Year%100)
		case 2:
			h = "@" + n[0] + "_" + n[len(n)-1] + fmt.Sprint(p.BirthDate.Year)
		case 3:
			if i := strings.IndexByte(p.Email, '@'); i > 0 {
				h = p.Email[:i]
			}
		case 4:
			h = strings.Replace(p.Phone, "+49", "0", 1)
		case 5:
			h = p.Phone
		case 6:
			h = fmt.Sprintf("x%sy%d", n[0][:min(3, len(n[0]))], rng.IntN(1000))
		default:
			h = fmt.Sprintf("user%08d", rng.IntN(1e8))
		}
		handles = append(handles, h)
	}
	c := &owner{ids: ids, idents: map[string]map[int32]identity{}}
	named := 0
	for _, h := range handles {
		var want map[int32]identity
		hf := newHandleForms(h)
		for s, p := range ids {
			if id := p.linkForms(&hf); id.lr > 1 {
				if want == nil {
					want = map[int32]identity{}
				}
				want[s] = id
			}
		}
		got := c.identities(h)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("handle %q: through the index %v, every payer %v", h, got, want)
		}
		named += len(want)
	}
	if named < len(handles) {
		t.Fatalf("only %d payers named by %d handles: the handles do not exercise the comparison", named, len(handles))
	}
}
