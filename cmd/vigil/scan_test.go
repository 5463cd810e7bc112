package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// corruptRows rewrites the file at path with a cell added to the given
// lines (1-based, the header is line 1), so that the reader rejects them.
func corruptRows(t *testing.T, path string, lines ...int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows := strings.Split(string(b), "\n")
	for _, l := range lines {
		rows[l-1] += ",extra"
	}
	if err := os.WriteFile(path, []byte(strings.Join(rows, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
}

// vigil scan of files reports rejected rows parties first, then
// transfers in file order, and a parties file that cannot be read stops
// the scan with its own error and nothing of the transfers reported
// (held for any change that reads the two files at once).
func TestScanFilesRejectsInOrder(t *testing.T) {
	dir := t.TempDir()
	world := filepath.Join(dir, "w")
	mustRun(t, "", "synth", "--out", world, "--customers", "300", "--seed", "5")
	parties, transfers := filepath.Join(world, "parties.csv"), filepath.Join(world, "transfers.csv")
	corruptRows(t, parties, 5)
	corruptRows(t, transfers, 7, 900)
	out := mustRun(t, `"rejected": 3`, "scan", "--parties", parties, "--transfers", transfers, "--all", "--json", "--out", filepath.Join(dir, "a.jsonl"))
	p := strings.Index(out, "rejected "+parties+":5:")
	t7 := strings.Index(out, "rejected "+transfers+":7:")
	t900 := strings.Index(out, "rejected "+transfers+":900:")
	if p < 0 || t7 < 0 || t900 < 0 || !(p < t7 && t7 < t900) {
		t.Fatalf("rejected rows not reported parties first, then in file order:\n%s", out)
	}

	missing := filepath.Join(dir, "none.csv")
	out, err := runVigil(t, "scan", "--parties", missing, "--transfers", transfers, "--out", filepath.Join(dir, "b.jsonl"))
	if err == nil || !strings.Contains(err.Error(), "none.csv") {
		t.Fatalf("scan with a missing parties file: error %v, want one naming it", err)
	}
	if strings.Contains(out, "transfers.csv:") {
		t.Fatalf("transfers reported after the parties file failed:\n%s", out)
	}
	// Both files missing: the parties file is named, as when it was read first.
	if _, err := runVigil(t, "scan", "--parties", missing, "--transfers", filepath.Join(dir, "none2.csv")); err == nil || !strings.Contains(err.Error(), "none.csv") {
		t.Fatalf("scan with both files missing: error %v, want the parties file's", err)
	}
}
