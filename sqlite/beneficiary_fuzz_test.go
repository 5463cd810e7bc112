package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/vigilfiu/vigil"
)

// FuzzPackList: the kept lists (beneficiaries' names, phones, accounts;
// the graph's tables) read back as written, whatever bytes the values
// hold, and damaged bytes are refused, never misread past their end.
func FuzzPackList(f *testing.F) {
	f.Add("SANTOS, Maria Cristina\x00+63 917 555 0101\x00", []byte{0x03, 'a', 'b', 'c'})
	f.Add("", []byte{0x05, 'a'})
	f.Add("\x00\x00", []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})
	f.Fuzz(func(t *testing.T, joined string, raw []byte) {
		xs := strings.Split(joined, "\x00")
		got, err := unpackList(packList(xs))
		if err != nil || !slices.Equal(got, xs) {
			t.Fatalf("unpackList(packList(%q)) = %q, %v", xs, got, err)
		}
		ys, err := unpackList(raw)
		if err != nil {
			return
		}
		if back := packList(ys); string(back) != string(raw) {
			// A uvarint may be written with redundant bytes; the values
			// must still be the ones packList of them reads back.
			if again, err := unpackList(back); err != nil || !slices.Equal(again, ys) {
				t.Fatalf("raw %q read as %q, which does not round-trip", raw, ys)
			}
		}
	})
}

// FuzzBeneficiaryBlock: a block of kept beneficiaries reads back as
// written, whatever bytes the values hold, and damaged bytes are refused
// (never read past their end, never taken for fewer or more
// beneficiaries than the block's count).
func FuzzBeneficiaryBlock(f *testing.F) {
	f.Add("BEN-1\x00SANTOS, Maria Cristina\x00+639175550101\x00PH", uint16(1987), []byte{0x05, 'B', 'E', 'N', '-', '1'})
	f.Add("", uint16(0), []byte{})
	f.Add("\x00\x00\x00", uint16(13), []byte{0x01, 'x', 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00})
	f.Fuzz(func(t *testing.T, joined string, year uint16, raw []byte) {
		xs := strings.Split(joined, "\x00")
		at := func(i int) string { return xs[i%len(xs)] }
		bens := make([]vigil.Beneficiary, 1+len(xs)%4)
		for i := range bens {
			bens[i] = vigil.Beneficiary{ID: at(i), Name: at(i + 1), Names: xs[:i%len(xs)], Phones: xs[i%len(xs):],
				City: at(i + 2), Country: at(i + 3), BirthDate: vigil.Date{Year: int(year % 10000), Month: i % 13, Day: (i * 7) % 32}, PartyID: at(i + 4)}
			if len(bens[i].Names) == 0 {
				bens[i].Names = nil // read back as nil, as unpackList reads an empty list
			}
			if len(bens[i].Phones) == 0 {
				bens[i].Phones = nil
			}
		}
		var data []byte
		for i := range bens {
			data = packBeneficiary(data, &bens[i])
		}
		got := make([]vigil.Beneficiary, len(bens))
		if err := unpackBeneficiaries(data, got); err != nil || !reflect.DeepEqual(got, bens) {
			t.Fatalf("unpack(pack(%q)) = %q, %v", bens, got, err)
		}
		if len(bens) > 1 && unpackBeneficiaries(data, got[:len(bens)-1]) == nil {
			t.Fatal("a block read as one beneficiary fewer than it holds")
		}
		if unpackBeneficiaries(data, make([]vigil.Beneficiary, len(bens)+1)) == nil {
			t.Fatal("a block read as one beneficiary more than it holds")
		}
		one := make([]vigil.Beneficiary, 1)
		if unpackBeneficiaries(raw, one) == nil {
			if back := packBeneficiary(nil, &one[0]); string(back) != string(raw) {
				again := make([]vigil.Beneficiary, 1)
				if err := unpackBeneficiaries(back, again); err != nil || !reflect.DeepEqual(again, one) {
					t.Fatalf("raw %q read as %+v, which does not round-trip", raw, one[0])
				}
			}
		}
	})
}

// TestBeneficiaryBlocks: beneficiaries over several blocks (and both
// halves read in parallel) read back in order; a block lost in the
// middle is refused, not read as a shorter list.
func TestBeneficiaryBlocks(t *testing.T) {
	ctx := context.Background()
	db, err := Open(filepath.Join(t.TempDir(), "vigil.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, n := range []int{1, benBlock, 2*benBlock + 17, 3 * benBlock} {
		bens := make([]vigil.Beneficiary, n)
		for i := range bens {
			bens[i] = vigil.Beneficiary{ID: fmt.Sprintf("BEN-%07d", i), Name: fmt.Sprint("NAME ", i%977), Names: []string{fmt.Sprint("NAME ", i%977), fmt.Sprint("N ", i)},
				Phones: []string{fmt.Sprint("+63917", i)}, City: "CEBU CITY", Country: "PH", BirthDate: vigil.Date{Year: 1970 + i%40, Month: i % 13, Day: i % 29}}
			if i%3 == 0 {
				bens[i].Accounts, bens[i].PartyID = []string{fmt.Sprint("ACC", i)}, fmt.Sprint("P", i)
			}
		}
		tx, err := db.db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM beneficiary_blocks`); err != nil {
			t.Fatal(err)
		}
		if err := saveBeneficiaryBlocks(ctx, tx, n, func(i int) *vigil.Beneficiary { return &bens[i] }); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		got, err := db.Beneficiaries(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, bens) {
			t.Fatalf("%d beneficiaries: read back differ", n)
		}
		if n < 2*benBlock {
			continue
		}
		if _, err := db.db.ExecContext(ctx, `DELETE FROM beneficiary_blocks WHERE first_ben = ?`, benBlock); err != nil {
			t.Fatal(err)
		}
		if got, err := db.Beneficiaries(ctx); err == nil || !strings.Contains(err.Error(), "damaged") {
			t.Fatalf("%d beneficiaries, the second block lost: %d read, error %v", n, len(got), err)
		}
	}
}

// TestScanResolutionRowIDs: the rowids a scan observed read back as
// observed, whether consecutive (not stored one by one) or with gaps, and
// order is judged on every one.
func TestScanResolutionRowIDs(t *testing.T) {
	for _, c := range []struct {
		rowids  []int64
		inOrder bool
	}{
		{[]int64{1, 2, 3, 4}, true},
		{[]int64{5, 6, 9, 10, 200}, true},
		{[]int64{3, 4, 4}, false},
		{[]int64{1, 3, 2}, false},
		{[]int64{7}, true},
	} {
		s := NewScanResolution(0)
		for i, r := range c.rowids {
			s.Observed(r, int32(i))
		}
		if s.InOrder() != c.inOrder {
			t.Errorf("%v: in order %v, want %v", c.rowids, s.InOrder(), c.inOrder)
		}
		for i, r := range c.rowids {
			if got := s.rowID(i); got != r {
				t.Errorf("%v: rowid %d read back as %d", c.rowids, r, got)
			}
		}
		if s.last != c.rowids[len(c.rowids)-1] || len(s.nodes) != len(c.rowids) {
			t.Errorf("%v: last %d of %d", c.rowids, s.last, len(s.nodes))
		}
	}
}
