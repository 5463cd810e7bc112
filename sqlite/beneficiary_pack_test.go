package sqlite

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/vigilfiu/vigil"
)

// TestPackBeneficiariesRange: packing a range of beneficiaries a group
// at a time (reading their strings ahead) gives the bytes of packing them
// one by one, for ranges shorter than a group, across groups' edges and
// empty ones.
func TestPackBeneficiariesRange(t *testing.T) {
	bens := make([]vigil.Beneficiary, 3*benTouchGroup+5)
	for i := range bens {
		bens[i] = vigil.Beneficiary{ID: fmt.Sprintf("BEN-%d", i), Name: fmt.Sprintf("Name %d", i), City: "Cebu", Country: "PH"}
		if i%3 == 0 {
			bens[i].Names = []string{bens[i].Name, fmt.Sprintf("NAME, %d", i)}
			bens[i].Phones = []string{fmt.Sprintf("+63917%07d", i)}
		}
		if i%4 == 1 {
			bens[i].Accounts = []string{fmt.Sprintf("ACC%d", i), ""}
			bens[i].BirthDate = vigil.Date{Year: 1980 + i, Month: 1 + i%12, Day: 1 + i%28}
			bens[i].PartyID = fmt.Sprintf("P%d", i)
		}
	}
	ben := func(i int) *vigil.Beneficiary { return &bens[i] }
	for _, r := range [][2]int{{0, len(bens)}, {0, 1}, {3, benTouchGroup - 1}, {benTouchGroup - 2, 2*benTouchGroup + 3}, {7, 7}} {
		var want []byte
		for i := r[0]; i < r[1]; i++ {
			want = packBeneficiary(want, &bens[i])
		}
		got := packBeneficiaries([]byte("x"), r[0], r[1], ben)
		if !bytes.Equal(got, append([]byte("x"), want...)) {
			t.Errorf("beneficiaries %d…%d: packed %d bytes, one by one %d", r[0], r[1]-1, len(got)-1, len(want))
		}
	}
}
