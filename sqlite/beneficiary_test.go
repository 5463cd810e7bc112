package sqlite_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/csv"
	"github.com/vigilfiu/vigil/graph"
	"github.com/vigilfiu/vigil/sqlite"
	"github.com/vigilfiu/vigil/synth"
)

// keptWorld is a small vigil synth world read from its files.
type keptWorld struct {
	parties   []vigil.Party
	transfers []vigil.Transfer
	seeds     []vigil.Lead
}

func newKeptWorld(t *testing.T) *keptWorld {
	t.Helper()
	dir := t.TempDir()
	if _, err := synth.Generate(synth.Config{Customers: 2500, Seed: 55, Start: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), Months: 12}, dir); err != nil {
		t.Fatal(err)
	}
	w := &keptWorld{}
	var bad []*csv.RowError
	var err error
	if w.parties, bad, err = csv.ReadPartiesFile(filepath.Join(dir, "parties.csv"), csv.Options{}); err != nil || len(bad) > 0 {
		t.Fatalf("parties: %v %v", err, bad)
	}
	if w.seeds, bad, err = csv.ReadLeadsFile(filepath.Join(dir, "seeds.csv"), csv.Options{}); err != nil || len(bad) > 0 {
		t.Fatalf("seeds: %v %v", err, bad)
	}
	f, err := os.Open(filepath.Join(dir, "transfers.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := csv.NewTransferReader(f, "transfers.csv", csv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for {
		var tr vigil.Transfer
		if err := r.Read(&tr); err != nil {
			if err == io.EOF {
				break
			}
			t.Fatal(err)
		}
		w.transfers = append(w.transfers, tr)
	}
	if len(w.transfers) < 10000 || len(w.seeds) == 0 {
		t.Fatalf("world too small: %d transfers, %d seeds", len(w.transfers), len(w.seeds))
	}
	return w
}

// fileGraph builds the graph as `vigil trace --parties --transfers` does
// over the first n transfers.
func (w *keptWorld) fileGraph(t *testing.T, n int) *graph.Graph {
	b := graph.NewBuilder(graph.Options{NoSeedIndex: true})
	for i := range w.parties {
		b.AddParty(&w.parties[i])
	}
	for i := range w.transfers[:n] {
		tr := w.transfers[i]
		if err := b.Add(&tr); err != nil {
			t.Fatal(err)
		}
	}
	return b.Build()
}

func (w *keptWorld) load(t *testing.T, db *sqlite.DB, parties bool, ts []vigil.Transfer) {
	t.Helper()
	l, err := db.BeginLoad(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if parties {
		for i := range w.parties {
			if err := l.AddParty(&w.parties[i]); err != nil {
				t.Fatal(err)
			}
		}
	}
	for i := range ts {
		if err := l.AddTransfer(&ts[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Commit([]byte(`{}`)); err != nil {
		t.Fatal(err)
	}
}

// traceBytes is every seed's full trace (candidates and ranked parties)
// as JSON: what must not differ between the file and the store path.
func traceBytes(t *testing.T, g *graph.Graph, seeds []vigil.Lead) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for i := range seeds {
		res, err := g.Trace(seeds[i:i+1], graph.TraceOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if err := enc.Encode(res); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

// TestKeptResolution: the first graph of a store resolves and keeps the
// resolution, the next uses it; both trace byte for byte as the graph
// built from the same transfers in file order; transfers added later make
// the next build resolve again (not a stale graph), and a store whose
// kept resolution names another resolver is resolved again too.
func TestKeptResolution(t *testing.T) {
	ctx := context.Background()
	w := newKeptWorld(t)
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "vigil.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	first := len(w.transfers) * 7 / 10
	w.load(t, db, true, w.transfers[:first])

	want := traceBytes(t, w.fileGraph(t, first), w.seeds)
	if bytes.Count(want, []byte(`"party_id"`)) < 20 {
		t.Fatalf("the world's traces rank too few parties to compare: %s", want[:min(len(want), 400)])
	}
	build := func(wantResolved bool, why string) *graph.Graph {
		t.Helper()
		var log bytes.Buffer
		g, rep, err := db.LoadGraph(ctx, sqlite.GraphOptions{Graph: graph.Options{NoSeedIndex: true}, Log: &log})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Resolved != wantResolved || !strings.Contains(rep.Why, why) || rep.KeepErr != nil {
			t.Fatalf("resolved %v (%q, keep error %v), want %v (%q); log:\n%s", rep.Resolved, rep.Why, rep.KeepErr, wantResolved, why, log.String())
		}
		if rep.Run == nil || rep.Run.Transfers != int64(g.NumTransfers()) || !strings.HasPrefix(rep.Run.Resolver, graph.KeptVersion()+" ") {
			t.Fatalf("run %+v for %d transfers", rep.Run, g.NumTransfers())
		}
		return g
	}

	g := build(true, "no beneficiary resolution")
	if got := traceBytes(t, g, w.seeds); !bytes.Equal(got, want) {
		t.Fatalf("store (resolving) and file traces differ:\n%s", firstDiff(got, want))
	}
	kept, err := db.BeneficiaryAssignment(ctx, int64(first))
	if err != nil {
		t.Fatal(err)
	}
	for i, b := range g.Assignment() {
		if kept[i] != b {
			t.Fatalf("transfer %d: kept beneficiary %d, graph %d", i+1, kept[i], b)
		}
	}
	bens, err := db.Beneficiaries(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i := range bens {
		if a, b := mustJSON(t, bens[i]), mustJSON(t, g.Beneficiaries[i].Beneficiary); a != b {
			t.Fatalf("kept beneficiary %d: %s, graph %s", i, a, b)
		}
	}

	// Kept: the next build reads it; twice, the same.
	for range 2 {
		g = build(false, "")
		if got := traceBytes(t, g, w.seeds); !bytes.Equal(got, want) {
			t.Fatalf("store (kept) and file traces differ:\n%s", firstDiff(got, want))
		}
	}

	// Loading the same transfers again changes nothing (idempotent load):
	// the kept resolution still covers the store.
	w.load(t, db, false, w.transfers[first-100:first])
	build(false, "")

	// New transfers: resolved again over all, equal to the files.
	w.load(t, db, false, w.transfers[first:])
	g = build(true, "transfers")
	wantAll := traceBytes(t, w.fileGraph(t, len(w.transfers)), w.seeds)
	if bytes.Equal(wantAll, want) {
		t.Fatal("the added transfers change no trace: the test cannot tell a stale graph")
	}
	if got := traceBytes(t, g, w.seeds); !bytes.Equal(got, wantAll) {
		t.Fatalf("after adding transfers, store and file traces differ:\n%s", firstDiff(got, wantAll))
	}
	g = build(false, "")
	if got := traceBytes(t, g, w.seeds); !bytes.Equal(got, wantAll) {
		t.Fatalf("after adding transfers, kept store and file traces differ:\n%s", firstDiff(got, wantAll))
	}

	// Another resolver made the kept resolution: made again.
	if _, err := db.SQL().Exec(`UPDATE beneficiary_runs SET resolver = 'graph-kept/1 resolve/other prepare/other'`); err != nil {
		t.Fatal(err)
	}
	build(true, "another resolver")
	build(false, "")
}

func mustJSON(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func firstDiff(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo := max(0, i-200)
	return "got  …" + string(a[lo:min(len(a), i+200)]) + "\nwant …" + string(b[lo:min(len(b), i+200)])
}

// TestKeptResolutionDamaged: a kept resolution whose rows were lost or
// altered after it was kept (a damaged or edited store) is refused with an
// error naming the store and what is wrong, never replayed into a graph
// that lacks beneficiaries or transfers.
func TestKeptResolutionDamaged(t *testing.T) {
	ctx := context.Background()
	w := newKeptWorld(t)
	for _, c := range []struct{ name, damage, want string }{
		{"the last block of beneficiaries lost", `DELETE FROM beneficiary_blocks WHERE first_ben = (SELECT max(first_ben) FROM beneficiary_blocks)`, "damaged"},
		{"a beneficiary lost from a block", `UPDATE beneficiary_blocks SET n = n - 1 WHERE first_ben = 0`, "damaged"},
		{"a block cut short", `UPDATE beneficiary_blocks SET data = substr(data, 1, length(data) - 3) WHERE first_ben = 0`, "damaged beneficiary block"},
		{"a block of graph rows lost", `DELETE FROM graph_rows WHERE first_row = (SELECT min(first_row) FROM graph_rows)`, "damaged"},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "vigil.db")
			db, err := sqlite.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			w.load(t, db, true, w.transfers[:5000])
			if _, _, err := db.LoadGraph(ctx, sqlite.GraphOptions{Graph: graph.Options{NoSeedIndex: true}, Log: io.Discard}); err != nil {
				t.Fatal(err)
			}
			res, err := db.SQL().Exec(c.damage)
			if err != nil {
				t.Fatal(err)
			}
			if n, _ := res.RowsAffected(); n != 1 {
				t.Fatalf("the damage touched %d rows, want 1", n)
			}
			g, _, err := db.LoadGraph(ctx, sqlite.GraphOptions{Graph: graph.Options{NoSeedIndex: true}, Log: io.Discard})
			if err == nil {
				t.Fatalf("a damaged kept resolution was replayed: a graph of %d transfers", g.NumTransfers())
			}
			if vigil.ErrorCode(err) != vigil.EINTERNAL || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), path) {
				t.Fatalf("error %v, want EINTERNAL naming the store and %q", err, c.want)
			}
			t.Log(err)
		})
	}
}

// TestPartyIdentities: the one-pass read of the parties' identities gives
// every stored party, each with the id, name, birth date, country, phone
// and e-mail FindParties gives it.
func TestPartyIdentities(t *testing.T) {
	ctx := context.Background()
	w := newKeptWorld(t)
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "vigil.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	w.load(t, db, true, w.transfers[:100])
	full, _, err := db.FindParties(ctx, vigil.PartyFilter{})
	if err != nil {
		t.Fatal(err)
	}
	ids, err := db.PartyIdentities(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != len(full) || len(ids) < 2500 {
		t.Fatalf("%d identities for %d parties", len(ids), len(full))
	}
	byID := map[string]vigil.Party{}
	for _, p := range ids {
		byID[p.ID] = p
	}
	withBirth, withMail := 0, 0
	for _, p := range full {
		want := vigil.Party{ID: p.ID, FullName: p.FullName, BirthDate: p.BirthDate, Country: p.Country, Phone: p.Phone, Email: p.Email}
		if got := byID[p.ID]; got != want {
			t.Fatalf("party %s: identity %+v, want %+v", p.ID, got, want)
		}
		if !p.BirthDate.IsZero() {
			withBirth++
		}
		if p.Email != "" {
			withMail++
		}
	}
	if withBirth == 0 || withMail == 0 {
		t.Fatalf("the world has %d birth dates and %d e-mails: the test compares nothing", withBirth, withMail)
	}
}
