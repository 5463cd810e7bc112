package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/sqlite"
)

// TestDemoFindings: the demo world comes with imported lead matches,
// trace results, handle attributions and duplicate clusters, each with its
// provenance, so that a new analyst finds them in the workspace.
func TestDemoFindings(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	out, err := runVigil(t, "demo", "--dir", dir, "--customers", "800", "--no-serve")
	if err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	if !strings.Contains(out, "4. leads matched, seeds traced, call log correlated, duplicates linked") {
		t.Fatalf("demo output:\n%s", out)
	}
	db, err := sqlite.Open(filepath.Join(dir, "vigil.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fs := sqlite.NewFindingService(db)
	for _, k := range []vigil.FindingKind{vigil.FindingMatch, vigil.FindingTrace, vigil.FindingHandle} {
		got, n, err := fs.FindFindings(context.Background(), vigil.FindingFilter{Kind: &k, Limit: 1})
		if err != nil || n == 0 {
			t.Errorf("no %s finding in the demo store (%v)", k, err)
			continue
		}
		if !strings.HasSuffix(strings.Split(got[0].Source, ":")[0], ".jsonl") || got[0].RunAt.IsZero() {
			t.Errorf("%s finding without provenance: %q %v", k, got[0].Source, got[0].RunAt)
		}
	}
}
