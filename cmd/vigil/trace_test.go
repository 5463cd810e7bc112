package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vigilfiu/vigil/sqlite"
)

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	src, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
}

func mustRun(t *testing.T, want string, args ...string) string {
	t.Helper()
	out, err := runVigil(t, args...)
	if err != nil {
		t.Fatalf("vigil %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	if want != "" && !strings.Contains(out, want) {
		t.Fatalf("vigil %s: output lacks %q:\n%s", strings.Join(args, " "), want, out)
	}
	return out
}

// dumpQuery returns every value q selects from the store at path.
func dumpQuery(t *testing.T, path, q string) string {
	t.Helper()
	db, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.SQL().Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var b strings.Builder
	for rows.Next() {
		vs := make([]any, len(cols))
		ps := make([]any, len(cols))
		for i := range vs {
			ps[i] = &vs[i]
		}
		if err := rows.Scan(ps...); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%q\n", vs)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func sameFile(t *testing.T, a, b string) {
	t.Helper()
	x, err := os.ReadFile(a)
	if err != nil {
		t.Fatal(err)
	}
	y, err := os.ReadFile(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(x) == 0 || !bytes.Equal(x, y) {
		t.Fatalf("%s (%d bytes) and %s (%d bytes) differ", a, len(x), b, len(y))
	}
}

// TestScanKeepsResolution: vigil scan on the store keeps the beneficiary
// resolution it made, and a trace and a correlate after it give the same
// bytes as on a store that only traced (which resolved itself); the scan's
// alerts are the same with and without keeping; a store whose transfers
// were not loaded in time order is not kept by the scan (its order is
// not the graph's) and the trace resolves.
func TestScanKeepsResolution(t *testing.T) {
	dir := t.TempDir()
	world := filepath.Join(dir, "w")
	mustRun(t, "", "synth", "--out", world, "--customers", "1500", "--seed", "7")
	parties, transfers := filepath.Join(world, "parties.csv"), filepath.Join(world, "transfers.csv")
	seeds, calls := filepath.Join(world, "seeds.csv"), filepath.Join(world, "calls.csv")
	a, b, c := filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db"), filepath.Join(dir, "c.db")
	mustRun(t, "", "--db", a, "ingest", parties, transfers)
	copyFile(t, a, b)
	copyFile(t, a, c)
	out := func(name string) string { return filepath.Join(dir, name) }

	// Scan, then trace twice: the scan kept its resolution and the
	// graph's rows, which both traces replay.
	mustRun(t, "graph's rows kept in the store", "--db", a, "scan", "--all", "--out", out("alerts-a.jsonl"))
	mustRun(t, "kept in the store used", "--db", a, "trace", "--seeds", seeds, "--out", out("trace-a1.jsonl"), "--candidates", out("cand-a1.jsonl"))
	mustRun(t, "kept in the store used", "--db", a, "trace", "--seeds", seeds, "--out", out("trace-a2.jsonl"))
	// A second scan keeps nothing again: the store's resolution stands.
	if o := mustRun(t, "", "--db", a, "scan", "--all", "--out", out("alerts-a2.jsonl")); strings.Contains(o, "beneficiary resolution") {
		t.Fatalf("a scan of a store that keeps a resolution kept one again:\n%s", o)
	}
	mustRun(t, "kept in the store used", "--db", a, "correlate", "--seeds", seeds, "--calls", calls, "--out", out("links-a.jsonl"))

	// Trace alone: resolves itself.
	mustRun(t, "resolving the recipients", "--db", b, "trace", "--seeds", seeds, "--out", out("trace-b.jsonl"), "--candidates", out("cand-b.jsonl"))
	mustRun(t, "kept in the store used", "--db", b, "correlate", "--seeds", seeds, "--calls", calls, "--out", out("links-b.jsonl"))
	sameFile(t, out("trace-a1.jsonl"), out("trace-b.jsonl"))
	sameFile(t, out("cand-a1.jsonl"), out("cand-b.jsonl"))
	sameFile(t, out("trace-a2.jsonl"), out("trace-b.jsonl"))
	sameFile(t, out("links-a.jsonl"), out("links-b.jsonl"))
	mustRun(t, "", "correlate", "--seeds", seeds, "--calls", calls, "--parties", parties, "--transfers", transfers, "--out", out("links-files.jsonl"))
	sameFile(t, out("links-a.jsonl"), out("links-files.jsonl"))
	mustRun(t, "", "trace", "--seeds", seeds, "--parties", parties, "--transfers", transfers, "--out", out("trace-files.jsonl"))
	sameFile(t, out("trace-a1.jsonl"), out("trace-files.jsonl"))
	// What the stores keep is the same, byte for byte: the scan's
	// clustering is the trace's.
	for _, q := range []string{
		`SELECT first_ben, n, data FROM beneficiary_blocks ORDER BY first_ben`,
		`SELECT first_rowid, block FROM beneficiary_assign ORDER BY first_rowid`,
		`SELECT first_row, n, rows, ids FROM graph_rows ORDER BY first_row`,
		`SELECT kind, list FROM graph_tables ORDER BY kind`,
		`SELECT resolver, max_rowid, transfers, beneficiaries FROM beneficiary_runs ORDER BY run_id DESC LIMIT 1`,
	} {
		if x, y := dumpQuery(t, a, q), dumpQuery(t, b, q); x == "" || x != y {
			t.Fatalf("%s: the store scanned keeps %d bytes, the store traced %d, not the same", q, len(x), len(y))
		}
	}

	// The alerts do not depend on keeping.
	mustRun(t, "", "--db", c, "scan", "--all", "--keep-resolution=false", "--out", out("alerts-c.jsonl"))
	sameFile(t, out("alerts-a.jsonl"), out("alerts-c.jsonl"))
	sameFile(t, out("alerts-a2.jsonl"), out("alerts-c.jsonl"))
	mustRun(t, "resolving the recipients", "--db", c, "trace", "--seeds", seeds, "--out", out("trace-c.jsonl"))

	// Transfers loaded newest first: the scan reads them in time order,
	// not the order the graph resolves in, so it keeps nothing.
	raw, err := os.ReadFile(transfers)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(strings.TrimSuffix(string(raw), "\n")+"\n", "\n")
	lines = lines[:len(lines)-1]
	body := slices.Clone(lines[1:])
	slices.Reverse(body)
	rev := filepath.Join(dir, "reversed.csv")
	if err := os.WriteFile(rev, []byte(lines[0]+strings.Join(body, "")), 0o600); err != nil {
		t.Fatal(err)
	}
	d := filepath.Join(dir, "d.db")
	mustRun(t, "", "--db", d, "ingest", parties, rev)
	mustRun(t, "not read the transfers in the order they were loaded", "--db", d, "scan", "--all", "--out", out("alerts-d.jsonl"))
	mustRun(t, "resolving the recipients", "--db", d, "trace", "--seeds", seeds, "--out", out("trace-d.jsonl"))
}
