package vigil_test

import (
	"strings"
	"testing"
	"time"

	"github.com/vigilfiu/vigil"
)

func TestReadFindingsErrors(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`{"lead_id":"L1","party_id":"P1","score":1,"decision":"match","fields":{}}` + "\n" + `{"lead_id":"L2","decision":"maybe","fields":{}}`, "m.jsonl:2:1: decision \"maybe\""},
		{`{"lead_id":"L1","party_id":"P1","score":"high","decision":"match"}`, "m.jsonl:1:"},
		{`{"lead_id":"L1",`, "m.jsonl:1:"},
		{`{"foo":1}`, "m.jsonl:1:1: not a line of vigil"},
		{`{"cluster_id":"P1","party_ids":["P1"],"pairs":[]}`, "at least two party_ids"},
		{`{"cluster_id":"P1","party_ids":["P1","P1"],"pairs":[]}`, "distinct"},
	} {
		err := vigil.ReadFindings(strings.NewReader(c.in), "m.jsonl", "", time.Now(), func(*vigil.Finding) error { return nil })
		if err == nil || vigil.ErrorCode(err) != vigil.EINVALID || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want EINVALID containing %q", c.in, err, c.want)
		}
	}
}

func TestFindingIDNaturalKey(t *testing.T) {
	read := func(s string) *vigil.Finding {
		var got *vigil.Finding
		if err := vigil.ReadFindings(strings.NewReader(s), "x", "", time.Now(), func(f *vigil.Finding) error { got = f; return nil }); err != nil {
			t.Fatal(err)
		}
		return got
	}
	a := read(`{"party_id":"P1","score":0.5,"rank":2,"degree":1,"path":[],"evidence":{"relation":"direct_payer","seeds":["S2","S1"],"ppr":0.1,"edges":[],"facts":[]}}`)
	b := read(`{"party_id":"P1","score":0.9,"rank":1,"degree":1,"path":[],"evidence":{"relation":"direct_payer","seeds":["S1","S2"],"ppr":0.2,"edges":[],"facts":[]}}`)
	if a.ID != b.ID || a.Key != "S1,S2|P1" {
		t.Fatalf("same seeds and party should be one finding: %s %s %q", a.ID, b.ID, a.Key)
	}
	if a.EvidenceKind() != vigil.EvidenceMatch {
		t.Fatal("a trace result is match evidence")
	}
}

func FuzzReadFindings(f *testing.F) {
	f.Add(`{"lead_id":"L1","party_id":"P1","score":0.9999,"bits":15,"decision":"match","fields":{"name":{"level":"exact","bits":6}}}`)
	f.Add(`{"party_id":"P1","score":1,"rank":1,"degree":1,"path":["S1","B1","P1"],"evidence":{"relation":"direct_payer","seeds":["S1"],"facts":["x"]}}`)
	f.Add(`{"account":"a","handle":"h","party_id":null,"confidence":0.1,"pairs":[]}`)
	f.Add(`{"cluster_id":"P1","party_ids":["P1","P2"],"pairs":[{"a":"P1","b":"P2","score":0.9,"decision":"match","fields":{}}]}`)
	f.Fuzz(func(t *testing.T, s string) {
		vigil.ReadFindings(strings.NewReader(s), "f", "", time.Time{}, func(x *vigil.Finding) error {
			if err := x.Validate(); err != nil {
				t.Fatalf("ReadFindings passed an invalid finding: %v", err)
			}
			if x.Title() == "" || len(x.Explanation) == 0 && x.Kind != vigil.FindingCluster {
				t.Fatalf("finding without title or explanation: %+v", x)
			}
			return nil
		})
	})
}
