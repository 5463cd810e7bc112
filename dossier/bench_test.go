package dossier

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"testing"
	"time"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/sqlite"
)

// benchCase stores a case of 5 parties with 200 transfers each to 40
// recipients, an alert per party and 50 evidence items, and returns it.
func benchCase(b *testing.B) (*sqlite.DB, string) {
	b.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(filepath.Join(b.TempDir(), "vigil.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	l, err := db.BeginLoad(ctx)
	if err != nil {
		b.Fatal(err)
	}
	base := time.Date(2026, 1, 1, 21, 0, 0, 0, time.UTC)
	var ids []string
	var alerts []*vigil.Alert
	for p := 0; p < 5; p++ {
		id := fmt.Sprintf("P%d", p)
		ids = append(ids, id)
		if err := l.AddParty(&vigil.Party{ID: id, Kind: vigil.PartyPerson, FullName: fmt.Sprintf("Party %d", p), Country: "AU", Source: "parties.csv"}); err != nil {
			b.Fatal(err)
		}
		for i := 0; i < 200; i++ {
			if err := l.AddTransfer(&vigil.Transfer{ID: fmt.Sprintf("T%d-%03d", p, i), Timestamp: base.Add(time.Duration(i*p+i) * 5 * time.Hour), SenderID: id,
				BeneficiaryName: fmt.Sprintf("Recipient %d", (i*7+p)%40), BeneficiaryCountry: "PH", Amount: vigil.NewAmount(int64(15+i%180), 0),
				Currency: "AUD", Channel: vigil.ChannelRemittance, Source: fmt.Sprintf("transfers.csv:%d", p*200+i+2)}); err != nil {
				b.Fatal(err)
			}
		}
		alerts = append(alerts, &vigil.Alert{ID: "A" + id, PartyID: id, Score: 0.5 + float64(p)/10, Typology: vigil.TypologyLiveStreaming,
			Hits: []vigil.Hit{{Code: "LSC-CORRIDOR-LOWVALUE", Contribution: 1, Detail: "d", TransferIDs: []string{fmt.Sprintf("T%d-000", p)}}}})
	}
	if err := l.Commit(nil); err != nil {
		b.Fatal(err)
	}
	if err := db.ReplaceAlerts(ctx, alerts); err != nil {
		b.Fatal(err)
	}
	cs := sqlite.NewCaseService(db)
	c := &vigil.Case{Title: "bench", CreatedBy: "ivan", PartyIDs: ids}
	if err := cs.CreateCase(ctx, c); err != nil {
		b.Fatal(err)
	}
	for i := 0; i < 50; i++ {
		if err := cs.AddEvidence(ctx, &vigil.Evidence{CaseID: c.ID, Kind: vigil.EvidenceNote, Note: fmt.Sprint("note ", i), Source: "analyst", AddedBy: "ivan"}); err != nil {
			b.Fatal(err)
		}
	}
	return db, c.ID
}

// BenchmarkLoad reads a case of 1,000 transfers from SQLite.
func BenchmarkLoad(b *testing.B) {
	db, id := benchCase(b)
	src := NewStore(db)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(context.Background(), src, id); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriteHTML renders that case (1,000 transfers, 40 recipients).
func BenchmarkWriteHTML(b *testing.B) {
	db, id := benchCase(b)
	d, err := Load(context.Background(), NewStore(db), id)
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteHTML(&buf, d); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteHTML(io.Discard, d); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPDF prints that case with chromium (skipped without it).
func BenchmarkPDF(b *testing.B) {
	if _, err := Browser(); err != nil {
		b.Skip("chromium not found")
	}
	db, id := benchCase(b)
	d, err := Load(context.Background(), NewStore(db), id)
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteHTML(&buf, d); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := PDF(context.Background(), buf.Bytes()); err != nil {
			b.Fatal(err)
		}
	}
}
