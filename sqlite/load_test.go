package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/sqlite"
)

func party(i int) *vigil.Party {
	return &vigil.Party{ID: fmt.Sprintf("P%04d", i), Kind: vigil.PartyPerson, FullName: fmt.Sprintf("Person %d", i),
		BirthDate: vigil.Date{Year: 1960 + i%30, Month: 1 + i%12}, Country: "AU", Source: fmt.Sprintf("parties.csv:%d", i+2)}
}

var base = time.Date(2024, 3, 1, 22, 0, 0, 0, time.FixedZone("", 10*3600))

func transfer(i, parties int) *vigil.Transfer {
	return &vigil.Transfer{ID: fmt.Sprintf("T%06d", i), Timestamp: base.Add(time.Duration(i%97) * time.Hour),
		SenderID: fmt.Sprintf("P%04d", i%parties), BeneficiaryName: "Maria Santos", BeneficiaryPhone: "+639171234567",
		BeneficiaryCountry: "PH", Amount: vigil.NewAmount(int64(15+i%180), 0), Currency: "AUD",
		Channel: vigil.ChannelRemittance, Purpose: "school fees", Source: fmt.Sprintf("transfers.csv:%d", i+2)}
}

// loadWorld loads n parties and m transfers in one load and commits.
func loadWorld(t *testing.T, db *sqlite.DB, n, m int, onConflict func(*sqlite.Conflict)) *sqlite.Load {
	t.Helper()
	l, err := db.BeginLoad(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	l.OnConflict = onConflict
	for i := range n {
		if err := l.AddParty(party(i)); err != nil {
			t.Fatal(err)
		}
	}
	for i := range m {
		if err := l.AddTransfer(transfer(i, n)); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Commit(nil); err != nil {
		t.Fatal(err)
	}
	return l
}

func count(t *testing.T, db *sqlite.DB, table string) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestLoadIdempotent(t *testing.T) {
	for _, drv := range drivers() {
		t.Run(drv, func(t *testing.T) {
			db, err := sqlite.OpenDriver(filepath.Join(t.TempDir(), "v.db"), drv)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			const n, m = 50, 1234 // not a multiple of the batch size
			declared := indexes(t, db, "transfers")
			if len(declared) < 3 {
				t.Fatalf("transfers has indexes %v", declared)
			}
			l := loadWorld(t, db, n, m, func(c *sqlite.Conflict) { t.Errorf("unexpected conflict %v", c) })
			if c := l.Counts(sqlite.KindTransfers); c != (sqlite.Counts{Inserted: m}) {
				t.Fatalf("first load transfers %+v", c)
			}
			if c := l.Counts(sqlite.KindParties); c != (sqlite.Counts{Inserted: n}) {
				t.Fatalf("first load parties %+v", c)
			}
			l = loadWorld(t, db, n, m, func(c *sqlite.Conflict) { t.Errorf("unexpected conflict %v", c) })
			if c := l.Counts(sqlite.KindTransfers); c != (sqlite.Counts{Unchanged: m}) {
				t.Fatalf("second load transfers %+v", c)
			}
			if c := l.Counts(sqlite.KindParties); c != (sqlite.Counts{Unchanged: n}) {
				t.Fatalf("second load parties %+v", c)
			}
			if got := count(t, db, "transfers"); got != m {
				t.Fatalf("transfers = %d, want %d", got, m)
			}
			if got := indexes(t, db, "transfers"); !slices.Equal(got, declared) {
				t.Fatalf("indexes after load = %v", got)
			}
			var plan string
			db.SQL().QueryRow(`EXPLAIN QUERY PLAN SELECT * FROM transfers WHERE sender_id = 'P0001' ORDER BY ts_ns`).Scan(new(int), new(int), new(int), &plan)
			if plan != "SEARCH transfers USING INDEX transfers_sender_time (sender_id=?)" {
				t.Fatalf("plan = %q", plan)
			}
			if got := count(t, db, "loads"); got != 2 {
				t.Fatalf("loads = %d, want 2", got)
			}
		})
	}
}

func TestLoadConflict(t *testing.T) {
	db := mustOpen(t, filepath.Join(t.TempDir(), "v.db"))
	loadWorld(t, db, 10, 500, nil)

	l, err := db.BeginLoad(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got []*sqlite.Conflict
	l.OnConflict = func(c *sqlite.Conflict) { got = append(got, c) }
	for i := range 500 {
		tr := transfer(i, 10)
		tr.Source = fmt.Sprintf("again.csv:%d", i+2)
		if i == 7 {
			tr.Amount += 1 // one millionth more
			tr.Purpose = "medical"
		}
		if err := l.AddTransfer(tr); err != nil {
			t.Fatal(err)
		}
	}
	// A duplicate id within this load with the same content is unchanged,
	// with other content a conflict.
	dup := transfer(600, 10)
	if err := l.AddTransfer(dup); err != nil {
		t.Fatal(err)
	}
	same := *dup
	same.Source = "again.csv:999"
	l.AddTransfer(&same)
	other := *dup
	other.Source = "again.csv:1000"
	other.BeneficiaryName = "Ma. Santos"
	l.AddTransfer(&other)
	if err := l.Commit(nil); err != nil {
		t.Fatal(err)
	}
	if c := l.Counts(sqlite.KindTransfers); c != (sqlite.Counts{Inserted: 1, Unchanged: 500, Conflicts: 2}) {
		t.Fatalf("counts %+v", c)
	}
	if len(got) != 2 {
		t.Fatalf("conflicts %v", got)
	}
	c := got[0]
	if c.ID != "T000007" || c.Source != "again.csv:9" || c.StoredSource != "transfers.csv:9" || !slices.Equal(c.Fields, []string{"amount", "purpose"}) {
		t.Fatalf("conflict = %+v", c)
	}
	if want := "transfer T000007 is already stored (from transfers.csv:9) with other content in amount, purpose; the stored record is kept"; c.Error() != want {
		t.Fatalf("message %q", c.Error())
	}
	c = got[1]
	if c.ID != "T000600" || c.Source != "again.csv:1000" || c.StoredSource != dup.Source || !slices.Equal(c.Fields, []string{"beneficiary_name"}) {
		t.Fatalf("conflict = %+v", c)
	}
	// The stored record was not overwritten.
	ts, err := db.FindTransfers(context.Background(), vigil.TransferFilter{SenderID: ptr("P0007")})
	if err != nil {
		t.Fatal(err)
	}
	for _, tr := range ts {
		if tr.ID == "T000007" && (tr.Amount != transfer(7, 10).Amount || tr.Purpose != "school fees") {
			t.Fatalf("stored transfer was overwritten: %+v", tr)
		}
	}
}

func TestLoadUnknownSenderAndRollback(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, filepath.Join(t.TempDir(), "v.db"))
	loadWorld(t, db, 3, 10, nil)
	declared := indexes(t, db, "transfers")

	l, err := db.BeginLoad(ctx)
	if err != nil {
		t.Fatal(err)
	}
	bad := transfer(100, 3)
	bad.SenderID = "NOBODY"
	err = l.AddTransfer(bad)
	if vigil.ErrorCode(err) != vigil.EINVALID || vigil.ErrorMessage(err) != `sender_id "NOBODY" is no known party: load the parties file first (in the same or an earlier ingest)` {
		t.Fatalf("unknown sender: %v", err)
	}
	// A party added earlier in the same load is known.
	if err := l.AddParty(&vigil.Party{ID: "NOBODY", Kind: vigil.PartyPerson, FullName: "Now Known"}); err != nil {
		t.Fatal(err)
	}
	if err := l.AddTransfer(bad); err != nil {
		t.Fatalf("sender added in this load: %v", err)
	}
	for i := 200; i < 700; i++ {
		if err := l.AddTransfer(transfer(i, 3)); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Rollback(); err != nil {
		t.Fatal(err)
	}
	if n := count(t, db, "transfers"); n != 10 {
		t.Fatalf("transfers after rollback = %d, want 10", n)
	}
	if got := indexes(t, db, "transfers"); !slices.Equal(got, declared) {
		t.Fatalf("indexes after rollback = %v", got)
	}
	if _, err := db.FindPartyByID(ctx, "NOBODY"); vigil.ErrorCode(err) != vigil.ENOTFOUND {
		t.Fatalf("party after rollback: %v", err)
	}
}

func TestLoadValidatesAndLeadsAndCalls(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, filepath.Join(t.TempDir(), "v.db"))
	l, err := db.BeginLoad(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.AddParty(&vigil.Party{ID: "X", Kind: vigil.PartyPerson}); vigil.ErrorCode(err) != vigil.EINVALID {
		t.Fatalf("party without name: %v", err)
	}
	lead := &vigil.Lead{ID: "L1", FullName: "Juan Dela Cruz", Phone: "09171234567", Country: "PH", Source: "seeds.csv:2"}
	if err := l.AddLead(sqlite.ListSeeds, lead); err != nil {
		t.Fatal(err)
	}
	// The same id in another list is another lead.
	if err := l.AddLead(sqlite.ListLeads, lead); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2024, 5, 1, 23, 30, 0, 500, time.FixedZone("", 8*3600))
	for i, id := range []string{"E2", "E1"} {
		e := &vigil.CallEvent{ID: id, Timestamp: at.Add(time.Duration(-i) * time.Minute), Account: "fac1", Counterpart: "buyer9",
			Direction: vigil.DirectionIn, Kind: vigil.KindVideo, DurationS: 600, Source: "calls.csv:2"}
		if err := l.AddCallEvent(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Commit([]byte(`{"files":1}`)); err != nil {
		t.Fatal(err)
	}
	seeds, err := db.FindLeads(ctx, sqlite.ListSeeds)
	if err != nil || len(seeds) != 1 || *seeds[0] != *lead {
		t.Fatalf("seeds = %v, %v", seeds, err)
	}
	all, _ := db.FindLeads(ctx, "")
	if len(all) != 2 {
		t.Fatalf("all leads = %d", len(all))
	}
	var ids []string
	err = db.EachCallEvent(ctx, "fac1", func(e *vigil.CallEvent) error {
		ids = append(ids, e.ID)
		if e.ID == "E2" && (!e.Timestamp.Equal(at) || e.Timestamp.Format(time.RFC3339Nano) != at.Format(time.RFC3339Nano) || e.DurationS != 600) {
			t.Errorf("event E2 = %+v", e)
		}
		return nil
	})
	if err != nil || !slices.Equal(ids, []string{"E1", "E2"}) {
		t.Fatalf("call events %v, %v", ids, err)
	}
}

func ptr[T any](v T) *T { return &v }

func indexes(t *testing.T, db *sqlite.DB, table string) []string {
	t.Helper()
	rows, err := db.SQL().Query(`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name`, table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		names = append(names, n)
	}
	return names
}

func journalMode(t *testing.T, db *sqlite.DB) string {
	t.Helper()
	var mode string
	if err := db.SQL().QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil {
		t.Fatal(err)
	}
	return mode
}

// A bulk load runs with a rollback journal when it has the store to
// itself, and in WAL when another connection has the store open; either
// way it is one transaction, the store is back in WAL afterwards and a
// rollback leaves every table and index as it was.
func TestBulkLoad(t *testing.T) {
	ctx := context.Background()
	for _, drv := range drivers() {
		t.Run(drv, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "v.db")
			db, err := sqlite.OpenDriver(path, drv)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			loadWorld(t, db, 20, 300, nil)
			declared := indexes(t, db, "transfers")

			l, err := db.BeginBulkLoad(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if l.Journal() != "delete" {
				t.Fatalf("bulk load alone runs in %q, want delete", l.Journal())
			}
			for i := 1000; i < 1700; i++ {
				if err := l.AddTransfer(transfer(i, 20)); err != nil {
					t.Fatal(err)
				}
			}
			if err := l.Rollback(); err != nil {
				t.Fatal(err)
			}
			if n := count(t, db, "transfers"); n != 300 {
				t.Fatalf("transfers after rollback = %d, want 300", n)
			}
			if got := indexes(t, db, "transfers"); !slices.Equal(got, declared) {
				t.Fatalf("indexes after rollback = %v", got)
			}
			if m := journalMode(t, db); m != "wal" {
				t.Fatalf("journal mode after a bulk load = %q", m)
			}

			l, err = db.BeginBulkLoad(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for i := 1000; i < 1700; i++ {
				if err := l.AddTransfer(transfer(i, 20)); err != nil {
					t.Fatal(err)
				}
			}
			if err := l.Commit(nil); err != nil {
				t.Fatal(err)
			}
			if n := count(t, db, "transfers"); n != 1000 || journalMode(t, db) != "wal" {
				t.Fatalf("after a bulk load: %d transfers, journal %q", n, journalMode(t, db))
			}

			// Another connection (here a second handle, as a running
			// `vigil serve` would hold) keeps the load in WAL.
			other, err := sqlite.OpenDriver(path, drv)
			if err != nil {
				t.Fatal(err)
			}
			defer other.Close()
			if n := count(t, other, "transfers"); n != 1000 {
				t.Fatalf("other handle sees %d transfers", n)
			}
			l, err = db.BeginBulkLoad(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if l.Journal() != "wal" {
				t.Fatalf("bulk load beside another connection runs in %q, want wal", l.Journal())
			}
			if err := l.AddTransfer(transfer(5000, 20)); err != nil {
				t.Fatal(err)
			}
			if err := l.Commit(nil); err != nil {
				t.Fatal(err)
			}
			if n := count(t, other, "transfers"); n != 1001 {
				t.Fatalf("other handle sees %d transfers after the load", n)
			}
		})
	}
}

// A load that defers indexes keeps those whose keys arrive in order (time,
// and beneficiary_id, empty but in 10 rows; a partial index) up to date row by row and rebuilds
// the others; an index whose keys stop arriving in order is dropped during
// the load and rebuilt too. Either way every index holds exactly the rows
// of the table afterwards.
func TestLoadKeepsOrderedIndexesLive(t *testing.T) {
	ctx := context.Background()
	const parties = 50
	for _, tc := range []struct {
		name     string
		shuffle  int // from this row on, timestamps come in no order
		deferred []string
	}{
		{"time order", 1 << 30, []string{"transfers_beneficiary_name", "transfers_sender_time"}},
		{"order breaks", 600, []string{"transfers_beneficiary_name", "transfers_sender_time", "transfers_time"}},
	} {
		for _, drv := range drivers() {
			t.Run(tc.name+"/"+drv, func(t *testing.T) {
				db, err := sqlite.OpenDriver(filepath.Join(t.TempDir(), "v.db"), drv)
				if err != nil {
					t.Fatal(err)
				}
				defer db.Close()
				declared := indexes(t, db, "transfers")
				l, err := db.BeginBulkLoad(ctx)
				if err != nil {
					t.Fatal(err)
				}
				for i := range parties {
					if err := l.AddParty(party(i)); err != nil {
						t.Fatal(err)
					}
				}
				names := []string{"Maria Santos", "Ana Reyes", "Jose Cruz", "Liza Bautista"}
				for i := range 2000 {
					tr := transfer(i, parties)
					tr.SenderID = fmt.Sprintf("P%04d", (i*37)%parties)
					tr.BeneficiaryName = names[(i*7)%len(names)]
					tr.Timestamp = base.Add(time.Duration(i) * time.Minute)
					if i >= tc.shuffle {
						tr.Timestamp = base.Add(time.Duration((i*7919)%2000) * time.Minute)
					}
					if i%200 == 199 { // a few transfers to known parties
						tr.BeneficiaryID = fmt.Sprintf("P%04d", i/200)
					}
					if err := l.AddTransfer(tr); err != nil {
						t.Fatal(err)
					}
				}
				if err := l.Flush(); err != nil {
					t.Fatal(err)
				}
				got := l.DeferredIndexes()
				slices.Sort(got)
				if !slices.Equal(got, tc.deferred) {
					t.Errorf("deferred indexes = %v, want %v", got, tc.deferred)
				}
				if err := l.Commit(nil); err != nil {
					t.Fatal(err)
				}
				if got := indexes(t, db, "transfers"); !slices.Equal(got, declared) {
					t.Fatalf("indexes after load = %v, want %v", got, declared)
				}
				var check string
				if err := db.SQL().QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
					t.Fatalf("integrity_check = %q, %v", check, err)
				}
				var n int
				db.SQL().QueryRow(`SELECT count(*) FROM transfers INDEXED BY transfers_time WHERE ts_ns >= 0`).Scan(&n)
				if n != 2000 {
					t.Fatalf("time index holds %d rows, want 2000", n)
				}
				// transfers_beneficiary (partial since 0005) stayed live and
				// holds the transfers to known parties, and only them.
				db.SQL().QueryRow(`SELECT count(*) FROM transfers INDEXED BY transfers_beneficiary WHERE beneficiary_id <> ''`).Scan(&n)
				if n != 10 {
					t.Fatalf("beneficiary index holds %d rows, want 10", n)
				}
			})
		}
	}
}

// TestLoadBatchMixesNewStoredAndRepeated checks the batched path (INSERT
// OR IGNORE, then the skipped rows found by rowid) on full batches that mix
// new ids, ids already stored (same and other content) and ids repeated
// within the batch, on both drivers.
func TestLoadBatchMixesNewStoredAndRepeated(t *testing.T) {
	for _, drv := range drivers() {
		t.Run(drv, func(t *testing.T) {
			db, err := sqlite.OpenDriver(filepath.Join(t.TempDir(), "v.db"), drv)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			loadWorld(t, db, 10, 100, nil) // T000000–T000099 stored

			l, err := db.BeginLoad(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			var got []*sqlite.Conflict
			l.OnConflict = func(c *sqlite.Conflict) { got = append(got, c) }
			add := func(tr *vigil.Transfer) {
				t.Helper()
				if err := l.AddTransfer(tr); err != nil {
					t.Fatal(err)
				}
			}
			line := 2
			next := func(tr *vigil.Transfer) *vigil.Transfer {
				tr.Source = fmt.Sprintf("mixed.csv:%d", line)
				line++
				return tr
			}
			// First batch (200 rows): 50 stored (one changed), 140 new,
			// then repeats of new ids: 5 with the same content, 5 with
			// other content.
			for i := range 50 {
				tr := next(transfer(i, 10))
				if i == 3 {
					tr.Purpose = "medical"
				}
				add(tr)
			}
			for i := 100; i < 240; i++ {
				add(next(transfer(i, 10)))
			}
			for i := 100; i < 110; i++ {
				tr := next(transfer(i, 10))
				if i >= 105 {
					tr.BeneficiaryName = "Ma. Santos"
				}
				add(tr)
			}
			// Second batch: 200 new rows, all inserted.
			for i := 240; i < 440; i++ {
				add(next(transfer(i, 10)))
			}
			if err := l.Commit(nil); err != nil {
				t.Fatal(err)
			}
			if c := l.Counts(sqlite.KindTransfers); c != (sqlite.Counts{Inserted: 340, Unchanged: 54, Conflicts: 6}) {
				t.Fatalf("counts %+v", c)
			}
			if len(got) != 6 {
				t.Fatalf("conflicts %v", got)
			}
			if c := got[0]; c.ID != "T000003" || c.Source != "mixed.csv:5" || c.StoredSource != "transfers.csv:5" || !slices.Equal(c.Fields, []string{"purpose"}) {
				t.Fatalf("conflict = %+v", c)
			}
			// T000105 first came at line 2+50+5, again at 2+190+5.
			if c := got[1]; c.ID != "T000105" || c.Source != "mixed.csv:197" || c.StoredSource != "mixed.csv:57" || !slices.Equal(c.Fields, []string{"beneficiary_name"}) {
				t.Fatalf("conflict = %+v", c)
			}
			if n := count(t, db, "transfers"); n != 440 {
				t.Fatalf("transfers = %d, want 440", n)
			}
			var name, src string
			if err := db.SQL().QueryRow(`SELECT beneficiary_name, ls.name || ':' || source_line FROM transfers JOIN load_sources ls USING (source_id) WHERE transfer_id = 'T000107'`).Scan(&name, &src); err != nil || name != "Maria Santos" || src != "mixed.csv:59" {
				t.Fatalf("T000107 stored as %q from %q (%v): the first row must win", name, src, err)
			}
			var check string
			if err := db.SQL().QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
				t.Fatalf("integrity_check = %q, %v", check, err)
			}
		})
	}
}

// The load's set of party ids (no pointer per id) grows through several
// sizes here; membership must stay exact: ids that share a prefix, differ
// in one byte or are empty are not taken for one another, and a party
// already in the store is found by the sender check.
func TestLoadPartyIDSetIsExact(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, filepath.Join(t.TempDir(), "v.db"))
	loadWorld(t, db, 3, 0, nil) // P0000..P0002 stored before the load
	l, err := db.BeginLoad(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Rollback()
	const n = 20000
	for i := 0; i < n; i++ {
		p := &vigil.Party{ID: fmt.Sprintf("Q%d", i), Kind: vigil.PartyPerson, FullName: "Some Body"}
		if err := l.AddParty(p); err != nil {
			t.Fatal(err)
		}
	}
	// Ids longer than the 8 bytes a slot holds, sharing their first 8.
	for i := 0; i < 2000; i++ {
		p := &vigil.Party{ID: fmt.Sprintf("LONGPREFIX-%d", i), Kind: vigil.PartyPerson, FullName: "Some Body"}
		if err := l.AddParty(p); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < n; i++ {
		if id := fmt.Sprintf("Q%d", i); !l.AddedParty(id) {
			t.Fatalf("party %s added but not found", id)
		}
	}
	for i := 0; i < 2000; i++ {
		if id := fmt.Sprintf("LONGPREFIX-%d", i); !l.AddedParty(id) {
			t.Fatalf("party %s added but not found", id)
		}
	}
	for _, id := range []string{"Q", "Q20000", "Q-1", "q1", "Q1 ", "Q01", "P0000", "", "Q1\x00", "Q12345\x00\x00",
		"LONGPREFIX-", "LONGPREFIX-2000", "LONGPREFIX-1x", "LONGPREF", "LONGPREFIX-01"} {
		if l.AddedParty(id) {
			t.Fatalf("%q taken for a party added in this load", id)
		}
	}
	tr := transfer(1, 3)
	tr.SenderID = "P0002" // stored, not added: found by the store's query
	if err := l.AddTransfer(tr); err != nil {
		t.Fatalf("stored sender: %v", err)
	}
	tr = transfer(2, 3)
	tr.SenderID = "Q20000"
	if err := l.AddTransfer(tr); vigil.ErrorCode(err) != vigil.EINVALID {
		t.Fatalf("unknown sender Q20000: %v", err)
	}
	tr = transfer(3, 3)
	tr.SenderID = "Q19999"
	if err := l.AddTransfer(tr); err != nil {
		t.Fatalf("sender added in this load: %v", err)
	}
}
