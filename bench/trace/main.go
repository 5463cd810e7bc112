// Command trace measures vigil trace on a vigil synth world: the graph
// build from CSV (parse, beneficiary resolution, aggregation) plus a trace
// from up to 10 seeds, median of several runs; then the quality target per
// seized facilitator (its buyers' share of the top K, family remitters in
// the top K).
//
//	go run ./bench/trace -dir /tmp/vigil-5m -customers 400000 -runs 3
//
// With -db STORE it builds the graph from a store holding the same
// world (vigil ingest of its files) as vigil trace does against a store:
// from the beneficiary resolution kept there, resolving and keeping it
// first when the store has none (or it does not cover the store). -fresh
// drops the kept resolution before every run, to time that first build.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"github.com/vigilfiu/vigil/internal/machine"
	"github.com/vigilfiu/vigil/internal/memory"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"runtime/trace"
	"slices"
	"strings"
	"time"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/bench/trace/world"
	"github.com/vigilfiu/vigil/graph"
	"github.com/vigilfiu/vigil/sqlite"
	"github.com/vigilfiu/vigil/synth"
)

func main() {
	memory.AdviseHeap() // as cmd/vigil does
	dir := flag.String("dir", "/tmp/vigil-bench-world", "world directory (generated when absent)")
	customers := flag.Int("customers", 400_000, "customers of the generated world")
	seed := flag.Int64("seed", 1, "generator seed")
	runs := flag.Int("runs", 3, "timed runs")
	nSeeds := flag.Int("seeds", 10, "seeds traced together in the timed runs")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the timed runs")
	quality := flag.Bool("quality", true, "after the timed runs, measure the quality target per seized facilitator")
	verbose := flag.Bool("v", false, "with -quality, list the non-buyers in each top K and the buyers left out, with the true recipients behind their edges")
	only := flag.String("only", "", "with -quality, measure only these seed lead ids (comma-separated)")
	maxCand := flag.Int("candidates", 0, "with -quality, seed candidates listed per seed (0: the trace's default)")
	dump := flag.String("dump", "", "with -quality, write every seized facilitator's full trace result (candidates and ranked parties) as JSON lines to this file, to compare versions")
	db := flag.String("db", "", "build from this store (a vigil ingest of the world's files) instead of the CSV files; the store is written (the kept resolution)")
	fresh := flag.Bool("fresh", false, "with -db, drop the kept beneficiary resolution before every run (time the first trace on a store)")
	exectrace := flag.String("trace", "", "write an execution trace (runtime/trace) of the timed runs, for go tool trace")
	memprofile := flag.String("memprofile", "", "write an allocation profile (every allocation since the start, sampled) after the timed runs, for go tool pprof -sample_index=alloc_space")
	flag.Parse()
	memProfile = *memprofile
	store = *db
	freshRuns = *fresh
	stopProfile, err := machine.StartCPUProfile(*cpuprofile)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench/trace:", err)
		os.Exit(1)
	}
	defer stopProfile()
	if *exectrace != "" {
		f, err := os.Create(*exectrace)
		if err == nil {
			err = trace.Start(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench/trace:", err)
			os.Exit(1)
		}
		defer f.Close()
		defer trace.Stop()
	}
	if err := run(*dir, *customers, *seed, *runs, *nSeeds, *quality, *verbose, *dump, *only, *maxCand); err != nil {
		fmt.Fprintln(os.Stderr, "bench/trace:", err)
		stopProfile()
		os.Exit(1)
	}
}

func run(dir string, customers int, seed int64, runs, nSeeds int, quality, verbose bool, dump, only string, maxCand int) error {
	if err := world.Ensure(dir, customers, seed); err != nil {
		return err
	}
	seeds, err := world.Seeds(dir)
	if err != nil {
		return err
	}
	picked := seeds
	for len(picked) < nSeeds && len(seeds) > 0 { // repeat seeds when the world has fewer
		picked = append(picked, seeds[len(picked)%len(seeds)])
	}
	picked = picked[:min(nSeeds, len(picked))]
	var builds, totals []time.Duration
	var g *graph.Graph
	for r := range runs {
		runtime.GC()
		u0 := world.ReadUsage()
		t0 := time.Now()
		how := "files"
		done := func() (string, error) { return how, nil }
		if store == "" {
			g, err = world.Graph(dir, graph.Options{NoSeedIndex: true}) // as vigil trace builds it
		} else {
			g, done, err = storeGraph(store, freshRuns)
		}
		if err != nil {
			return err
		}
		t1 := time.Now()
		res, err := g.Trace(picked, graph.TraceOptions{})
		if err != nil {
			return err
		}
		// A keep left running beside the trace (as in vigil trace) ends
		// within the run: the total waits for it.
		if how, err = done(); err != nil {
			return err
		}
		t2 := time.Now()
		u1 := world.ReadUsage()
		builds, totals = append(builds, t1.Sub(t0)), append(totals, t2.Sub(t0))
		fmt.Printf("run %d (%s): %d transfers, graph build %s, trace %s, total %s (CPU %s, peak RSS %d MiB, load %s), %d parties ranked\n",
			r+1, how, g.NumTransfers(), t1.Sub(t0).Round(time.Millisecond), t2.Sub(t1).Round(time.Millisecond), t2.Sub(t0).Round(time.Millisecond),
			(u1.CPU - u0.CPU).Round(time.Millisecond), u1.PeakRSS>>20, machine.LoadAverage(), len(res.Parties))
	}
	if memProfile != "" {
		if err := writeAllocs(memProfile); err != nil {
			return err
		}
	}
	if runs > 0 {
		fmt.Printf("median of %d runs, %d seeds, %d transfers: build %s, total %s (target < 10 s)\n", runs, len(picked), g.NumTransfers(), median(builds), median(totals))
	} else if quality { // the quality figures only: one untimed build
		if store == "" {
			g, err = world.Graph(dir, graph.Options{NoSeedIndex: true})
		} else {
			var done func() (string, error)
			if g, done, err = storeGraph(store, false); err == nil {
				_, err = done()
			}
		}
		if err != nil {
			return err
		}
	}
	if !quality {
		return nil
	}

	truth, err := synth.ReadTruth(dir)
	if err != nil {
		return err
	}
	var enc *json.Encoder
	if dump != "" {
		f, err := os.Create(dump)
		if err != nil {
			return err
		}
		defer f.Close()
		w := bufio.NewWriter(f)
		defer w.Flush()
		enc = json.NewEncoder(w)
	}
	// The target is per seized facilitator: >= 90 % of each one's top K.
	var hit, total, fam, full, met int
	var below []string
	for _, s := range truth.Seized {
		if only != "" && !slices.Contains(strings.Split(only, ","), s.SeedLeadID) {
			continue
		}
		i := slices.IndexFunc(seeds, func(l vigil.Lead) bool { return l.ID == s.SeedLeadID })
		if i < 0 {
			return fmt.Errorf("seed %s not in seeds.csv", s.SeedLeadID)
		}
		res, err := g.Trace(seeds[i:i+1], graph.TraceOptions{MaxCandidates: maxCand})
		if err != nil {
			return err
		}
		if enc != nil {
			if err := enc.Encode(map[string]any{"seed": s.SeedLeadID, "candidates": res.Candidates, "parties": res.Parties}); err != nil {
				return err
			}
		}
		// A buyer with two customer records is one buyer: either record
		// in the top K counts for him, once.
		k, in, f := len(s.Buyers), 0, 0
		seen := map[string]bool{}
		for j := 0; j < k && j < len(res.Parties); j++ {
			id := res.Parties[j].PartyID
			if cl := truth.PartyCluster[id]; cl != "" {
				id = cl
			}
			if slices.Contains(s.Buyers, id) && !seen[id] {
				seen[id] = true
				in++
			}
			if truth.Segment[res.Parties[j].PartyID] == "family" {
				f++
			}
		}
		fmt.Printf("seed %s (%s): buyers fill %d of top %d (%.1f%%), family remitters in top K: %d\n", s.SeedLeadID, s.RecipientID, in, k, pct(in, k), f)
		if verbose {
			explain(truth, &s, res)
		}
		hit, total, fam = hit+in, total+k, fam+f
		switch {
		case in == k:
			full, met = full+1, met+1
		case 10*in >= 9*k:
			met++
		default:
			below = append(below, fmt.Sprintf("%s %d/%d", s.SeedLeadID, in, k))
		}
	}
	fmt.Printf("all seized facilitators, pooled: buyers fill %d of %d top-K places (%.1f%%), family remitters in top K: %d (target 0)\n", hit, total, pct(hit, total), fam)
	fmt.Printf("per seized facilitator (target: each ≥ 90%% of its top K): %d of %d met (%d at 100%%); below: %s\n", met, met+len(below), full, strings.Join(below, ", "))
	return nil
}

// explain prints the seed's picked beneficiaries, every non-buyer in the
// top K and every buyer below it, with the true recipients of the
// transfers behind each edge (an edge whose transfers went to several true
// recipients is an over-merged beneficiary).
func explain(truth *synth.Truth, s *synth.Seizure, res *graph.TraceResult) {
	picked := slices.ContainsFunc(res.Candidates, func(c vigil.SeedCandidate) bool { return c.Picked })
	for _, c := range res.Candidates {
		if !picked {
			fmt.Printf("  candidate %s %q score %.3f, %d transfers, %d payers\n    %s\n", c.BeneficiaryID, c.Name, c.Score, c.Transfers, c.Payers, strings.Join(c.Reasons, "; "))
		}
		if c.Picked {
			fmt.Printf("  picked %s %q score %.3f, %d transfers, %d payers\n", c.BeneficiaryID, c.Name, c.Score, c.Transfers, c.Payers)
			fmt.Printf("    %s\n", strings.Join(c.Reasons, "; "))
		}
	}
	k := len(s.Buyers)
	line := func(p *vigil.TracedParty) {
		seg := truth.Segment[p.PartyID]
		if cl := truth.PartyCluster[p.PartyID]; cl != p.PartyID {
			seg += " (second record of " + cl + ")"
		}
		fmt.Printf("  rank %d %s %s %s ppr %.3g path %v\n", p.Rank, p.PartyID, seg, p.Evidence.Relation, p.Evidence.PPR, p.Path)
		for _, e := range p.Evidence.Edges {
			to := map[string]int{}
			for _, id := range e.TransferIDs {
				r := truth.Recipient[id]
				to[r+"/"+truth.RecipientRole[r]]++
			}
			fmt.Printf("    %s %q n=%d small %.2f round %.2f late %.2f gap %.0f tie %s w %.3g true %v\n",
				e.BeneficiaryID, e.BeneficiaryName, e.Count, e.SmallShare, e.RoundShare, e.LateShare, e.MedianGapDays, e.Tie, e.Weight, to)
		}
	}
	for j := 0; j < k && j < len(res.Parties); j++ {
		if !slices.Contains(s.Buyers, res.Parties[j].PartyID) {
			line(&res.Parties[j])
		}
	}
	for j := k; j < len(res.Parties); j++ {
		if slices.Contains(s.Buyers, res.Parties[j].PartyID) {
			line(&res.Parties[j])
		}
	}
	for _, b := range s.Buyers {
		if !slices.ContainsFunc(res.Parties, func(p vigil.TracedParty) bool { return p.PartyID == b }) {
			fmt.Printf("  buyer %s not ranked\n", b)
		}
	}
}

var (
	store     string
	freshRuns bool
)

// storeGraph builds the graph from a store as vigil trace does (GOGC 200
// during the build, parties' names from the store, a resolution made
// here kept while the caller traces: GraphOptions.KeepLater). done waits
// for the keep, closes the store and says whether the kept resolution
// was used or made.
func storeGraph(path string, fresh bool) (g *graph.Graph, done func() (string, error), err error) {
	defer debug.SetGCPercent(debug.SetGCPercent(200))
	db, err := sqlite.Open(path)
	if err != nil {
		return nil, nil, err
	}
	if fresh {
		if _, err := db.SQL().Exec(`DELETE FROM beneficiary_runs`); err != nil {
			db.Close()
			return nil, nil, err
		}
	}
	g, rep, err := db.LoadGraph(context.Background(), sqlite.GraphOptions{Graph: graph.Options{NoSeedIndex: true}, Log: os.Stderr, KeepLater: true})
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return g, func() (string, error) {
		defer db.Close()
		if !rep.Resolved {
			return "store, kept resolution", nil
		}
		w0 := time.Now()
		rep.WaitKeep() // a failure to keep is reported on stderr, as vigil trace does
		return fmt.Sprintf("store, resolved and kept: build %s + keep %s beside the trace (waited %s after it)",
			rep.Build.Round(time.Millisecond), rep.Keep.Round(time.Millisecond), time.Since(w0).Round(time.Millisecond)), nil
	}, nil
}

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2].Round(time.Millisecond)
}

var memProfile string

// writeAllocs writes the allocation profile of the process so far (as of
// a collection it runs first: the profile counts up to the last one).
func writeAllocs(path string) error {
	runtime.GC()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
