package ingest_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/ingest"
	"github.com/vigilfiu/vigil/sqlite"
)

// reportSource is a Source as a new format would write one: a report that
// names its parties before their transfers, with one unreadable entry.
type reportSource struct {
	name string
	i    int
}

func (s *reportSource) Name() string { return s.name }
func (s *reportSource) Kind() string { return ingest.KindMixed }
func (s *reportSource) Close() error { return nil }

func (s *reportSource) Next(rec *ingest.Record) error {
	s.i++
	at := time.Date(2024, 5, 1, 22, 0, 0, 0, time.UTC)
	rec.Reject = nil
	switch s.i {
	case 1:
		rec.Kind = sqlite.KindParties
		rec.Party = vigil.Party{ID: "R1", Kind: vigil.PartyPerson, FullName: "Report Person", Source: s.name + ":10"}
	case 2, 3:
		rec.Kind = sqlite.KindTransfers
		rec.Transfer = vigil.Transfer{ID: "RT" + string(rune('0'+s.i)), Timestamp: at, SenderID: "R1", BeneficiaryName: "A B",
			BeneficiaryCountry: "PH", Amount: vigil.NewAmount(40, 0), Currency: "EUR", Source: s.name + ":" + string(rune('0'+s.i)) + "0"}
	case 4:
		rec.Kind = sqlite.KindTransfers
		rec.Reject = &ingest.Reject{File: s.name, Line: 40, Column: 7, Reason: "transaction without an amount"}
	default:
		return io.EOF
	}
	return nil
}

func TestSourcesPlugIn(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := open(t, filepath.Join(dir, "vigil.db"))
	name := filepath.Join(dir, "report.xml")
	rep, err := ingest.Sources(ctx, db, []ingest.Source{&reportSource{name: name}}, ingest.Options{MaxErrors: -1})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Totals != (ingest.Counts{Records: 4, Inserted: 3, Rejected: 1}) {
		t.Fatalf("totals %+v", rep.Totals)
	}
	got, err := os.ReadFile(name + ".rejects.csv")
	if err != nil {
		t.Fatal(err)
	}
	if want := "error_line,error_column,error_field,error_reason\n40,7,,transaction without an amount\n"; string(got) != want {
		t.Fatalf("reject file %q", got)
	}
	tr, _ := db.FindTransfers(ctx, vigil.TransferFilter{SenderID: ptr("R1")})
	if len(tr) != 2 || !strings.HasSuffix(tr[0].Source, "report.xml:20") {
		t.Fatalf("transfers %+v", tr)
	}
}
