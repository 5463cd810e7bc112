package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/csv"
	"github.com/vigilfiu/vigil/graph"
	"github.com/vigilfiu/vigil/sqlite"
)

// networkFlags are the inputs trace and correlate share: the files that
// make the payment network, or the store when none is given.
type networkFlags struct {
	parties, transfers, seeds string
	allowExtra                bool
	maxErrors                 int
	seedScore                 float64
	// oneTrace: the network serves one trace or correlation, which finds
	// its seeds' candidates in one pass (graph.Options.NoSeedIndex).
	oneTrace bool
	// fullParties: the caller needs every party's record (network.parties),
	// not only their names for the graph.
	fullParties bool
	// onParties, when set (with fullParties), is called with the parties
	// on the goroutine that reads them, while the graph is built, and has
	// returned when loadNetwork returns (vigil correlate indexes them
	// there: correlate.PrepareParties).
	onParties func([]vigil.Party)
	// keepLater: a resolution the store's graph made is kept while the
	// caller works on the graph (sqlite.GraphOptions.KeepLater); the
	// caller calls network.waitKeep before it uses the store again, and
	// network.close waits for it.
	keepLater bool
}

func (f *networkFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.seeds, "seeds", "", "seeds.csv: the identifiers of arrested facilitators (default: the seeds in the store)")
	cmd.Flags().StringVar(&f.parties, "parties", "", "parties.csv (with --transfers: read files instead of the store)")
	cmd.Flags().StringVar(&f.transfers, "transfers", "", "transfers.csv (with --parties: read files instead of the store)")
	cmd.Flags().BoolVar(&f.allowExtra, "allow-extra", false, "accept unknown columns in the input files")
	cmd.Flags().IntVar(&f.maxErrors, "max-errors", 0, "rejected input rows tolerated (each is reported) before giving up")
	cmd.Flags().Float64Var(&f.seedScore, "min-seed-score", graph.DefaultSeedThreshold, "seed candidates scoring at least this are picked (docs/trace.md)")
}

// rejects reports rejected rows on stderr and fails past the limit.
type rejects struct {
	w     io.Writer
	max   int
	count int
}

func (r *rejects) add(err error) error {
	var re *csv.RowError
	if !errors.As(err, &re) {
		return err
	}
	r.count++
	fmt.Fprintf(r.w, "vigil: rejected %s\n", re.Error())
	if r.count > r.max {
		return vigil.Errorf(vigil.EINVALID, "%s (%d rejected row(s), --max-errors %d)", re.Error(), r.count, r.max)
	}
	return nil
}

// network is what trace and correlate work on.
type network struct {
	g       *graph.Graph
	seeds   []vigil.Lead
	parties []vigil.Party
	db      *sqlite.DB // open when read from the store; the caller closes it
	rej     *rejects
	keep    *sqlite.GraphReport // a keep still running (networkFlags.keepLater)
}

func loadNetwork(ctx context.Context, e *env, f *networkFlags) (*network, error) {
	n := &network{rej: &rejects{w: e.stderr, max: f.maxErrors}}
	opt := csv.Options{AllowExtra: f.allowExtra}
	if (f.parties == "") != (f.transfers == "") {
		return nil, vigil.Errorf(vigil.EINVALID, "give both --parties and --transfers, or neither to use the store %s", e.db)
	}
	if f.parties == "" || f.seeds == "" {
		if _, err := os.Stat(e.db); err != nil {
			return nil, vigil.Errorf(vigil.EINVALID, "no --parties/--transfers/--seeds files and no store at %s (run vigil ingest first, or give the files)", e.db)
		}
		db, err := sqlite.Open(e.db)
		if err != nil {
			return nil, err
		}
		n.db = db
	}
	if f.seeds != "" {
		ls, bad, err := csv.ReadLeadsFile(f.seeds, opt)
		if err != nil {
			return nil, err
		}
		for _, b := range bad {
			if err := n.rej.add(b); err != nil {
				return nil, err
			}
		}
		n.seeds = ls
	} else {
		ls, err := n.db.FindLeads(ctx, sqlite.ListSeeds)
		if err != nil {
			return nil, err
		}
		for _, l := range ls {
			n.seeds = append(n.seeds, *l)
		}
	}
	if len(n.seeds) == 0 {
		return nil, vigil.Errorf(vigil.EINVALID, "no seeds: give --seeds seeds.csv (columns as leads.csv) or ingest a seeds file")
	}
	if f.parties != "" {
		// A batch build: collect garbage less often (the heap is mostly
		// the graph being built).
		defer debug.SetGCPercent(debug.SetGCPercent(200))
		// parties.csv is read while the transfers are fed; its rejected
		// rows are reported after the transfers'.
		// Their names are prepared for the graph on the same goroutine.
		type partiesRead struct {
			ps    []vigil.Party
			names *graph.PartyNames
			bad   []*csv.RowError
			err   error
		}
		pc := make(chan partiesRead, 1)
		go func() {
			ps, bad, err := csv.ReadPartiesFile(f.parties, opt)
			var names *graph.PartyNames
			if err == nil {
				names = graph.NewPartyNames(ps)
				if f.onParties != nil {
					f.onParties(ps)
				}
			}
			pc <- partiesRead{ps, names, bad, err}
		}()
		b := graph.NewBuilder(graph.Options{SizeHint: transfersHint(f.transfers), NoSeedIndex: f.oneTrace, CollectLaidOut: true})
		file, err := os.Open(f.transfers)
		if err != nil {
			return nil, vigil.Errorf(vigil.EINVALID, "cannot read %s: %v", f.transfers, err)
		}
		defer file.Close()
		r, err := csv.NewTransferReader(bufio.NewReaderSize(file, 1<<20), f.transfers, opt)
		if err != nil {
			return nil, err
		}
		if _, err := b.Feed(ctx, r, n.rej.add); err != nil {
			return nil, err
		}
		pr := <-pc
		if pr.err != nil {
			return nil, pr.err
		}
		for _, b := range pr.bad {
			if err := n.rej.add(b); err != nil {
				return nil, err
			}
		}
		n.parties = pr.ps
		b.AddPartyNames(pr.names)
		n.g = b.Build()
		return n, nil
	}
	// The store: the graph is built from the beneficiary resolution the
	// store keeps, made (and kept) first when it has none covering every
	// stored transfer; stderr says which.
	defer debug.SetGCPercent(debug.SetGCPercent(200))
	// CollectLaidOut as from the files, whether the stored transfers are
	// resolved or kept rows replayed: what the build allocates after the
	// layout reuses the input-order rows' pages.
	gopt := sqlite.GraphOptions{Graph: graph.Options{NoSeedIndex: f.oneTrace, CollectLaidOut: true}, Log: e.stderr, KeepLater: f.keepLater}
	// The graph reads the parties' names itself; when the caller needs
	// the parties' identities too, they are read once, on another
	// goroutine while the graph is built, and the graph takes the names
	// from that read.
	type partiesRead struct {
		ps  []vigil.Party
		err error
	}
	pc := make(chan partiesRead, 1)
	got := sync.OnceValue(func() partiesRead { return <-pc })
	// prepared is closed when onParties has returned: it runs after the
	// graph has the parties, so that the build never waits for it.
	prepared := make(chan struct{})
	if f.fullParties {
		go func() {
			defer close(prepared)
			ps, err := n.db.PartyIdentities(ctx)
			pc <- partiesRead{ps, err}
			if err == nil && f.onParties != nil {
				f.onParties(ps)
			}
		}()
		gopt.PartiesLater = func() ([]vigil.Party, error) { r := got(); return r.ps, r.err }
	}
	g, rep, err := n.db.LoadGraph(ctx, gopt)
	if f.fullParties {
		<-prepared
	}
	if err != nil {
		return nil, err
	}
	n.keep = rep
	if f.fullParties {
		r := got()
		if r.err != nil {
			n.waitKeep()
			return nil, r.err
		}
		n.parties = r.ps
	}
	n.g = g
	return n, nil
}

// waitKeep waits for the keep loadNetwork left running, if any; stderr
// says whether the resolution was kept (a failure to keep does not fail
// the command: the next trace resolves again, as it says).
func (n *network) waitKeep() {
	if n.keep != nil {
		n.keep.WaitKeep()
		n.keep = nil
	}
}

// close waits for the keep (the process must not exit during it) and
// closes the store.
func (n *network) close() {
	n.waitKeep()
	if n.db != nil {
		n.db.Close()
	}
}

// createOut opens path for writing, "-" or "" for stdout.
func createOut(e *env, path string) (io.Writer, func() error, error) {
	if path == "" || path == "-" {
		return e.stdout, func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, vigil.Errorf(vigil.EINVALID, "cannot write %s: %v", path, err)
	}
	w := bufio.NewWriterSize(f, 1<<16)
	return w, func() error {
		if err := w.Flush(); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}, nil
}

func writeJSONLines[T any](e *env, path string, items []T) error {
	w, done, err := createOut(e, path)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	for i := range items {
		if err := enc.Encode(&items[i]); err != nil {
			done()
			return err
		}
	}
	return done()
}

// candidateSummary explains in one message why no seed was resolved.
func candidateSummary(cs []vigil.SeedCandidate) string {
	if len(cs) == 0 {
		return "no beneficiary shares a phone, an account or a name with any seed"
	}
	var b strings.Builder
	seen := map[string]bool{}
	for _, c := range cs {
		if seen[c.SeedID] {
			continue
		}
		seen[c.SeedID] = true
		fmt.Fprintf(&b, "; %s: best %s %q score %.3f (%s)", c.SeedID, c.BeneficiaryID, c.Name, c.Score, strings.Join(c.Reasons, ", "))
	}
	return strings.TrimPrefix(b.String(), "; ")
}

func newTraceCmd(e *env) *cobra.Command {
	var nf networkFlags
	var out, cands, gexf, graphml, cpuprofile string
	var limit, exportTop int
	cmd := &cobra.Command{
		Use:   "trace",
		Short: "Rank the domestic customers who paid the facilitators named in seeds, with evidence",
		Long: `trace resolves each seed (an arrested facilitator's name, phone, account)
to beneficiaries, showing every candidate with its score, then ranks the
domestic senders: the seeds' own payers first, then second-degree senders
who pay the same other recipients, then relatives sending family money.
Each output line is {"party_id","score","rank","degree","path","evidence"}.
The method is in docs/trace.md.

Without --parties/--transfers the network is built from the store (--db).
The first trace on a store resolves the recipients of every stored
transfer into beneficiaries and keeps the resolution in the store; later
traces (and vigil correlate) read it instead, about half the work. A
vigil scan of the store keeps the resolution it makes too (when it read
the transfers in the order they were loaded), so that the first trace
after it does not resolve. After new transfers are loaded, the next trace
resolves again over all of them (stderr says so and why). The result is
the same as from the files.`,
		Example: `  vigil trace --seeds seeds.csv --parties parties.csv --transfers transfers.csv --out ranked.jsonl --gexf net.gexf
  vigil trace --seeds seeds.csv          # against the store (vigil.db)`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			start := time.Now()
			if cpuprofile != "" {
				stop, err := startCPUProfile(cpuprofile)
				if err != nil {
					return err
				}
				defer stop()
			}
			// Unlike vigil correlate, the trace goes back to the default
			// GOGC when the build returns. The build's last collection is
			// the one it makes when the payments are laid out
			// (graph.Options.CollectLaidOut, 1,262 MB live on the 5M
			// world), so none comes during the trace (goal ~2.5 GB;
			// GODEBUG=gctrace=1 at eafd8fd). Before that option the last
			// came during the feed (~750 MB live) and one marking the
			// graph started when the build returned; keeping 200 then
			// (1ff4946, withdrawn) moved it into the build in some runs
			// and the trace's allocations took fresh pages: no CPU saved
			// in three 5M pairs, +0.6 s system time in each.
			nf.oneTrace = true
			// The trace and its output overlap the keep; close waits.
			nf.keepLater = true
			n, err := loadNetwork(cmd.Context(), e, &nf)
			if err != nil {
				return err
			}
			defer n.close()
			built := time.Since(start)
			res, err := n.g.Trace(n.seeds, graph.TraceOptions{SeedThreshold: nf.seedScore, Limit: limit})
			if err != nil {
				return err
			}
			if cands != "" {
				if err := writeJSONLines(e, cands, res.Candidates); err != nil {
					return err
				}
			}
			if len(res.SeedBeneficiaries) == 0 {
				return vigil.Errorf(vigil.EINVALID, "no seed candidate reached --min-seed-score %.2f: %s", nf.seedScore, candidateSummary(res.Candidates))
			}
			if err := writeJSONLines(e, out, res.Parties); err != nil {
				return err
			}
			net := n.g.TraceNetwork(res, exportTop)
			for _, x := range []struct {
				path  string
				write func(io.Writer) error
			}{{gexf, net.WriteGEXF}, {graphml, net.WriteGraphML}} {
				if x.path == "" {
					continue
				}
				w, done, err := createOut(e, x.path)
				if err != nil {
					return err
				}
				if err := x.write(w); err != nil {
					done()
					return err
				}
				if err := done(); err != nil {
					return err
				}
			}
			return traceSummary(e, n, res, out, built, time.Since(start))
		},
	}
	nf.register(cmd)
	cmd.Flags().StringVar(&out, "out", "-", "ranked parties as JSON Lines (- for stdout)")
	cmd.Flags().StringVar(&cands, "candidates", "", "also write every seed candidate (picked or not) as JSON Lines")
	cmd.Flags().StringVar(&gexf, "gexf", "", "write the traced network as GEXF 1.3 (Gephi)")
	cmd.Flags().StringVar(&graphml, "graphml", "", "write the traced network as GraphML")
	cmd.Flags().IntVar(&limit, "limit", 0, "rank at most this many parties (0: every party reached)")
	cmd.Flags().IntVar(&exportTop, "export-top", 200, "parties in the exported network")
	cmd.Flags().StringVar(&cpuprofile, "cpuprofile", "", "write a CPU profile of the run to this file (performance measurement)")
	cmd.Flags().MarkHidden("cpuprofile")
	return cmd
}

func traceSummary(e *env, n *network, res *graph.TraceResult, out string, built, total time.Duration) error {
	counts := map[string]int{}
	for _, p := range res.Parties {
		counts[p.Evidence.Relation]++
	}
	picked := 0
	for _, c := range res.Candidates {
		if c.Picked {
			picked++
		}
	}
	if e.json {
		w := e.stderr
		if out != "" && out != "-" {
			w = e.stdout
		}
		return json.NewEncoder(w).Encode(map[string]any{
			"seeds": len(n.seeds), "candidates": len(res.Candidates), "picked": picked,
			"transfers": n.g.NumTransfers(), "parties": len(res.Parties), "relations": counts,
			"rejected": n.rej.count, "build_s": built.Seconds(), "total_s": total.Seconds(),
		})
	}
	fmt.Fprintf(e.stderr, "vigil trace: %d seed(s), %d candidate(s), %d picked; %d transfers in %s; %d parties ranked (%d direct, %d second-degree, %d relatives) in %s",
		len(n.seeds), len(res.Candidates), picked, n.g.NumTransfers(), built.Round(time.Millisecond), len(res.Parties),
		counts[graph.RelationDirect], counts[graph.RelationSecond], counts[graph.RelationRelative], total.Round(time.Millisecond))
	if n.rej.count > 0 {
		fmt.Fprintf(e.stderr, "; %d row(s) rejected", n.rej.count)
	}
	fmt.Fprintln(e.stderr)
	for _, c := range res.Candidates {
		mark := " "
		if c.Picked {
			mark = "*"
		}
		fmt.Fprintf(e.stderr, "  %s %-10s %-22s %.3f %-30.30s %d payer(s)\n", mark, c.SeedID, c.BeneficiaryID, c.Score, c.Name, c.Payers)
	}
	return nil
}

// transfersHint estimates how many transfers a transfers file holds from
// its size, for builders that allocate once (graph.Options.SizeHint,
// resolve's Expect): vigil synth rows average 140 bytes, so a hint a
// little above the count spares growing 5M-row arrays by copying. 0 when
// the file cannot be read (the structures then grow as they fill).
func transfersHint(path string) int {
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return int(st.Size() / 128)
}
