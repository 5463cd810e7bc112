package sqlite

import (
	"context"
	"database/sql/driver"
	"fmt"
	"io"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unsafe"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/graph"
)

// The C read (cRows) gives every value as str and i64 give the driver's:
// NULL, integers at both ends, floats, texts (empty, non-ASCII, longer
// than the text buffer) and blobs, over more rows than one cgo call.
func TestRowsBulkValues(t *testing.T) {
	if !mattnAvailable {
		t.Skip("built without cgo: no mattn driver, no C read")
	}
	ctx := context.Background()
	db, err := OpenDriver(filepath.Join(t.TempDir(), "v.db"), DriverMattn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.SQL().Exec(`CREATE TABLE vals (a, b, c TEXT, d INTEGER)`); err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("Ma. Cristina 山田 ", 9000) // 180 KB: more than the buffer
	odd := [][4]any{
		{nil, nil, nil, nil},
		{int64(9223372036854775807), int64(-9223372036854775808), "", int64(-1)},
		{1.5, -2.75, "María José", 1e30},
		{"", []byte{}, []byte{0, 0xff, 'a'}, "12abc"},
		{long, "x", long[:7], 0},
		{"\x00in\x00", -1e300, "١٢٣", 3.9999},
	}
	const n = 3000
	tx, err := db.SQL().Begin()
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		row := [4]any{fmt.Sprintf("T%06d", i), int64(i * 7919), fmt.Sprintf("city %d é", i%13), int64(-i)}
		if i%500 < len(odd) {
			row = odd[i%500]
		}
		if _, err := tx.Exec(`INSERT INTO vals VALUES (?, ?, ?, ?)`, row[:]...); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	const query = `SELECT rowid, a, b, c, d FROM vals WHERE rowid >= ? AND rowid < ? ORDER BY rowid`
	var want []string
	if err := db.rawRows(ctx, query, []any{int64(1), int64(n + 1)}, 5, func(v []driver.Value) error {
		var b strings.Builder
		for _, x := range v {
			fmt.Fprintf(&b, "%q %d|", str(x), i64(x))
		}
		want = append(want, b.String())
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	conn, err := db.SQL().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var got []string
	if err := conn.Raw(func(dc any) error {
		cr := prepareRows(dc, query, 5)
		if cr == nil {
			t.Fatal("the C API did not prepare the query on a mattn connection (mattnHandle lost?)")
		}
		defer cr.close()
		// Twice, to check that query starts again.
		for range 2 {
			got = got[:0]
			if err := cr.query(1, n+1); err != nil {
				return err
			}
			for {
				k, err := cr.next()
				if err != nil {
					return err
				}
				if k == 0 {
					break
				}
				for i := range k {
					r := cr.row(i)
					s, base := cr.rowText(r)
					var b strings.Builder
					for c := range 5 {
						fmt.Fprintf(&b, "%q %d|", cStr(r, c, s, base), cI64(r, c))
					}
					got = append(got, b.String())
				}
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) != n || len(want) != n {
		t.Fatalf("%d rows through C, %d through the driver, want %d", len(got), len(want), n)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("row %d: through C %.200s\nthrough the driver %.200s", i+1, got[i], want[i])
		}
	}
}

// rowsStore makes a store of n transfers with a kept resolution, and
// odd stored values: NULL-free but empty texts, non-ASCII, a blob, large
// and negative amounts, a float amount, partial birth dates, rowid gaps.
func rowsStore(t *testing.T, drv string, n int) *DB {
	t.Helper()
	ctx := context.Background()
	db, err := OpenDriver(filepath.Join(t.TempDir(), "v.db"), drv)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	l, err := db.BeginBulkLoad(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 7 {
		if err := l.AddParty(&vigil.Party{ID: fmt.Sprintf("P%02d", i), Kind: vigil.PartyPerson, FullName: "Person", Source: "p.csv:2"}); err != nil {
			t.Fatal(err)
		}
	}
	births := []string{"", "1990-05-17", "1987-02", "2001"}
	for i := range n {
		tr := bulkTransfer(i)
		tr.BeneficiaryAccount = []string{"", "ACC-1", "PH12 3456", "帳戶"}[i%4]
		tr.BeneficiaryCity = []string{"Angeles", "", "Quezon City", "Dumaguete"}[i%4]
		tr.BeneficiaryID = fmt.Sprintf("B%d", i%97)
		if d, reason := vigil.ParseDate(births[i%4]); reason == "" {
			tr.BeneficiaryBirthDate = d
		}
		if err := l.AddTransfer(tr); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Commit(nil); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`UPDATE transfers SET amount = 9223372036854775807 WHERE rowid = 3`,
		`UPDATE transfers SET amount = -9223372036854775808 WHERE rowid = 4`,
		`UPDATE transfers SET amount = -15000000 WHERE rowid = 5`,
		`UPDATE transfers SET amount = 12.75 WHERE rowid = 6`,
		`UPDATE transfers SET beneficiary_city = x'c3a96e' WHERE rowid = 7`,
		`UPDATE transfers SET purpose = '', currency = '' WHERE rowid = 8`,
		`UPDATE transfers SET ts_off = 20700, ts_ns = -1 WHERE rowid = 9`,
		`DELETE FROM transfers WHERE rowid IN (10, 11, 8192, 8193, 9000)`,
	} {
		if _, err := db.SQL().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := db.LoadGraph(ctx, GraphOptions{Graph: graph.Options{NoSeedIndex: true}, Log: io.Discard}); err != nil {
		t.Fatal(err)
	}
	return db
}

type readRows struct {
	transfers []vigil.Transfer
	rowids    []int64
	bens      []int32
}

func readAllRows(db *DB, opt RowsOptions, bulk bool) (*readRows, error) {
	defer func(b bool) { rowsBulk = b }(rowsBulk)
	rowsBulk = bulk
	rr, err := db.ReadTransferRows(context.Background(), opt)
	if err != nil {
		return nil, err
	}
	defer rr.Close()
	var out readRows
	for {
		bt, ok, err := rr.Next()
		if err != nil {
			return nil, err
		}
		if !ok {
			return &out, nil
		}
		out.transfers = append(out.transfers, bt.Transfers...)
		out.rowids = append(out.rowids, bt.RowIDs...)
		out.bens = append(out.bens, bt.Bens...)
	}
}

// ReadTransferRows gives through the C read exactly what it gives through
// the driver (mattn with the C read off, and modernc): every field of
// every transfer, the rowids and the kept beneficiaries, and the same
// error for a damaged birth date.
func TestReadTransferRowsThroughC(t *testing.T) {
	const n = 20000
	stores := map[string]*DB{DriverModernc: rowsStore(t, DriverModernc, n)}
	if mattnAvailable {
		stores[DriverMattn] = rowsStore(t, DriverMattn, n)
	}
	opts := []RowsOptions{{}, {Recipient: true}, {Assigned: true, Readers: 3}, {Recipient: true, MaxRowID: 9001, Readers: 1}}
	for _, opt := range opts {
		ref, err := readAllRows(stores[DriverModernc], opt, true)
		if err != nil {
			t.Fatal(err)
		}
		if opt.MaxRowID == 0 && len(ref.transfers) != n-5 {
			t.Fatalf("%+v: %d transfers read, want %d", opt, len(ref.transfers), n-5)
		}
		if opt.Assigned != (len(ref.bens) == len(ref.transfers)) || (!opt.Assigned && len(ref.bens) != 0) {
			t.Fatalf("%+v: %d beneficiaries for %d transfers", opt, len(ref.bens), len(ref.transfers))
		}
		if ref.transfers[2].Amount != 9223372036854775807 || ref.transfers[3].Amount != -9223372036854775808 ||
			ref.transfers[5].Amount != 12 || ref.transfers[6].BeneficiaryCity != "én" || ref.transfers[7].Currency != "" {
			t.Fatalf("%+v: odd values read as %+v", opt, ref.transfers[2:8])
		}
		if !mattnAvailable {
			continue
		}
		for _, bulk := range []bool{true, false} {
			got, err := readAllRows(stores[DriverMattn], opt, bulk)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.rowids, ref.rowids) || !reflect.DeepEqual(got.bens, ref.bens) || len(got.transfers) != len(ref.transfers) {
				t.Fatalf("%+v bulk=%v: %d rows, rowids or beneficiaries differ from modernc's", opt, bulk, len(got.transfers))
			}
			for i := range got.transfers {
				g, w := &got.transfers[i], &ref.transfers[i]
				if !reflect.DeepEqual(g, w) || g.Timestamp.String() != w.Timestamp.String() {
					t.Fatalf("%+v bulk=%v: transfer %d\n got %+v\nwant %+v", opt, bulk, i, *g, *w)
				}
			}
		}
	}
	if !mattnAvailable {
		t.Skip("built without cgo: only the driver read compared")
	}
	db := stores[DriverMattn]
	if _, err := db.SQL().Exec(`UPDATE transfers SET beneficiary_birth_date = '1990-13-45' WHERE rowid = 12345`); err != nil {
		t.Fatal(err)
	}
	_, errC := readAllRows(db, RowsOptions{}, true)
	_, errD := readAllRows(db, RowsOptions{}, false)
	if errC == nil || errD == nil || errC.Error() != errD.Error() || !strings.Contains(errC.Error(), "beneficiary_birth_date") {
		t.Fatalf("damaged birth date: through C %v, through the driver %v", errC, errD)
	}
}

// partyNames (the graph's parties, read on its own goroutine while a
// first trace resolves) gives through the C read what the driver gives,
// and what PartyIdentities gives of each party: its id and full name,
// over more rows than one cgo call.
func TestPartyNamesThroughC(t *testing.T) {
	ctx := context.Background()
	drivers := []string{DriverModernc}
	if mattnAvailable {
		drivers = append(drivers, DriverMattn)
	}
	var ref []vigil.Party
	for _, drv := range drivers {
		db, err := OpenDriver(filepath.Join(t.TempDir(), "v.db"), drv)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		l, err := db.BeginBulkLoad(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 2500 {
			name := []string{"SANTOS, Maria Cristina", "Đặng Thị Ánh", "O'Brien-Smith Jr.", strings.Repeat("Dela Cruz ", 40)}[i%4]
			if err := l.AddParty(&vigil.Party{ID: fmt.Sprintf("P%05d", i), Kind: vigil.PartyPerson, FullName: name, Source: "p.csv:2"}); err != nil {
				t.Fatal(err)
			}
		}
		if err := l.Commit(nil); err != nil {
			t.Fatal(err)
		}
		ids, err := db.PartyIdentities(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(ids) != 2500 {
			t.Fatalf("%s: %d parties stored", drv, len(ids))
		}
		for _, bulk := range []bool{true, false} {
			rowsBulk = bulk
			got, err := db.partyNames(ctx)
			rowsBulk = true
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(ids) {
				t.Fatalf("%s bulk=%v: %d names for %d parties", drv, bulk, len(got), len(ids))
			}
			for i := range got {
				if got[i] != (vigil.Party{ID: ids[i].ID, FullName: ids[i].FullName}) {
					t.Fatalf("%s bulk=%v: party %d read as %+v, PartyIdentities %q %q", drv, bulk, i, got[i], ids[i].ID, ids[i].FullName)
				}
			}
			if ref == nil {
				ref = got
			} else if !reflect.DeepEqual(got, ref) {
				t.Fatalf("%s bulk=%v: names differ from %s's", drv, bulk, drivers[0])
			}
		}
	}
}

// batchTransfers over a reader of shared texts (RowsOptions.SharedText,
// LoadGraph's feed) gives every transfer as the reader of rows' own
// strings does: through Read with strings that stay valid after later
// batches reuse the reader's texts, through ReadShared as views of the
// caller's buffer.
func TestBatchTransfersShared(t *testing.T) {
	const n = 6*rowChunk + 100 // one connection reads 7 chunks, reusing batches
	drivers := []string{DriverModernc}
	if mattnAvailable {
		drivers = append(drivers, DriverMattn)
	}
	for _, drv := range drivers {
		db := rowsStore(t, drv, n)
		ref, err := readAllRows(db, RowsOptions{Recipient: true}, true)
		if err != nil {
			t.Fatal(err)
		}
		for _, viaShared := range []bool{false, true} {
			rr, err := db.ReadTransferRows(context.Background(), RowsOptions{Recipient: true, SharedText: true, Readers: 1})
			if err != nil {
				t.Fatal(err)
			}
			src := &batchTransfers{rr: rr, shared: true}
			var got []vigil.Transfer
			var buf []byte
			for i := 0; ; i++ {
				var tr vigil.Transfer
				if viaShared {
					if i%100 == 0 {
						buf = buf[:0] // as graph.Feed empties its batch's buffer
					}
					err = src.ReadShared(&tr, &buf)
				} else {
					err = src.Read(&tr)
				}
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				if viaShared && i < len(ref.transfers) && !reflect.DeepEqual(tr, ref.transfers[i]) {
					t.Fatalf("%s ReadShared: transfer %d\n got %+v\nwant %+v", drv, i, tr, ref.transfers[i])
				}
				// Its strings are views of the caller's buffer, not of
				// the reader's texts (which the next batches reuse).
				if viaShared && len(buf) > 0 {
					fields := []*string{&tr.ID, &tr.SenderID, &tr.BeneficiaryID, &tr.BeneficiaryName, &tr.BeneficiaryPhone,
						&tr.BeneficiaryAccount, &tr.BeneficiaryCity, &tr.BeneficiaryCountry, &tr.Currency, &tr.Purpose}
					if !within(fields, unsafe.String(&buf[0], len(buf))) {
						t.Fatalf("%s ReadShared: transfer %d's strings are not views of the caller's buffer", drv, i)
					}
				}
				got = append(got, tr)
			}
			rr.Close()
			if len(got) != len(ref.transfers) || !reflect.DeepEqual(src.rowids, ref.rowids) {
				t.Fatalf("%s shared=%v: %d transfers, want %d (or rowids differ)", drv, viaShared, len(got), len(ref.transfers))
			}
			if !viaShared {
				for i := range got { // after every batch was read: still each row's own
					if !reflect.DeepEqual(got[i], ref.transfers[i]) {
						t.Fatalf("%s Read: transfer %d after the read\n got %+v\nwant %+v", drv, i, got[i], ref.transfers[i])
					}
				}
			}
		}
	}
}
