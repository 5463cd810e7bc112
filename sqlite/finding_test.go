package sqlite_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/sqlite"
)

const findingLines = `{"lead_id":"L1","party_id":"P1","score":0.9999,"bits":15.01,"prior_bits":-2,"decision":"match","fields":{"birth_date":{"level":"day and month swapped","bits":11.55,"lead":"1975-12-03","party":"1975-03-12"},"surname":{"level":"exact","bits":6.2,"lead":"reyes","party":"reyes"}}}
{"lead_id":"L1","party_id":"P2","score":0.2,"bits":1,"prior_bits":-2,"decision":"possible","fields":{}}
{"lead_id":"L2","party_id":null,"score":0,"bits":0,"prior_bits":0,"decision":"non-match","fields":{}}
`

func readAll(t *testing.T, src string, kind vigil.FindingKind) []*vigil.Finding {
	t.Helper()
	var fs []*vigil.Finding
	err := vigil.ReadFindings(strings.NewReader(src), "m.jsonl", kind, time.Date(2026, 11, 29, 4, 0, 0, 0, time.UTC), func(f *vigil.Finding) error {
		fs = append(fs, f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

func TestFindingsIdempotent(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "vigil.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := sqlite.NewFindingService(db)
	res, err := s.PutFindings(ctx, readAll(t, findingLines, ""))
	if err != nil {
		t.Fatal(err)
	}
	if res.Inserted != 3 || res.Updated != 0 || res.Unchanged != 0 {
		t.Fatalf("first import: %+v", res)
	}
	res, err = s.PutFindings(ctx, readAll(t, findingLines, vigil.FindingMatch))
	if err != nil {
		t.Fatal(err)
	}
	if res.Inserted != 0 || res.Updated != 0 || res.Unchanged != 3 {
		t.Fatalf("re-import changed something: %+v", res)
	}
	// A changed score for the same lead and party replaces the finding.
	changed := strings.Replace(findingLines, `"score":0.2,`, `"score":0.3,`, 1)
	res, err = s.PutFindings(ctx, readAll(t, changed, ""))
	if err != nil {
		t.Fatal(err)
	}
	if res.Updated != 1 || res.Unchanged != 2 {
		t.Fatalf("changed import: %+v", res)
	}
	p1 := "P1"
	fs, total, err := s.FindFindings(ctx, vigil.FindingFilter{PartyID: &p1})
	if err != nil {
		t.Fatal(err)
	}
	if total != 1 || len(fs) != 1 {
		t.Fatalf("findings of P1: %d", total)
	}
	f := fs[0]
	if f.Source != "m.jsonl:1" || f.Match == nil || f.Match.Fields["birth_date"].Bits != 11.55 || f.RunAt.IsZero() {
		t.Fatalf("stored finding lost its content or provenance: %+v", f)
	}
	if !strings.Contains(f.Explanation[1], "birth date day and month swapped") {
		t.Fatalf("strongest field not first in the explanation: %q", f.Explanation)
	}
	l1 := "L1"
	if _, total, _ := s.FindFindings(ctx, vigil.FindingFilter{LeadID: &l1}); total != 2 {
		t.Fatalf("findings of L1: %d, want 2", total)
	}
	got, err := s.FindFindingByID(ctx, f.ID)
	if err != nil || got.Key != "L1|P1" {
		t.Fatalf("by id: %v %+v", err, got)
	}
	if _, err := s.FindFindingByID(ctx, "F-nope"); vigil.ErrorCode(err) != vigil.ENOTFOUND {
		t.Fatalf("unknown id: %v", err)
	}
}

func TestFindingsAllKinds(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "vigil.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := sqlite.NewFindingService(db)
	var all []*vigil.Finding
	all = append(all, readAll(t, `{"party_id":"P3","score":1,"rank":1,"degree":1,"path":["S1","B1","P3"],"evidence":{"relation":"direct_payer","seeds":["S1"],"ppr":0.1,"edges":[],"facts":["paid seed S1 12 times"]}}`, "")...)
	all = append(all, readAll(t, `{"account":"fac1","handle":"buyer77","party_id":"P3","confidence":0.97,"sessions":9,"matched":8,"expected":0.4,"p_value":0.0001,"pairs":[],"reason":"8 sessions minutes after a payment"}
{"account":"fac1","handle":"stranger","party_id":null,"confidence":0.1,"sessions":3,"matched":0,"expected":0.1,"p_value":1,"pairs":[],"reason":"no payer stands out"}`, "")...)
	all = append(all, readAll(t, `{"cluster_id":"P3","party_ids":["P3","P9"],"pairs":[{"a":"P3","b":"P9","score":0.99,"bits":12,"decision":"match","fields":{}}]}`, "")...)
	if _, err := s.PutFindings(ctx, all); err != nil {
		t.Fatal(err)
	}
	p3 := "P3"
	fs, _, err := s.FindFindings(ctx, vigil.FindingFilter{PartyID: &p3})
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[vigil.FindingKind]int{}
	for _, f := range fs {
		kinds[f.Kind]++
	}
	if kinds[vigil.FindingTrace] != 1 || kinds[vigil.FindingHandle] != 1 || kinds[vigil.FindingCluster] != 1 {
		t.Fatalf("P3's findings by kind: %v", kinds)
	}
	k := vigil.FindingHandle
	if _, total, _ := s.FindFindings(ctx, vigil.FindingFilter{Kind: &k}); total != 2 {
		t.Fatalf("handles: %d, want 2 (the unattributed one kept)", total)
	}
}
