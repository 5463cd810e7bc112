package sqlite

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/csv"
	"github.com/vigilfiu/vigil/graph"
	"github.com/vigilfiu/vigil/synth"
)

// keepWorld loads a vigil synth world of the given customers into a new
// store and builds its graph from the store (resolving, so the graph
// carries the assignment); it returns the store, the graph and the
// transfers' rowids.
func keepWorld(tb testing.TB, customers int) (*DB, *graph.Graph, []int64) {
	tb.Helper()
	ctx := context.Background()
	dir := tb.TempDir()
	if _, err := synth.Generate(synth.Config{Customers: customers, Seed: 31, Start: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), Months: 12}, dir); err != nil {
		tb.Fatal(err)
	}
	db, err := Open(filepath.Join(dir, "v.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	ps, bad, err := csv.ReadPartiesFile(filepath.Join(dir, "parties.csv"), csv.Options{})
	if err != nil || len(bad) > 0 {
		tb.Fatalf("parties: %v %v", err, bad)
	}
	l, err := db.BeginBulkLoad(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	for i := range ps {
		if err := l.AddParty(&ps[i]); err != nil {
			tb.Fatal(err)
		}
	}
	f, err := os.Open(filepath.Join(dir, "transfers.csv"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	r, err := csv.NewTransferReader(f, "transfers.csv", csv.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	for {
		var t vigil.Transfer
		if err := r.Read(&t); err == io.EOF {
			break
		} else if err != nil {
			tb.Fatal(err)
		}
		if err := l.AddTransfer(&t); err != nil {
			tb.Fatal(err)
		}
	}
	if err := l.Commit(nil); err != nil {
		tb.Fatal(err)
	}
	g, rep, err := db.LoadGraph(ctx, GraphOptions{Graph: graph.Options{NoSeedIndex: true}})
	if err != nil || !rep.Resolved || rep.KeepErr != nil {
		tb.Fatalf("first graph: %v, %+v", err, rep)
	}
	rowids := make([]int64, g.NumTransfers())
	for i := range rowids {
		rowids[i] = int64(i + 1) // loaded in file order, none deleted
	}
	return db, g, rowids
}

// keptDump is every row the store keeps for the graph, in order.
func keptDump(t *testing.T, db *DB) []byte {
	t.Helper()
	var buf bytes.Buffer
	for _, q := range []string{
		`SELECT first_ben, n, data FROM beneficiary_blocks ORDER BY first_ben`,
		`SELECT first_rowid, block FROM beneficiary_assign ORDER BY first_rowid`,
		`SELECT first_row, n, rows, ids FROM graph_rows ORDER BY first_row`,
		`SELECT kind, list FROM graph_tables ORDER BY kind`,
		`SELECT count(*) FROM beneficiaries`,
	} {
		rows, err := db.db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&buf, "%s: %v\n", q[:24], vals)
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

// The pipelined keep (blocks packed on another goroutine while this one
// writes) keeps the very rows the keep at once does, and a replay of
// them builds the same graph; an insert that fails stops the packer and
// is the error reported, and a packer's error is reported too.
func TestKeepPipelined(t *testing.T) {
	ctx := context.Background()
	db, g, rowids := keepWorld(t, 9000)
	if g.NumTransfers() <= assignBlock || len(g.Beneficiaries) <= 2*benBlock {
		t.Fatalf("world too small to span blocks: %d transfers, %d beneficiaries", g.NumTransfers(), len(g.Beneficiaries))
	}
	run := func() *ResolutionRun {
		return &ResolutionRun{Resolver: keptVersion(), MaxRowID: int64(len(rowids)), Transfers: int64(len(rowids)), Started: time.Now(), Finished: time.Now()}
	}
	if err := db.saveResolution(ctx, run(), g, rowids, false); err != nil {
		t.Fatal(err)
	}
	want := keptDump(t, db)
	if err := db.saveResolution(ctx, run(), g, rowids, true); err != nil {
		t.Fatal(err)
	}
	if got := keptDump(t, db); !bytes.Equal(got, want) {
		t.Fatalf("pipelined keep differs from the keep at once (%d vs %d bytes of dump)", len(got), len(want))
	}
	g2, rep, err := db.LoadGraph(ctx, GraphOptions{Graph: graph.Options{NoSeedIndex: true}})
	if err != nil || rep.Resolved {
		t.Fatalf("replay: %v, %+v", err, rep)
	}
	var a, b bytes.Buffer
	for _, x := range []struct {
		g *graph.Graph
		w *bytes.Buffer
	}{{g, &a}, {g2, &b}} {
		x.g.EachPrepared(func(s, ben int32, p *graph.Payment, id []byte) error {
			x.w.Write(graph.AppendPrepared(nil, s, ben, p))
			x.w.Write(id)
			return nil
		})
	}
	if a.Len() == 0 || !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatalf("the replayed graph's rows differ from the resolved graph's (%d vs %d bytes)", b.Len(), a.Len())
	}

	// The writer fails (its table is gone): its error, not the packer's.
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	st, err := prepareKeep(ctx, tx)
	if err != nil {
		t.Fatal(err)
	}
	defer st.close()
	if _, err := tx.Exec(`DROP TABLE graph_rows`); err != nil {
		t.Fatal(err)
	}
	packed := 0
	err = keepPipelined(ctx, func(k *keepInserts) error {
		w := newGraphRowsWriter(k, st)
		err := g.EachPrepared(func(s, ben int32, p *graph.Payment, id []byte) error {
			packed++
			return w.add(s, ben, p, id)
		})
		if err == nil {
			err = w.finish(g.Tables())
		}
		if !errors.Is(err, errKeepStopped) {
			t.Errorf("the packer was told %v, want errKeepStopped", err)
		}
		return err
	})
	if err == nil || errors.Is(err, errKeepStopped) {
		t.Fatalf("failed insert: keepPipelined returned %v", err)
	}
	if packed == 0 {
		t.Error("nothing packed")
	}
	tx.Rollback()

	// The packer fails: its error.
	boom := errors.New("boom")
	if err := keepPipelined(ctx, func(*keepInserts) error { return boom }); err != boom {
		t.Fatalf("packer error: keepPipelined returned %v", err)
	}
}

// BenchmarkSaveResolution: keeping a resolution, packed at once or
// pipelined (wall time; the CPU is the same work either way).
func BenchmarkSaveResolution(b *testing.B) {
	ctx := context.Background()
	db, g, rowids := keepWorld(b, 6000)
	for _, pipelined := range []bool{false, true} {
		b.Run(fmt.Sprintf("pipelined=%v", pipelined), func(b *testing.B) {
			for b.Loop() {
				run := &ResolutionRun{Resolver: keptVersion(), MaxRowID: int64(len(rowids)), Transfers: int64(len(rowids)), Started: time.Now(), Finished: time.Now()}
				if err := db.saveResolution(ctx, run, g, rowids, pipelined); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(g.NumTransfers()), "transfers")
		})
	}
}
