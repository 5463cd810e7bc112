package sqlite

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/graph"
)

// TestRowCoderRoundTrip: a block of rows and ids coded compactly decodes
// to the same fixed rows (graph.AppendPrepared) and ids, whatever the
// fields hold (extremes, zeros, repeats, ids sharing prefixes or none,
// an id that is a prefix of the one before), and takes fewer bytes than
// the fixed rows on rows in time order. Damaged bytes are refused.
func TestRowCoderRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	type row struct {
		s, ben int32
		p      graph.Payment
		id     []byte
	}
	var rows []row
	at := int64(1_700_000_000_000_000_000)
	for i := range 5000 {
		at += int64(rng.IntN(90_000)) * 1e9
		r := row{s: int32(rng.IntN(400_000)), ben: int32(rng.IntN(950_000)), p: graph.Payment{
			At: at, Amount: vigil.Amount(rng.Int64N(5_000_000_000)), Offset: int16(rng.IntN(3)) * 3600,
			Currency: uint8(rng.IntN(4)), Flags: uint8(rng.IntN(4)), Purpose: uint16(rng.IntN(30)),
			City: uint32(rng.IntN(2000)),
		}, id: fmt.Appendf(nil, "T%09d", i)}
		switch i % 7 {
		case 0: // extremes
			r.s, r.ben = 1<<31-1, 0
			r.p.At, r.p.Amount, r.p.Offset, r.p.Purpose = -1<<63, 1<<63-1, -1<<15, 1<<16-1
			r.p.Suspicion, r.p.Ident, r.p.Birth = -0.5, [2]uint32{1<<32 - 1, 1}, 1<<32-1
		case 1: // the same row as before
			if i > 0 {
				r.s, r.ben, r.p = rows[i-1].s, rows[i-1].ben, rows[i-1].p
			}
		case 2: // an id unlike the one before, and a prefix of the next
			r.id = []byte("X")
		case 3:
			r.id = []byte("XYZ-with-more")
			r.p.Suspicion = 0.75
		}
		rows = append(rows, r)
	}
	var c rowCoder
	var blob, ids, fixed []byte
	for _, r := range rows {
		blob = c.appendRow(blob, r.s, r.ben, &r.p)
		ids = c.appendID(ids, r.id)
		fixed = graph.AppendPrepared(fixed, r.s, r.ben, &r.p)
	}
	if len(blob) >= len(fixed) {
		t.Errorf("compact rows %d bytes, fixed %d", len(blob), len(fixed))
	}
	var d rowCoder
	rest, restIDs := blob, ids
	for i, r := range rows {
		var row, id []byte
		var err error
		if row, rest, err = d.nextRow(rest); err != nil {
			t.Fatalf("row %d: %v", i, err)
		}
		if id, restIDs, err = d.nextID(restIDs); err != nil {
			t.Fatalf("id %d: %v", i, err)
		}
		if want := fixed[i*graph.PreparedRowSize : (i+1)*graph.PreparedRowSize]; !bytes.Equal(row, want) {
			t.Fatalf("row %d decoded %x, want %x", i, row, want)
		}
		if !bytes.Equal(id, r.id) {
			t.Fatalf("id %d decoded %q, want %q", i, id, r.id)
		}
	}
	if len(rest) != 0 || len(restIDs) != 0 {
		t.Fatalf("%d and %d bytes left", len(rest), len(restIDs))
	}

	for _, bad := range []struct {
		name      string
		rows, ids []byte
	}{
		{"a mask cut short", blob[:rowMaskBytes-1], ids},
		{"a mask bit past the row", append(make([]byte, rowMaskBytes-1), 0x80), ids},
		{"bytes missing after the mask", []byte{1, 0, 0, 0, 0, 0, 0}, ids},
		{"an id sharing more than the previous id", blob, []byte{3, 1, 'a'}},
		{"an id cut short", blob, []byte{0, 5, 'a'}},
	} {
		var d rowCoder
		_, _, err := d.nextRow(bad.rows)
		if err == nil {
			_, _, err = d.nextID(bad.ids)
		}
		if err == nil {
			t.Errorf("%s: decoded", bad.name)
		}
	}
}

// BenchmarkRowCoder codes and decodes rows of a block as the keep and the
// kept graph's replay do.
func BenchmarkRowCoder(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	ps := make([]graph.Payment, assignBlock)
	at := int64(1_700_000_000_000_000_000)
	for i := range ps {
		at += int64(rng.IntN(600)) * 1e9
		ps[i] = graph.Payment{At: at, Amount: vigil.Amount(rng.Int64N(500_000_000)), City: uint32(rng.IntN(900)), Purpose: uint16(rng.IntN(20))}
	}
	blob := make([]byte, 0, graph.PreparedRowSize*assignBlock)
	id := []byte("T000000000")
	ids := make([]byte, 0, 16*assignBlock)
	b.Run("code", func(b *testing.B) {
		for b.Loop() {
			var c rowCoder
			blob, ids = blob[:0], ids[:0]
			for i := range ps {
				blob = c.appendRow(blob, int32(i%40000), int32(i%90000), &ps[i])
				ids = c.appendID(ids, id)
			}
		}
		b.ReportMetric(float64(len(blob))/float64(len(ps)), "bytes/row")
	})
	b.Run("decode", func(b *testing.B) {
		var p graph.Payment
		for b.Loop() {
			var c rowCoder
			rest := blob
			for range ps {
				var row []byte
				row, rest, _ = c.nextRow(rest)
				graph.DecodePrepared(row, &p)
			}
		}
	})
}

// TestKeptFixedRowsResolvedAgain: a store whose graph rows were kept in
// the fixed layout by an earlier binary (marked with graph.KeptVersion
// alone) is resolved again, not replayed; the same rows marked as this
// binary's coding are refused as damaged, never misread into a graph.
func TestKeptFixedRowsResolvedAgain(t *testing.T) {
	ctx := context.Background()
	db, g, rowids := keepWorld(t, 3000)
	run := &ResolutionRun{Resolver: keptVersion(), MaxRowID: int64(len(rowids)), Transfers: int64(len(rowids)), Started: time.Now(), Finished: time.Now()}
	if err := db.SaveResolution(ctx, run, g, rowids); err != nil {
		t.Fatal(err)
	}
	// The rows as the earlier binary wrote them: fixed rows, each id a
	// uvarint length and its bytes.
	type block struct {
		first     int64
		rows, ids []byte
	}
	var blocks []block
	var b block
	flush := func() {
		if len(b.rows) > 0 {
			blocks = append(blocks, b)
		}
		b = block{first: b.first + int64(len(b.rows)/graph.PreparedRowSize)}
	}
	n := 0
	if err := g.EachPrepared(func(s, ben int32, p *graph.Payment, id []byte) error {
		b.rows = graph.AppendPrepared(b.rows, s, ben, p)
		b.ids = binary.AppendUvarint(b.ids, uint64(len(id)))
		b.ids = append(b.ids, id...)
		if n++; n%assignBlock == 0 {
			flush()
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	flush()
	if _, err := db.db.Exec(`DELETE FROM graph_rows`); err != nil {
		t.Fatal(err)
	}
	for _, bl := range blocks {
		if _, err := db.db.Exec(`INSERT INTO graph_rows (first_row, n, rows, ids) VALUES (?, ?, ?, ?)`, bl.first, len(bl.rows)/graph.PreparedRowSize, bl.rows, bl.ids); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := db.LoadGraph(ctx, GraphOptions{Graph: graph.Options{NoSeedIndex: true}}); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Fatalf("fixed rows read as compact ones: %v", err)
	}
	if _, err := db.db.Exec(`UPDATE beneficiary_runs SET resolver = ?`, graph.KeptVersion()); err != nil {
		t.Fatal(err)
	}
	g2, rep, err := db.LoadGraph(ctx, GraphOptions{Graph: graph.Options{NoSeedIndex: true}})
	if err != nil || !rep.Resolved || !strings.Contains(rep.Why, "another resolver") || rep.KeepErr != nil {
		t.Fatalf("a store kept in the fixed rows: %v, %+v", err, rep)
	}
	if rep.Run == nil || rep.Run.Resolver != keptVersion() {
		t.Fatalf("kept again as %+v, want %s", rep.Run, keptVersion())
	}
	var want, got bytes.Buffer
	for _, x := range []struct {
		g *graph.Graph
		w *bytes.Buffer
	}{{g, &want}, {g2, &got}} {
		x.g.EachPrepared(func(s, ben int32, p *graph.Payment, id []byte) error {
			x.w.Write(graph.AppendPrepared(nil, s, ben, p))
			x.w.Write(id)
			return nil
		})
	}
	if want.Len() == 0 || !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Fatalf("resolved again: rows differ (%d vs %d bytes)", got.Len(), want.Len())
	}
	if _, rep, err := db.LoadGraph(ctx, GraphOptions{Graph: graph.Options{NoSeedIndex: true}}); err != nil || rep.Resolved {
		t.Fatalf("after the new keep: %v, %+v", err, rep)
	}
}

// FuzzRowCoder: bytes read from a kept block are either refused or read
// as rows and ids that code back to the same fixed rows and ids, each
// read taking bytes (no read past the end, none that makes no progress);
// and ids coded compactly read back as written.
func FuzzRowCoder(f *testing.F) {
	var seed rowCoder
	p := graph.Payment{At: 1_700_000_000, Amount: vigil.NewAmount(50, 0), Currency: 3, Flags: 5, Birth: 19841003}
	row := seed.appendRow(nil, 7, 11, &p)
	p.At += 3600
	row = seed.appendRow(row, 7, 12, &p)
	f.Add(row, "T0001\x00T0002\x00T0100")
	f.Add([]byte{}, "")
	f.Add(make([]byte, rowMaskBytes), "\x00\x00x")
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x02}, "a\x00ab\x00b")
	f.Fuzz(func(t *testing.T, raw []byte, joined string) {
		var dec, enc, back rowCoder
		var rows [][]byte
		for rest := raw; len(rest) > 0; {
			r, next, err := dec.nextRow(rest)
			if err != nil {
				break
			}
			if len(next) >= len(rest) {
				t.Fatalf("nextRow took no bytes of %x", rest)
			}
			rows, rest = append(rows, slices.Clone(r)), next
		}
		var coded []byte
		for _, r := range rows {
			var p graph.Payment
			s, b := graph.DecodePrepared(r, &p)
			coded = enc.appendRow(coded, s, b, &p)
		}
		for i, want := range rows {
			got, rest, err := back.nextRow(coded)
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("row %d coded again reads %x, %v; want %x", i, got, err, want)
			}
			coded = rest
		}
		if len(coded) != 0 {
			t.Fatalf("%d bytes left after the rows coded again", len(coded))
		}

		var ids rowCoder
		for rest := raw; len(rest) > 0; {
			_, next, err := ids.nextID(rest)
			if err != nil {
				break
			}
			if len(next) >= len(rest) {
				t.Fatalf("nextID took no bytes of %x", rest)
			}
			rest = next
		}
		var in, out rowCoder
		var b []byte
		written := strings.Split(joined, "\x00")
		for _, id := range written {
			b = in.appendID(b, []byte(id))
		}
		for i, want := range written {
			got, rest, err := out.nextID(b)
			if err != nil || string(got) != want {
				t.Fatalf("id %d reads %q, %v; want %q", i, got, err, want)
			}
			b = rest
		}
		if len(b) != 0 {
			t.Fatalf("%d bytes left after the ids", len(b))
		}
	})
}
