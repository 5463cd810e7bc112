package ingest_test

import (
	"context"
	"crypto/sha256"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/ingest"
	"github.com/vigilfiu/vigil/sqlite"
)

const partiesCSV = `party_id,kind,full_name,birth_date,gender,country,city,phone
P1,person,John Smith,1961-04,M,AU,Perth,+61 400 000 001
P2,person,Peter Brown,1958,M,AU,Sydney,0400000002
P3,organisation,Acme Remit Pty Ltd,,,AU,Sydney,
`

const transfersCSV = `transfer_id,timestamp,sender_id,beneficiary_name,beneficiary_phone,beneficiary_country,amount,currency,channel,purpose
T1,2024-03-01T23:10:00+08:00,P1,Maria Cristina Santos,+639171234567,PH,50,AUD,remittance,school fees
T2,2024-03-09T23:40:00+08:00,P1,SANTOS MARIA CRISTINA,09171234567,PH,49.99,AUD,remittance,medical
T3,2024-03-02T01:05:00+08:00,P2,Jose Reyes,0917 123 4567,PH,100,AUD,wallet,
`

const callsCSV = `event_id,timestamp,account,counterpart,platform,direction,kind,duration_s
E1,2024-03-01T23:20:00+08:00,fac.maria,buyer_jk,messenger,in,video,900
`

const leadsCSV = `lead_id,full_name,birth_date,phone,email,handle,country,note
L1,SMITH John,1961,+61400000001,,buyer_jk,AU,client list entry 14
`

func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func open(t *testing.T, path string) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func rowCount(t *testing.T, db *sqlite.DB, table string) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// world writes the five example files and returns their paths, transfers
// first so that the load must reorder them.
func world(t *testing.T, dir string) []string {
	return []string{
		write(t, dir, "transfers.csv", transfersCSV),
		write(t, dir, "calls.csv", callsCSV),
		write(t, dir, "seeds.csv", leadsCSV),
		write(t, dir, "leads.csv", leadsCSV),
		write(t, dir, "parties.csv", partiesCSV),
	}
}

func TestFilesLoadsAndReingestIsNoOp(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := open(t, filepath.Join(dir, "vigil.db"))
	paths := world(t, dir)

	rep, err := ingest.Files(ctx, db, paths, ingest.Options{MaxErrors: -1})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Committed || rep.Totals != (ingest.Counts{Records: 9, Inserted: 9}) {
		t.Fatalf("first load: committed %v totals %+v", rep.Committed, rep.Totals)
	}
	want := map[string]ingest.Counts{
		sqlite.KindParties:   {Records: 3, Inserted: 3},
		sqlite.KindTransfers: {Records: 3, Inserted: 3},
		sqlite.KindCalls:     {Records: 1, Inserted: 1},
		sqlite.KindLeads:     {Records: 2, Inserted: 2},
	}
	for k, c := range want {
		if rep.Kinds[k] != c {
			t.Errorf("kind %s: %+v, want %+v", k, rep.Kinds[k], c)
		}
	}
	// The report keeps the order the files were given in, with their kinds.
	var kinds []string
	for _, f := range rep.Files {
		kinds = append(kinds, f.Kind+"/"+f.List)
		if f.RejectFile != "" {
			t.Errorf("%s has a reject file %s", f.Path, f.RejectFile)
		}
	}
	if !slices.Equal(kinds, []string{"transfers/", "calls/", "leads/seeds", "leads/leads", "parties/"}) {
		t.Fatalf("kinds %v", kinds)
	}
	seeds, _ := db.FindLeads(ctx, sqlite.ListSeeds)
	if len(seeds) != 1 || seeds[0].Handle != "buyer_jk" {
		t.Fatalf("seeds %v", seeds)
	}
	tr, err := db.FindTransfers(ctx, vigil.TransferFilter{SenderID: ptr("P1")})
	if err != nil || len(tr) != 2 || tr[1].Amount != vigil.NewAmount(49, 990000) || tr[1].Source != paths[0]+":3" {
		t.Fatalf("transfers of P1: %+v %v", tr, err)
	}

	rep, err = ingest.Files(ctx, db, paths, ingest.Options{MaxErrors: 0})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Totals != (ingest.Counts{Records: 9, Unchanged: 9}) {
		t.Fatalf("re-ingest totals %+v", rep.Totals)
	}
	if n := rowCount(t, db, "transfers"); n != 3 {
		t.Fatalf("transfers after re-ingest: %d", n)
	}
}

func TestConflictIsReportedNeverOverwritten(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := open(t, filepath.Join(dir, "vigil.db"))
	if _, err := ingest.Files(ctx, db, world(t, dir), ingest.Options{MaxErrors: -1}); err != nil {
		t.Fatal(err)
	}
	changed := strings.Replace(transfersCSV, "P1,SANTOS MARIA CRISTINA,09171234567,PH,49.99", "P1,SANTOS MARIA CRISTINA,09171234567,PH,149.99", 1)
	// A duplicate id within the file with the same content is unchanged.
	changed += "T3,2024-03-02T01:05:00+08:00,P2,Jose Reyes,0917 123 4567,PH,100,AUD,wallet,\n"
	p := write(t, dir, "transfers-again.csv", changed)
	rep, err := ingest.Files(ctx, db, []string{p}, ingest.Options{MaxErrors: -1})
	if err != nil {
		t.Fatal(err)
	}
	f := rep.Files[0]
	if f.Counts != (ingest.Counts{Records: 4, Unchanged: 3, Conflicts: 1}) {
		t.Fatalf("counts %+v", f.Counts)
	}
	e := rep.Errors[0]
	if e.File != p || e.Line != 3 || e.Field != "amount" || e.Column != 7 ||
		e.Reason != "transfer T2 is already stored (from "+filepath.Join(dir, "transfers.csv")+":3) with other content in amount; the stored record is kept" {
		t.Fatalf("conflict %+v", e)
	}
	tr, _ := db.FindTransfers(ctx, vigil.TransferFilter{SenderID: ptr("P1")})
	if tr[1].Amount != vigil.NewAmount(49, 990000) {
		t.Fatalf("stored amount overwritten: %v", tr[1].Amount)
	}
	got, err := os.ReadFile(f.RejectFile)
	if err != nil {
		t.Fatal(err)
	}
	wantRejects := "transfer_id,timestamp,sender_id,beneficiary_name,beneficiary_phone,beneficiary_country,amount,currency,channel,purpose,error_line,error_column,error_field,error_reason\n" +
		"T2,2024-03-09T23:40:00+08:00,P1,SANTOS MARIA CRISTINA,09171234567,PH,149.99,AUD,remittance,medical,3,7,amount," + e.Reason + "\n"
	if string(got) != wantRejects {
		t.Fatalf("reject file:\n%s\nwant:\n%s", got, wantRejects)
	}
	if _, err := os.Stat(f.SummaryFile); err != nil {
		t.Fatalf("summary file: %v", err)
	}
}

func TestRejectsUnknownSenderAndBadRows(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := open(t, filepath.Join(dir, "vigil.db"))
	bad := transfersCSV +
		"T4,2024-03-03T10:00:00+08:00,P9,Ana Cruz,,PH,20,AUD,bank,\n" + // unknown sender
		"T5,2024-03-03T10:00:00+08:00,P2,Ana Cruz,,XX,20,AUD,bank,\n" + // bad country
		"T6,2024-03-03T10:00:00+08:00,P2,Ana Cruz,,PH,-20,AUD,bank,\n" // negative amount
	tp := write(t, dir, "transfers.csv", bad)
	pp := write(t, dir, "parties.csv", partiesCSV)
	rep, err := ingest.Files(ctx, db, []string{tp, pp}, ingest.Options{MaxErrors: -1})
	if err != nil {
		t.Fatal(err)
	}
	if c := rep.Kinds[sqlite.KindTransfers]; c != (ingest.Counts{Records: 6, Inserted: 3, Rejected: 3}) {
		t.Fatalf("transfers %+v", c)
	}
	if len(rep.Errors) != 3 {
		t.Fatalf("errors %v", rep.Errors)
	}
	if e := rep.Errors[0]; e.Line != 5 || e.Field != "sender_id" || e.Column != 3 ||
		e.Reason != `sender_id "P9" is no known party: load the parties file first (in the same or an earlier ingest)` {
		t.Fatalf("unknown sender reject %+v", e)
	}
	if e := rep.Errors[1]; e.Line != 6 || e.Field != "beneficiary_country" || e.Column != 6 {
		t.Fatalf("country reject %+v", e)
	}
	if e := rep.Errors[2]; e.Line != 7 || e.Field != "amount" {
		t.Fatalf("amount reject %+v", e)
	}
	got, _ := os.ReadFile(rep.Files[0].RejectFile)
	lines := strings.Split(strings.TrimSpace(string(got)), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[1], "T4,2024-03-03T10:00:00+08:00,P9,Ana Cruz,,PH,20,AUD,bank,,5,3,sender_id,") ||
		!strings.HasPrefix(lines[3], "T6,") {
		t.Fatalf("reject file:\n%s", got)
	}
	// A clean re-run removes the stale reject file.
	if err := os.WriteFile(tp, []byte(transfersCSV), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err = ingest.Files(ctx, db, []string{tp}, ingest.Options{MaxErrors: 0})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(tp + ".rejects.csv"); !os.IsNotExist(err) {
		t.Fatalf("stale reject file kept: %v", err)
	}
}

func fileHash(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

func TestMaxErrorsLeavesStoreUnchanged(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "vigil.db")
	db, err := sqlite.Open(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ingest.Files(ctx, db, []string{write(t, dir, "parties.csv", partiesCSV)}, ingest.Options{MaxErrors: -1}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	before := fileHash(t, dbPath)

	// Many good rows (several batches) then three bad ones.
	var b strings.Builder
	b.WriteString(transfersCSV)
	for i := range 1000 {
		b.WriteString("G" + strings.Repeat("x", i%7) + itoa(i) + ",2024-04-01T10:00:00+10:00,P2,Ana Cruz,,PH,20,AUD,bank,\n")
	}
	for range 3 {
		b.WriteString("B1,2024-04-01T10:00:00+10:00,NOBODY,Ana Cruz,,PH,20,AUD,bank,\n")
	}
	tp := write(t, dir, "transfers.csv", b.String())
	db = open(t, dbPath)
	rep, err := ingest.Files(ctx, db, []string{tp, write(t, dir, "calls.csv", callsCSV)}, ingest.Options{MaxErrors: 2})
	if vigil.ErrorCode(err) != vigil.EINVALID || rep == nil || rep.Committed || !strings.Contains(rep.Aborted, "more than --max-errors 2") {
		t.Fatalf("err %v, report %+v", err, rep)
	}
	if n := rowCount(t, db, "transfers") + rowCount(t, db, "call_events") + rowCount(t, db, "loads"); n != 1 {
		t.Fatalf("rows after an aborted load: %d transfers+calls+loads, want 1 (the parties load)", n)
	}
	// The rejects found before the abort are written all the same.
	got, _ := os.ReadFile(tp + ".rejects.csv")
	if strings.Count(string(got), "\nB1,") != 3 {
		t.Fatalf("reject file:\n%s", got)
	}
	db.Close()
	if fileHash(t, dbPath) != before {
		t.Fatal("the store file changed after an aborted load")
	}
}

func TestBadHeaderWritesNothing(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := open(t, filepath.Join(dir, "vigil.db"))
	pp := write(t, dir, "parties.csv", partiesCSV)
	header, rows, _ := strings.Cut(transfersCSV, "\n")
	tp := write(t, dir, "transfers.csv", header+",colour\n"+strings.ReplaceAll(rows, "\n", ",blue\n"))
	_, err := ingest.Files(ctx, db, []string{pp, tp}, ingest.Options{MaxErrors: -1})
	if vigil.ErrorCode(err) != vigil.EINVALID || !strings.Contains(err.Error(), tp+":1:") {
		t.Fatalf("bad header: %v", err)
	}
	if n := rowCount(t, db, "parties"); n != 0 {
		t.Fatalf("parties stored by a failed load: %d", n)
	}
	// --allow-extra accepts the unknown column.
	rep, err := ingest.Files(ctx, db, []string{pp, tp}, ingest.Options{MaxErrors: -1, AllowExtra: true})
	if err != nil || rep.Totals.Inserted != 6 {
		t.Fatalf("allow extra: %v %+v", err, rep)
	}

	empty := write(t, dir, "empty.csv", "")
	if _, err := ingest.Files(ctx, db, []string{empty}, ingest.Options{}); vigil.ErrorCode(err) != vigil.EINVALID {
		t.Fatalf("empty file: %v", err)
	}
	unknown := write(t, dir, "what.csv", "a,b\n1,2\n")
	if _, err := ingest.Files(ctx, db, []string{unknown}, ingest.Options{}); vigil.ErrorCode(err) != vigil.EINVALID || !strings.Contains(err.Error(), "what.csv:1:1: cannot tell") {
		t.Fatalf("unknown kind: %v", err)
	}
	rates := write(t, dir, "rates.csv", "currency,rate\nAUD,0.61\n")
	if _, err := ingest.Files(ctx, db, []string{pp, rates}, ingest.Options{}); vigil.ErrorCode(err) != vigil.EINVALID || !strings.Contains(err.Error(), "FX rates table") {
		t.Fatalf("rates file: %v", err)
	}
	if _, err := ingest.Files(ctx, db, []string{filepath.Join(dir, "missing.csv")}, ingest.Options{}); vigil.ErrorCode(err) != vigil.EINVALID {
		t.Fatalf("missing file: %v", err)
	}
}

func TestFormats(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := open(t, filepath.Join(dir, "vigil.db"))
	pp := write(t, dir, "parties.csv", partiesCSV)
	if _, err := ingest.Files(ctx, db, []string{pp}, ingest.Options{Format: ingest.FormatGoAML}); vigil.ErrorCode(err) != vigil.EINVALID || !strings.Contains(err.Error(), "no goAML <report> element") {
		t.Fatalf("goaml on a CSV file: %v", err)
	}
	if str := filepath.Join("..", "..", "shared", "formats", "goaml", "uae-fiu-5.0.2_Vyttah", "generated-golden", "STR.xml"); fileExists(str) {
		rep, err := ingest.Files(ctx, db, []string{str}, ingest.Options{Format: ingest.FormatGoAML, MaxErrors: -1})
		if err != nil || !rep.Committed || rep.Kinds["transfers"].Records == 0 {
			t.Fatalf("goaml STR sample: %+v, %v", rep, err)
		}
		again, err := ingest.Files(ctx, db, []string{str}, ingest.Options{Format: ingest.FormatGoAML, MaxErrors: -1})
		if err != nil || again.Totals.Inserted != 0 {
			t.Fatalf("re-ingesting the goaml sample inserted %+v, %v", again, err)
		}
	} else {
		t.Logf("goAML STR sample not found at %s (../shared absent); import not tested here", str)
	}
	if _, err := ingest.Files(ctx, db, []string{pp}, ingest.Options{Format: "xlsx"}); vigil.ErrorCode(err) != vigil.EINVALID {
		t.Fatalf("unknown format: %v", err)
	}
	sample := filepath.Join("..", "iso20022", "testdata", "pain.001.001.09.xml")
	if _, err := os.Stat(sample); err != nil {
		t.Skipf("ISO 20022 sample %s absent: %v", sample, err)
	}
	rep, err := ingest.Files(ctx, db, []string{sample}, ingest.Options{Format: ingest.FormatISO20022, MaxErrors: -1, RejectDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Kinds[sqlite.KindTransfers].Inserted == 0 || rep.Kinds[sqlite.KindParties].Inserted == 0 {
		t.Fatalf("ISO 20022 load: %+v", rep.Kinds)
	}
	rep, err = ingest.Files(ctx, db, []string{sample}, ingest.Options{Format: ingest.FormatISO20022, MaxErrors: 0, RejectDir: dir})
	if err != nil || rep.Totals.Unchanged != rep.Totals.Records-rep.Totals.Rejected {
		t.Fatalf("ISO 20022 re-load: %v %+v", err, rep.Totals)
	}
}

func TestDetectKindAndList(t *testing.T) {
	dir := t.TempDir()
	for name, want := range map[string]string{
		"\ufeffparty_id,full_name\n":     sqlite.KindParties,
		"\"transfer_id\",party_id\r\n":   sqlite.KindTransfers,
		"event_id,timestamp":             sqlite.KindCalls,
		" lead_id , full_name\nL1,A B\n": sqlite.KindLeads,
	} {
		p := write(t, dir, "x.csv", name)
		if got, err := ingest.DetectKind(p); err != nil || got != want {
			t.Errorf("DetectKind(%q) = %q, %v; want %q", name, got, err, want)
		}
	}
	for _, tc := range [][3]string{{"/d/seeds.csv", "", "seeds"}, {"/d/Seeds-2024.csv", "", "seeds"}, {"/d/leads.csv", "", "leads"}, {"/d/x.csv", "seeds", "seeds"}} {
		if got := ingest.ListFor(tc[0], tc[1]); got != tc[2] {
			t.Errorf("ListFor(%q, %q) = %q", tc[0], tc[1], got)
		}
	}
}

func ptr[T any](v T) *T { return &v }

func itoa(i int) string {
	return strings.TrimSpace(strings.Repeat(" ", 0) + string(rune('0'+i/100%10)) + string(rune('0'+i/10%10)) + string(rune('0'+i%10)) + string(rune('a'+i/1000)))
}

func TestCancelLeavesStoreUnchanged(t *testing.T) {
	dir := t.TempDir()
	db := open(t, filepath.Join(dir, "vigil.db"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rep, err := ingest.Files(ctx, db, world(t, dir), ingest.Options{MaxErrors: -1})
	if err == nil || rep.Committed || !strings.Contains(err.Error(), "interrupted") {
		t.Fatalf("cancelled load: %v, %+v", err, rep)
	}
	if n := rowCount(t, db, "parties") + rowCount(t, db, "loads"); n != 0 {
		t.Fatalf("rows after a cancelled load: %d", n)
	}
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

// TestRejectsTimestampOutsideStoredYears: the store keeps a timestamp as
// nanoseconds since 1970 in 64 bits (1678–2261); a row outside is
// rejected with its line and reason, and the good rows load.
func TestRejectsTimestampOutsideStoredYears(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := open(t, filepath.Join(dir, "vigil.db"))
	bad := transfersCSV +
		"T4,1600-03-03T10:00:00+08:00,P2,Ana Cruz,,PH,20,AUD,bank,\n" +
		"T5,2300-03-03T10:00:00+08:00,P2,Ana Cruz,,PH,20,AUD,bank,\n"
	tp := write(t, dir, "transfers.csv", bad)
	pp := write(t, dir, "parties.csv", partiesCSV)
	rep, err := ingest.Files(ctx, db, []string{pp, tp}, ingest.Options{MaxErrors: -1})
	if err != nil {
		t.Fatal(err)
	}
	if c := rep.Kinds[sqlite.KindTransfers]; c != (ingest.Counts{Records: 5, Inserted: 3, Rejected: 2}) {
		t.Fatalf("transfers %+v", c)
	}
	if len(rep.Errors) != 2 {
		t.Fatalf("errors %v", rep.Errors)
	}
	for i, e := range rep.Errors {
		if e.File != tp || e.Line != 5+i || e.Column != 2 || e.Field != "timestamp" || !strings.Contains(e.Reason, "outside 1678–2261") {
			t.Errorf("reject %d: %+v", i, e)
		}
	}
	if n := rowCount(t, db, "transfers"); n != 3 {
		t.Fatalf("%d transfers stored, want 3", n)
	}
}
