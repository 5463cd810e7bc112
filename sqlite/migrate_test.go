package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/vigilfiu/vigil"
)

// oldTransfers are transfers as a store made before migration 0002 holds
// them, with the timestamps and sources that are hard to carry over:
// offsets east and west of UTC, in half and quarter hours, Z, fractions
// down to the nanosecond, an instant before 1970, sources with no line,
// a line with a leading zero and a colon in the path.
func oldTransfers() []*vigil.Transfer {
	at := func(s string) time.Time {
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			panic(err)
		}
		return t
	}
	base := vigil.Transfer{SenderID: "P1", BeneficiaryName: "Maria Santos", BeneficiaryCountry: "PH",
		Amount: vigil.NewAmount(51, 0), Currency: "AUD", Channel: vigil.ChannelRemittance, Purpose: "school fees"}
	cases := []struct{ ts, source string }{
		{"2024-03-01T22:15:00+10:00", "/data/transfers.csv:2"},
		{"2024-03-01T22:15:00.5+10:00", "/data/transfers.csv:3"},
		{"2024-03-02T01:02:03.123456789-03:30", "/data/transfers.csv:4"},
		{"2024-03-02T01:02:03Z", "/data/transfers.csv:5"},
		{"2024-03-02T07:47:03+05:45", `C:\data\t.csv:12`},
		{"1969-12-31T23:59:59.999999999-08:00", "goAML STR R-1 report.xml:7"},
		{"2024-06-30T00:00:00+14:00", "report 17 (no line)"},
		{"2024-06-30T00:00:00-12:00", "old.csv:007"},
		{"2024-06-30T00:00:00+00:00", ""},
		{"2100-01-01T00:00:00.000000001+01:00", "old.csv:123456789012345678901"},
	}
	var ts []*vigil.Transfer
	for i, c := range cases {
		t := base
		t.ID = fmt.Sprintf("T%02d", i)
		t.Timestamp = at(c.ts)
		t.Source = c.source
		t.Amount += vigil.Amount(i)
		ts = append(ts, &t)
	}
	ts[3].BeneficiaryID, ts[3].BeneficiaryName = "P2", ""
	ts[4].BeneficiaryBirthDate = vigil.Date{Year: 1990, Month: 4}
	return ts
}

// insertOld writes t as migration 0001's table holds it, with the content
// hash of that layout.
func insertOld(t *testing.T, db *DB, tr *vigil.Transfer) {
	t.Helper()
	args := []any{tr.ID, tr.Timestamp.Format(time.RFC3339Nano), tr.SenderID, tr.SenderAccount,
		tr.BeneficiaryID, tr.BeneficiaryName, tr.BeneficiaryPhone, tr.BeneficiaryAccount,
		tr.BeneficiaryCity, tr.BeneficiaryCountry, tr.BeneficiaryBirthDate.String(),
		int64(tr.Amount), tr.Currency, string(tr.Channel), tr.Provider, tr.Purpose}
	h := hashArgs(args)
	args = append(args, tr.Timestamp.Unix(), int64(tr.Timestamp.Nanosecond()), tr.Source, h)
	if _, err := db.db.Exec(`INSERT INTO transfers (transfer_id, ts, sender_id, sender_account, beneficiary_id,
		beneficiary_name, beneficiary_phone, beneficiary_account, beneficiary_city, beneficiary_country,
		beneficiary_birth_date, amount, currency, channel, provider, purpose, ts_unix, ts_nano, source, content_hash)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`, args...); err != nil {
		t.Fatal(err)
	}
}

func sameTransfer(a, b *vigil.Transfer) bool {
	x, y := *a, *b
	x.Timestamp, y.Timestamp = time.Time{}, time.Time{}
	_, offA := a.Timestamp.Zone()
	_, offB := b.Timestamp.Zone()
	return x == y && a.Timestamp.Equal(b.Timestamp) && offA == offB &&
		a.Timestamp.Format(time.RFC3339Nano) == b.Timestamp.Format(time.RFC3339Nano)
}

// TestMigration0002UpgradesInPlace makes stores as older vigils left them
// (0001 alone, and 0001 with the 0100s, whose index on beneficiary names
// must survive), with rows, opens them with this binary, and checks that
// every transfer reads back identical, that loading the same transfers
// again changes nothing (the stored hashes stay valid) and that a changed
// timestamp is named in the conflict.
func TestMigration0002UpgradesInPlace(t *testing.T) {
	all, err := Migrations()
	if err != nil {
		t.Fatal(err)
	}
	only := func(keep func(v int) bool) []Migration {
		var ms []Migration
		for _, m := range all {
			if keep(m.Version) {
				ms = append(ms, m)
			}
		}
		return ms
	}
	for _, tc := range []struct {
		name string
		ms   []Migration
	}{
		{"0001", only(func(v int) bool { return v == 1 })},
		{"0001+0100s", only(func(v int) bool { return v == 1 || v >= 100 })},
	} {
		for _, drv := range []string{DriverMattn, DriverModernc} {
			if drv == DriverMattn && !mattnAvailable {
				continue
			}
			t.Run(tc.name+"/"+drv, func(t *testing.T) {
				ctx := context.Background()
				path := filepath.Join(t.TempDir(), "old.db")
				old, err := openMigrated(path, drv, tc.ms)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := old.db.Exec(`INSERT INTO parties (party_id, kind, full_name, source, content_hash) VALUES ('P1', 'person', 'A B', 'p.csv:2', 1), ('P2', 'person', 'C D', 'p.csv:3', 2)`); err != nil {
					t.Fatal(err)
				}
				want := oldTransfers()
				for _, tr := range want {
					insertOld(t, old, tr)
				}
				old.Close()

				db, err := openMigrated(path, drv, all)
				if err != nil {
					t.Fatal(err)
				}
				defer db.Close()
				vs, _ := db.SchemaVersions(ctx)
				if !slices.Contains(vs, 2) {
					t.Fatalf("schema versions %v: 0002 not applied", vs)
				}
				// (The 0100s run after 0002 on the store made with 0001 alone.)
				wantIdx := []string{"transfers_beneficiary", "transfers_beneficiary_name", "transfers_sender_time", "transfers_time"}
				var idx []string
				rows, err := db.db.Query(`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'transfers' AND sql IS NOT NULL ORDER BY name`)
				if err != nil {
					t.Fatal(err)
				}
				for rows.Next() {
					var n string
					rows.Scan(&n)
					idx = append(idx, n)
				}
				rows.Close()
				if !slices.Equal(idx, wantIdx) {
					t.Fatalf("indexes after 0002 = %v, want %v", idx, wantIdx)
				}
				var check string
				if err := db.db.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
					t.Fatalf("integrity_check = %q, %v", check, err)
				}

				byID := map[string]*vigil.Transfer{}
				err = db.EachTransfer(ctx, func(tr *vigil.Transfer) error { byID[tr.ID] = tr; return nil })
				if err != nil {
					t.Fatal(err)
				}
				if len(byID) != len(want) {
					t.Fatalf("read %d transfers, want %d", len(byID), len(want))
				}
				for _, w := range want {
					got := byID[w.ID]
					if got == nil || !sameTransfer(got, w) {
						t.Errorf("transfer %s after 0002:\n got %+v\nwant %+v", w.ID, got, w)
					}
				}

				// The same transfers again: unchanged. One with another
				// timestamp: a conflict naming the timestamp.
				l, err := db.BeginLoad(ctx)
				if err != nil {
					t.Fatal(err)
				}
				var conflicts []*Conflict
				l.OnConflict = func(c *Conflict) { conflicts = append(conflicts, c) }
				for _, w := range want {
					if err := l.AddTransfer(w); err != nil {
						t.Fatal(err)
					}
				}
				moved := *want[2]
				moved.Timestamp = moved.Timestamp.Add(time.Nanosecond)
				moved.Source = "again.csv:9"
				if err := l.AddTransfer(&moved); err != nil {
					t.Fatal(err)
				}
				if err := l.Commit(nil); err != nil {
					t.Fatal(err)
				}
				if c := l.Counts(KindTransfers); c != (Counts{Unchanged: len(want), Conflicts: 1}) {
					t.Fatalf("re-load after 0002: %+v", c)
				}
				if c := conflicts[0]; c.ID != "T02" || c.StoredSource != "/data/transfers.csv:4" || !slices.Equal(c.Fields, []string{"timestamp"}) {
					t.Fatalf("conflict %+v", c)
				}
			})
		}
	}
}

// TestSplitSource pins the rule migration 0002 applies in SQL: a source
// is name:line only when it ends in a colon and a line without a leading
// zero, of at most 18 digits.
func TestSplitSource(t *testing.T) {
	for _, tc := range []struct {
		src, name string
		line      int64
	}{
		{"t.csv:2", "t.csv", 2},
		{`C:\d\t.csv:12`, `C:\d\t.csv`, 12},
		{"t.csv:007", "t.csv:007", 0},
		{"t.csv:0", "t.csv:0", 0},
		{"t.csv:", "t.csv:", 0},
		{"t.csv", "t.csv", 0},
		{"123", "123", 0},
		{":5", "", 5},
		{"", "", 0},
		{"t:123456789012345678", "t", 123456789012345678},
		{"t:1234567890123456789", "t:1234567890123456789", 0},
	} {
		name, line := splitSource(tc.src)
		if name != tc.name || line != tc.line {
			t.Errorf("splitSource(%q) = %q, %d; want %q, %d", tc.src, name, line, tc.name, tc.line)
		}
		back := name
		if line > 0 {
			back += ":" + strconv.FormatInt(line, 10)
		}
		if back != tc.src {
			t.Errorf("splitSource(%q) does not round-trip: %q", tc.src, back)
		}
	}
}

// FuzzSplitSource checks that splitSource and migration 0002's SQL split
// any source the same way, and that name:line gives the source back.
func FuzzSplitSource(f *testing.F) {
	for _, s := range []string{"t.csv:2", "t.csv:007", ":5", "", "a:b:12", "x:99999999999999999999", "é:1"} {
		f.Add(s)
	}
	db, err := openMigrated(filepath.Join(f.TempDir(), "f.db"), DriverModernc, nil)
	if err != nil {
		f.Fatal(err)
	}
	defer db.Close()
	// The expressions of 0002_compact_transfers.sql, on a literal.
	const q = `WITH s(source) AS (SELECT ?), l(source, line) AS (SELECT source,
		CASE WHEN rtrim(source, '0123456789') GLOB '*:'
			AND substr(source, length(rtrim(source, '0123456789')) + 1, 1) GLOB '[1-9]'
			AND length(source) - length(rtrim(source, '0123456789')) <= 18
		THEN CAST(substr(source, length(rtrim(source, '0123456789')) + 1) AS INTEGER) END FROM s)
		SELECT CASE WHEN line IS NULL THEN source ELSE substr(source, 1, length(source) - length(line) - 1) END, coalesce(line, 0) FROM l`
	f.Fuzz(func(t *testing.T, src string) {
		if !utf8.ValidString(src) || strings.ContainsRune(src, 0) {
			t.Skip("sources are UTF-8 text without NUL")
		}
		name, line := splitSource(src)
		back := name
		if line > 0 {
			back += ":" + strconv.FormatInt(line, 10)
		}
		if back != src {
			t.Fatalf("splitSource(%q) = %q, %d: does not round-trip", src, name, line)
		}
		var sqlName string
		var sqlLine int64
		if err := db.db.QueryRow(q, src).Scan(&sqlName, &sqlLine); err != nil {
			t.Fatal(err)
		}
		if sqlName != name || sqlLine != line {
			t.Fatalf("source %q: Go splits %q, %d; migration 0002 %q, %d", src, name, line, sqlName, sqlLine)
		}
	})
}

// TestMigration0005PartialBeneficiaryIndex makes a store as the previous
// vigil left it (every migration but 0005), with transfers to known
// parties and to recipients known by name, opens it with this binary and
// checks that the index on beneficiary_id now holds only the transfers to
// known parties, that every transfer and every recipient's edges read back
// identical, and that the queries by recipient still search an index.
func TestMigration0005PartialBeneficiaryIndex(t *testing.T) {
	all, err := Migrations()
	if err != nil {
		t.Fatal(err)
	}
	var prev []Migration
	for _, m := range all {
		if m.Version != 5 {
			prev = append(prev, m)
		}
	}
	if len(prev) == len(all) {
		t.Fatal("no migration 0005")
	}
	for _, drv := range []string{DriverMattn, DriverModernc} {
		if drv == DriverMattn && !mattnAvailable {
			continue
		}
		t.Run(drv, func(t *testing.T) {
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), "old.db")
			old, err := openMigrated(path, drv, prev)
			if err != nil {
				t.Fatal(err)
			}
			l, err := old.BeginLoad(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range []string{"P1", "P2", "P3"} {
				if err := l.AddParty(&vigil.Party{ID: id, Kind: vigil.PartyPerson, FullName: "Party " + id, Source: "p.csv:1"}); err != nil {
					t.Fatal(err)
				}
			}
			want := oldTransfers()
			for i, tr := range want {
				if i%3 == 1 {
					tr.BeneficiaryID = []string{"P2", "P3"}[i%2]
				}
				if err := l.AddTransfer(tr); err != nil {
					t.Fatal(err)
				}
			}
			if err := l.Commit(nil); err != nil {
				t.Fatal(err)
			}
			keys := map[string]bool{}
			for _, tr := range want {
				keys[vigil.RecipientKey(tr)] = true
			}
			edges := func(db *DB) map[string][]vigil.NetworkEdge {
				out := map[string][]vigil.NetworkEdge{}
				for k := range keys {
					es, err := NewNetwork(db).RecipientEdges(ctx, k, nil, nil)
					if err != nil {
						t.Fatal(err)
					}
					out[k] = es
				}
				return out
			}
			wantEdges := edges(old)
			if len(wantEdges) < 3 {
				t.Fatalf("only %d recipients", len(wantEdges))
			}
			old.Close()

			db, err := openMigrated(path, drv, all)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if vs, _ := db.SchemaVersions(ctx); !slices.Contains(vs, 5) {
				t.Fatalf("schema versions %v: 0005 not applied", vs)
			}
			var create string
			if err := db.db.QueryRow(`SELECT sql FROM sqlite_schema WHERE name = 'transfers_beneficiary'`).Scan(&create); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(create, "WHERE beneficiary_id <> ''") {
				t.Fatalf("transfers_beneficiary after 0005: %s", create)
			}
			var check string
			if err := db.db.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
				t.Fatalf("integrity_check = %q, %v", check, err)
			}
			var inIndex, toParties int
			db.db.QueryRow(`SELECT count(*) FROM transfers INDEXED BY transfers_beneficiary WHERE beneficiary_id <> ''`).Scan(&inIndex)
			db.db.QueryRow(`SELECT count(*) FROM transfers NOT INDEXED WHERE beneficiary_id <> ''`).Scan(&toParties)
			if inIndex != toParties || toParties == 0 {
				t.Fatalf("index holds %d transfers, %d go to known parties", inIndex, toParties)
			}

			byID := map[string]*vigil.Transfer{}
			if err := db.EachTransfer(ctx, func(tr *vigil.Transfer) error { byID[tr.ID] = tr; return nil }); err != nil {
				t.Fatal(err)
			}
			if len(byID) != len(want) {
				t.Fatalf("read %d transfers, want %d", len(byID), len(want))
			}
			for _, w := range want {
				if got := byID[w.ID]; got == nil || !sameTransfer(got, w) {
					t.Errorf("transfer %s after 0005:\n got %+v\nwant %+v", w.ID, got, w)
				}
			}
			gotEdges := edges(db)
			for k, w := range wantEdges {
				if g := gotEdges[k]; !slices.Equal(g, w) {
					t.Errorf("edges of %s after 0005:\n got %+v\nwant %+v", k, g, w)
				}
			}

			// Both recipient queries search an index (the WHERE as
			// Network.RecipientEdges writes it).
			for _, q := range []struct {
				where string
				args  []any
				index string
			}{
				{`beneficiary_id = ? AND beneficiary_id <> ''`, []any{"P2"}, "USING INDEX transfers_beneficiary ("},
				{`beneficiary_id = '' AND beneficiary_name = ? AND beneficiary_country = ?`, []any{"Maria Santos", "PH"}, "USING INDEX transfers_beneficiary_name ("},
			} {
				rows, err := db.db.Query(`EXPLAIN QUERY PLAN `+edgeSelect+` WHERE `+q.where+
					` GROUP BY sender_id, beneficiary_id, beneficiary_name, beneficiary_country, currency`, q.args...)
				if err != nil {
					t.Fatal(err)
				}
				var plan []string
				for rows.Next() {
					var id, parent, notused int
					var detail string
					if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
						t.Fatal(err)
					}
					plan = append(plan, detail)
				}
				rows.Close()
				if p := strings.Join(plan, "; "); !strings.Contains(p, "SEARCH transfers "+q.index) {
					t.Errorf("plan of WHERE %s: %s; want a search %s", q.where, p, q.index)
				}
			}
		})
	}
}
