package main

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/correlate"
	"github.com/vigilfiu/vigil/detect"
	"github.com/vigilfiu/vigil/graph"
	"github.com/vigilfiu/vigil/ingest"
	"github.com/vigilfiu/vigil/resolve"
	"github.com/vigilfiu/vigil/sqlite"
	"github.com/vigilfiu/vigil/synth"
)

// newDemoCmd generates a synthetic world, loads it into a fresh store,
// scans it, and serves the workspace with a demo account.
func newDemoCmd(e *env) *cobra.Command {
	var dir string
	var customers int
	var seed int64
	var o serveOptions
	var noServe bool
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Generate a synthetic world, ingest and scan it, and serve the workspace",
		Long: `demo shows vigil end to end on synthetic data (no real person is in it):
it writes a synthetic world to --dir, loads it into a fresh store
(--dir/vigil.db), scans every sender, saves the alerts, matches the lead
list, traces the seeds, correlates the seized call log and links duplicate
customers (writing matches.jsonl, trace.jsonl, links.jsonl, clusters.jsonl
and importing them as findings), creates a demo
supervisor account and serves the workspace until Ctrl-C.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			sum, err := synth.Generate(synth.Config{Customers: customers, Seed: seed}, dir)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "1. synthetic world: %d parties, %d transfers in %s\n", sum.Parties, sum.Transfers, dir)

			path := filepath.Join(dir, "vigil.db")
			for _, p := range []string{path, path + "-wal", path + "-shm"} {
				if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
					return err
				}
			}
			db, err := sqlite.Open(path)
			if err != nil {
				return err
			}
			defer db.Close()
			var inputs []string
			for _, f := range []string{"parties.csv", "transfers.csv", "calls.csv", "leads.csv", "seeds.csv"} {
				inputs = append(inputs, filepath.Join(dir, f))
			}
			rep, err := ingest.Files(ctx, db, inputs, ingest.Options{MaxErrors: -1})
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "2. ingested into %s: %d records inserted, %d rejected\n", path, rep.Totals.Inserted, rep.Totals.Rejected)

			eng, err := (&scanInput{fx: filepath.Join(dir, "rates.csv")}).newEngine()
			if err != nil {
				return err
			}
			e2 := *e
			e2.db = path
			// As vigil scan on a store: the resolution of the recipients is kept
			// for the trace and correlation of step 4.
			if _, err := feedStoreKeep(ctx, &e2, eng, nil, true); err != nil {
				return err
			}
			var alerts []*vigil.Alert
			for _, a := range eng.ScoreAll() {
				if detect.Reported(a) {
					eng.Explain(a)
					alerts = append(alerts, a)
				}
			}
			if err := db.ReplaceAlerts(ctx, alerts); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "3. scanned: %d alerts saved (see vigil eval --dir %s for precision against the ground truth)\n", len(alerts), dir)

			counts, err := demoFindings(ctx, &e2, db, dir)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "4. leads matched, seeds traced, call log correlated, duplicates linked: %d lead match(es), %d traced part(ies), %d handle(s), %d duplicate cluster(s) imported (see the Leads page)\n",
				counts[vigil.FindingMatch], counts[vigil.FindingTrace], counts[vigil.FindingHandle], counts[vigil.FindingCluster])

			o.engine.fx = filepath.Join(dir, "rates.csv")
			o.goamlEntity = filepath.Join(dir, "entity.yaml")
			if err := os.WriteFile(o.goamlEntity, []byte(demoEntity), 0o600); err != nil {
				return err
			}
			if noServe {
				return nil
			}
			password := demoPassword()
			if _, err := ensureDemoUser(ctx, db, "demo", password); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "5. sign in as user \"demo\" (supervisor) with password %s\n", password)
			return serveStore(ctx, e, db, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&dir, "dir", "demo", "folder for the synthetic world and its store")
	f.IntVar(&customers, "customers", 5000, "number of synthetic customers")
	f.Int64Var(&seed, "seed", 1, "seed of the synthetic world")
	f.StringVar(&o.addr, "addr", "127.0.0.1:8080", "address to serve the workspace on")
	f.BoolVar(&noServe, "no-serve", false, "stop after the scan instead of serving the workspace")
	return cmd
}

// demoFindings runs match, trace, correlate and dedupe on the demo store
// the way the commands of the same names do, writes their JSON lines next
// to the world and imports them, so that a new analyst finds them on the
// Leads and party pages. Matching and deduplication run beside the graph
// build. It returns the findings stored per kind.
func demoFindings(ctx context.Context, e *env, db *sqlite.DB, dir string) (map[vigil.FindingKind]int, error) {
	ps, _, err := db.FindParties(ctx, vigil.PartyFilter{})
	if err != nil {
		return nil, err
	}
	recs := make([]resolve.Record, len(ps))
	for i, p := range ps {
		recs[i] = resolve.RecordFromParty(p)
	}
	leads, err := db.FindLeads(ctx, sqlite.ListLeads)
	if err != nil {
		return nil, err
	}
	files := map[vigil.FindingKind]string{
		vigil.FindingMatch: filepath.Join(dir, "matches.jsonl"), vigil.FindingCluster: filepath.Join(dir, "clusters.jsonl"),
		vigil.FindingTrace: filepath.Join(dir, "trace.jsonl"), vigil.FindingHandle: filepath.Join(dir, "links.jsonl"),
	}
	resolved := make(chan error, 1)
	go func() {
		resolved <- func() error {
			lrecs := make([]resolve.Record, len(leads))
			for i, l := range leads {
				lrecs[i] = resolve.RecordFromLead(l)
			}
			m := resolve.NewMatcher(recs, resolve.Options{})
			m.Fit(lrecs)
			if err := demoWrite(files[vigil.FindingMatch], func(w io.Writer) error { return resolve.WriteMatches(w, lrecs, m.MatchAll(lrecs)) }); err != nil {
				return err
			}
			res := resolve.Dedupe(recs, resolve.Options{})
			return demoWrite(files[vigil.FindingCluster], func(w io.Writer) error { _, err := resolve.WriteClusters(w, recs, res); return err })
		}()
	}()
	traced := func() error {
		n, err := loadNetwork(ctx, e, &networkFlags{seedScore: graph.DefaultSeedThreshold})
		if err != nil {
			return err
		}
		defer n.close()
		tr, err := n.g.Trace(n.seeds, graph.TraceOptions{SeedThreshold: graph.DefaultSeedThreshold})
		if err != nil {
			return err
		}
		if err := writeJSONLines(e, files[vigil.FindingTrace], tr.Parties); err != nil {
			return err
		}
		var events []vigil.CallEvent
		if err := n.db.EachCallEvent(ctx, "", func(ev *vigil.CallEvent) error { events = append(events, *ev); return nil }); err != nil {
			return err
		}
		co, err := correlate.Correlate(n.g, n.parties, events, n.seeds, correlate.Options{SeedThreshold: graph.DefaultSeedThreshold})
		if err != nil {
			return err
		}
		return writeJSONLines(e, files[vigil.FindingHandle], co.Links)
	}()
	if err := <-resolved; err != nil {
		return nil, err
	}
	if traced != nil {
		return nil, traced
	}
	counts := map[vigil.FindingKind]int{}
	for _, k := range []vigil.FindingKind{vigil.FindingMatch, vigil.FindingTrace, vigil.FindingHandle, vigil.FindingCluster} {
		res, err := importFindings(ctx, db, files[k], k, "demo")
		if err != nil {
			return nil, err
		}
		counts[k] = res.Inserted + res.Updated + res.Unchanged
	}
	return counts, nil
}

// demoWrite creates path and lets write fill it.
func demoWrite(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return vigil.Errorf(vigil.EINVALID, "cannot write %s: %v", path, err)
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// demoEntity is a made-up reporting entity, so that the demo's supervisor
// can approve and export a goAML STR from the case page.
const demoEntity = `# A made-up reporting entity for the vigil demo (synthetic data only).
rentity_id: 1
branch: Demo
currency_code_local: EUR
reporting_person:
  first_name: Demo
  last_name: Officer
  occupation: MLRO
location:
  city: Demo City
`

// demoPassword returns a fresh random password for the demo account, so
// that no fixed password ships in the binary.
func demoPassword() string {
	b := make([]byte, 10)
	rand.Read(b)
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)
}
