// Command correlate measures vigil correlate on a vigil synth world: read
// the call log, build the graph from CSV and correlate, median of several
// runs; then the quality target per seized device (buyers' handles
// attributed correctly, wrong attributions at confidence ≥ 0.5). When the
// world's call log has fewer than -events events, the timed runs add
// random sessions of noise handles to reach it (said in the output); the
// quality figures use the world's own log only.
//
//	go run ./bench/correlate -dir /tmp/vigil-5m -events 100000 -runs 3
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"github.com/vigilfiu/vigil/internal/machine"
	"github.com/vigilfiu/vigil/internal/memory"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/bench/trace/world"
	"github.com/vigilfiu/vigil/correlate"
	"github.com/vigilfiu/vigil/csv"
	"github.com/vigilfiu/vigil/graph"
	"github.com/vigilfiu/vigil/synth"
)

func main() {
	memory.AdviseHeap() // as cmd/vigil does
	dir := flag.String("dir", "/tmp/vigil-bench-world", "world directory (generated when absent)")
	customers := flag.Int("customers", 400_000, "customers of the generated world")
	seed := flag.Int64("seed", 1, "generator seed")
	runs := flag.Int("runs", 3, "timed runs (0: the quality figures only)")
	events := flag.Int("events", 100_000, "call events in the timed runs")
	flag.BoolVar(&verbose, "v", false, "list the buyers' handles left unattributed, with their reasons")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the correlation steps of the timed runs")
	flag.StringVar(&buildProfile, "buildprofile", "", "write a CPU profile of the first timed run's read and build (with the call log's read beside it)")
	flag.IntVar(&profileSteps, "profilesteps", 1, "with -cpuprofile: correlation steps profiled on the first run's graph (the first is the timed one), for more samples of the step's own work")
	flag.BoolVar(&gcFirst, "gcfirst", false, "collect the graph build's garbage before each timed correlation step, so that the step's CPU is its own work")
	flag.BoolVar(&prepareParties, "prepareparties", true, "index the parties (correlate.PrepareParties) on a goroutine started with the build, as vigil correlate does since 42cedb7 (false: in the correlation step, as before)")
	flag.BoolVar(&needed, "needed", false, "after the timed runs, count the edges correlate reads the summaries of (every edge of each sender who pays a candidate of a seed): what a build for correlate alone would summarise")
	flag.BoolVar(&quality, "quality", true, "after the timed runs, the quality figures on the world's own log")
	flag.StringVar(&linksOut, "links", "", "write the quality run's links (the world's own log), one JSON object a line, to compare outputs")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench/correlate:", err)
			os.Exit(1)
		}
		profile = f
	}
	if err := run(*dir, *customers, *seed, *runs, *events); err != nil {
		fmt.Fprintln(os.Stderr, "bench/correlate:", err)
		os.Exit(1)
	}
}

var (
	verbose  bool
	profile  *os.File
	linksOut string
	quality  bool
	gcFirst  bool

	buildProfile   string
	prepareParties bool
	needed         bool

	profileSteps int
)

func run(dir string, customers int, seed int64, runs, nEvents int) error {
	if err := world.Ensure(dir, customers, seed); err != nil {
		return err
	}
	seeds, err := world.Seeds(dir)
	if err != nil {
		return err
	}
	parties, _, err := csv.ReadPartiesFile(filepath.Join(dir, "parties.csv"), csv.Options{})
	if err != nil {
		return err
	}
	calls := filepath.Join(dir, "calls.csv")
	own, bad, err := csv.ReadCallsFile(calls, csv.Options{})
	if err != nil {
		return err
	}
	if len(bad) > 0 {
		return bad[0]
	}
	if len(own) == 0 {
		return fmt.Errorf("%s has no events", calls)
	}
	padded := slices.Clone(own)
	if len(padded) < nEvents {
		rng := rand.New(rand.NewPCG(uint64(seed), 42))
		lo, hi := own[0].Timestamp, own[0].Timestamp
		for _, e := range own {
			if e.Timestamp.Before(lo) {
				lo = e.Timestamp
			}
			if e.Timestamp.After(hi) {
				hi = e.Timestamp
			}
		}
		span := int64(hi.Sub(lo)/time.Second) + 1
		for i := len(padded); i < nEvents; i++ {
			a := own[rng.IntN(len(own))].Account
			padded = append(padded, vigil.CallEvent{ID: fmt.Sprint("noise-", i), Timestamp: lo.Add(time.Duration(rng.Int64N(span)) * time.Second),
				Account: a, Counterpart: fmt.Sprint("noise_", rng.IntN(2000)), Direction: vigil.DirectionIn, Kind: vigil.KindVideo})
		}
		fmt.Printf("the world's call log has %d events; timed runs add %d random sessions of 2,000 noise handles\n", len(own), len(padded)-len(own))
	}
	var totals, steps []time.Duration
	var transfers int
	// As vigil correlate: the build's garbage-collection setting is kept
	// through the correlation step.
	defer debug.SetGCPercent(debug.SetGCPercent(200))
	for r := range runs {
		runtime.GC()
		u0 := world.ReadUsage()
		t0 := time.Now()
		stopBuild := func() {}
		if buildProfile != "" && r == 0 {
			f, err := os.Create(buildProfile)
			if err != nil {
				return err
			}
			if err := pprof.StartCPUProfile(f); err != nil {
				return err
			}
			stopBuild = func() { pprof.StopCPUProfile(); f.Close() }
		}
		var opt correlate.Options
		pp := make(chan *correlate.Parties, 1)
		if prepareParties {
			go func() { pp <- correlate.PrepareParties(parties) }()
		}
		// As vigil correlate: the call log is read while the graph is built.
		cc := make(chan error, 1)
		go func() {
			_, _, err := csv.ReadCallsFile(calls, csv.Options{})
			cc <- err
		}()
		g, err := world.Graph(dir, graph.Options{NoSeedIndex: true}) // as vigil correlate
		if err != nil {
			return err
		}
		if err := <-cc; err != nil {
			return err
		}
		stopBuild()
		if prepareParties {
			opt.Parties = <-pp
		}
		if gcFirst {
			runtime.GC()
		}
		t1 := time.Now()
		uc := world.ReadUsage()
		gc0 := gcCycles()
		if profile != nil {
			if err := pprof.StartCPUProfile(profile); err != nil {
				return err
			}
		}
		res, err := correlate.Correlate(g, parties, padded, seeds, opt)
		t2 := time.Now()
		u1 := world.ReadUsage()
		gc1 := gcCycles()
		if profile != nil {
			for i := 1; i < profileSteps && err == nil; i++ {
				_, err = correlate.Correlate(g, parties, padded, seeds, opt) // profiled, not timed
			}
			pprof.StopCPUProfile()
			profile = nil
		}
		if err != nil {
			return err
		}
		transfers = g.NumTransfers()
		totals = append(totals, t2.Sub(t0))
		steps = append(steps, t2.Sub(t1))
		fmt.Printf("run %d: %d events, %d transfers: read and build %s, correlate %s (CPU %s; %d GC cycle(s) in it), total %s (CPU %s, peak RSS %d MiB, load %s), %d handles\n",
			r+1, len(padded), transfers, t1.Sub(t0).Round(time.Millisecond), t2.Sub(t1).Round(time.Millisecond), (u1.CPU - uc.CPU).Round(time.Millisecond), gc1-gc0, t2.Sub(t0).Round(time.Millisecond),
			(u1.CPU - u0.CPU).Round(time.Millisecond), u1.PeakRSS>>20, machine.LoadAverage(), len(res.Links))
	}
	if len(totals) > 0 {
		slices.Sort(totals)
		slices.Sort(steps)
		fmt.Printf("median of %d runs: %d events vs %d transfers in %s (target < 10 s); correlation step %s\n", runs, len(padded), transfers, totals[len(totals)/2].Round(time.Millisecond), steps[len(steps)/2].Round(time.Millisecond))
	}
	if needed {
		if err := countNeeded(dir, seeds); err != nil {
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
	g, err := world.Graph(dir, graph.Options{NoSeedIndex: true}) // as vigil correlate
	if err != nil {
		return err
	}
	res, err := correlate.Correlate(g, parties, own, seeds, correlate.Options{})
	if err != nil {
		return err
	}
	fmt.Println("learnt:", res.Model)
	if linksOut != "" {
		if err := writeLinks(linksOut, res); err != nil {
			return err
		}
	}
	cluster := func(id string) string {
		if c, ok := truth.PartyCluster[id]; ok {
			return c
		}
		return id
	}
	var right, buyers, wrong, rel, aRight, aBuyers, unlisted int
	var pRight, pBuyers, single int // handles with ≥ 1 paid session; attributed by the one-session rule
	missed := map[string]int{}      // missed buyers' handles by sessions in the log and paid sessions
	why := map[string]int{}         // missed buyers' handles by what kept them unattributed
	var nearWrong vigil.HandleLink  // the unattributed non-buyer handle of highest confidence
	var nearConf float64
	var singleAt, singleWrong [4]int // one-session rule by confidence: < 0.9, < 0.95, < 0.99, ≥ 0.99
	band := func(c float64) int {
		switch {
		case c < 0.9:
			return 0
		case c < 0.95:
			return 1
		case c < 0.99:
			return 2
		}
		return 3
	}
	for _, s := range truth.Seized {
		var r, b, w, rl, n, ar, ab, ul int
		for _, l := range res.Links {
			if !sameHandle(l.Account, s.Account) {
				continue
			}
			want, kind := s.HandleParty[l.Handle], s.HandleKind[l.Handle]
			attributable := kind == "buyer" && s.HandlePaid[l.Handle] >= 2
			if kind == "buyer" {
				b++
				if s.HandlePaid[l.Handle] >= 1 {
					pBuyers++
				}
			}
			if attributable {
				ab++
			}
			switch {
			case l.PartyID == nil:
				if kind != "buyer" {
					n++
				} else {
					missed[fmt.Sprintf("%s session(s), %s paid", bucket(l.Sessions), bucket(s.HandlePaid[l.Handle]))]++
				}
				if kind == "buyer" {
					why[missReason(l)]++
				} else if c := max(l.Confidence, ruleConfidence(l)); l.Candidate != "" && c > nearConf && (want == "" || cluster(l.Candidate) != cluster(want)) && !strings.Contains(l.Reason, "family support (a relative)") {
					nearWrong, nearConf = l, c // the closest a non-buyer handle came to an attribution
				}
				if kind == "buyer" && verbose {
					fmt.Printf("  missed: %s (party %s, %d paid of %d sessions), candidate %s confidence %.3f: %s\n", l.Handle, want, s.HandlePaid[l.Handle], l.Sessions, l.Candidate, l.Confidence, l.Reason)
				}
			case kind == "" && slices.ContainsFunc(s.Buyers, func(b string) bool { return cluster(b) == cluster(*l.PartyID) }):
				// synth writes no truth row for a buyer's handle used only
				// for the sessions he paid another way (synth/seize.go,
				// genCalls): attributed to a buyer of this very device.
				ul++
				fmt.Printf("  unlisted: %s → %s, a buyer of this device; the handle is missing from truth/handles.csv, confidence %.3f: %s\n", l.Handle, *l.PartyID, l.Confidence, l.Identity)
			case want != "" && cluster(*l.PartyID) == cluster(want):
				if attributable {
					ar++
				}
				if strings.HasPrefix(l.Reason, "one session") {
					single++
					singleAt[band(l.Confidence)]++
				}
				if kind == "buyer" {
					r++
					if s.HandlePaid[l.Handle] >= 1 {
						pRight++
					}
				} else {
					rl++
				}
			default:
				if strings.HasPrefix(l.Reason, "one session") {
					singleAt[band(l.Confidence)]++
					singleWrong[band(l.Confidence)]++
				}
				w++
				fmt.Printf("  wrong: %s (%s) → %s (truth %q), confidence %.3f: %s\n", l.Handle, kind, *l.PartyID, want, l.Confidence, l.Reason)
			}
		}
		fmt.Printf("device %s (seed %s): %d of %d buyers' handles attributed correctly (%.1f%%; %d of %d with ≥ 2 paid sessions), %d wrong, %d other handles attributed to their (non-buyer) payer, %d non-buyer handles left unattributed, %d unlisted handles attributed to a buyer of the device\n",
			s.Account, s.SeedLeadID, r, b, pct(r, b), ar, ab, w, rl, n, ul)
		right, buyers, wrong, rel, aRight, aBuyers, unlisted = right+r, buyers+b, wrong+w, rel+rl, aRight+ar, aBuyers+ab, unlisted+ul
	}
	keys := slices.Sorted(maps.Keys(missed))
	fmt.Printf("missed buyers' handles by sessions in the log and paid sessions (truth):")
	for _, k := range keys {
		fmt.Printf(" %s: %d;", k, missed[k])
	}
	fmt.Printf("\nmissed buyers' handles by what kept them unattributed:")
	for _, k := range slices.Sorted(maps.Keys(why)) {
		fmt.Printf(" %s: %d;", k, why[k])
	}
	fmt.Printf("\nclosest non-buyer handle to a wrong attribution (relatives' aside): ")
	if nearWrong.Handle == "" {
		fmt.Printf("none with a confidence above 0\n")
	} else {
		fmt.Printf("%s → %s at %.3f (unattributed): %s\n", nearWrong.Handle, nearWrong.Candidate, nearConf, nearWrong.Reason)
	}
	fmt.Printf("buyers' handles with ≥ 1 paid session (without the handles synth records for sessions paid another way only): %d of %d (%.1f%%); attributed by the one-session rule (docs/correlate.md, 7): %d\n", pRight, pBuyers, pct(pRight, pBuyers), single)
	fmt.Printf("one-session rule by confidence (attributed, of which wrong): [0.5, 0.9) %d, %d; [0.9, 0.95) %d, %d; [0.95, 0.99) %d, %d; ≥ 0.99 %d, %d\n",
		singleAt[0], singleWrong[0], singleAt[1], singleWrong[1], singleAt[2], singleWrong[2], singleAt[3], singleWrong[3])
	fmt.Printf("all devices: %d of %d buyers' handles attributed correctly (%.1f%%, target ≥ 90%%); of the handles with ≥ 2 paid sessions %d of %d (%.1f%%); %d wrong at confidence ≥ 0.5 (target 0), %d non-buyer handles attributed to their own payer, %d handles missing from the truth attributed to a buyer of their device\n", right, buyers, pct(right, buyers), aRight, aBuyers, pct(aRight, aBuyers), wrong, rel, unlisted)
	return nil
}

func sameHandle(a, b string) bool {
	norm := func(s string) string {
		if len(s) > 0 && s[0] == '@' {
			s = s[1:]
		}
		out := []byte(s)
		for i, c := range out {
			if c >= 'A' && c <= 'Z' {
				out[i] = c + 32
			}
		}
		return string(out)
	}
	return norm(a) == norm(b)
}

func bucket(n int) string {
	if n >= 3 {
		return "≥3"
	}
	return fmt.Sprint(n)
}

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}

// missReason sorts a missed buyer's handle by what kept it unattributed:
// the one-session rule's reason for declining when it weighed the handle
// (docs/correlate.md, 7), else the first clause of its line.
func missReason(l vigil.HandleLink) string {
	const rule = "one-session rule (docs/correlate.md, 7): declined, "
	if i := strings.Index(l.Reason, rule); i >= 0 {
		r := l.Reason[i+len(rule):]
		switch {
		case strings.HasPrefix(r, "payments of two"):
			return "one session: two payers near"
		case strings.Contains(r, "other handle(s) have a session"):
			return "one session: another handle's session near the payment"
		case strings.HasPrefix(r, "the handle holds the name"):
			return "one session: names someone else"
		case strings.Contains(r, "likelihood ratio") && strings.Contains(r, "evidence against"):
			return "one session: kind and length evidence against"
		case strings.HasPrefix(r, "confidence"):
			return "one session: confidence below the bar"
		case strings.Contains(r, "family support"):
			return "one session: a relative"
		}
		return "one session: other"
	}
	switch {
	case strings.HasPrefix(l.Reason, "none of the"):
		return "no payment to the owner near any session"
	case l.Sessions == 1 && l.Matched == 0:
		return "one session, no pair with the candidate"
	case l.Sessions == 1:
		return "one session: not weighed by the rule"
	}
	return "two or more sessions"
}

// ruleConfidence is the confidence the one-session rule computed for a
// handle it declined below its bar (0 when none).
func ruleConfidence(l vigil.HandleLink) float64 {
	const rule = "one-session rule (docs/correlate.md, 7): declined, confidence "
	i := strings.Index(l.Reason, rule)
	if i < 0 {
		return 0
	}
	var c float64
	fmt.Sscanf(l.Reason[i+len(rule):], "%g", &c)
	return c
}

// writeLinks writes the candidates and links of a result as JSON lines.
func writeLinks(path string, res *correlate.Result) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	for _, c := range res.Candidates {
		if err := enc.Encode(c); err != nil {
			f.Close()
			return err
		}
	}
	for _, l := range res.Links {
		if err := enc.Encode(l); err != nil {
			f.Close()
			return err
		}
	}
	return f.Close()
}

// gcCycles returns the garbage collector's completed cycles so far: a
// cycle that falls into the correlation step marks the whole graph
// (about 3 GiB on the 5M world) and can cost more CPU than the step's own
// work, so the step's CPU is read with it.
func gcCycles() uint64 {
	ms := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}}
	metrics.Read(ms)
	return ms[0].Value.Uint64()
}

// countNeeded builds the graph and counts the edges whose summaries
// (typology, tie) correlate reads: the seed resolution weighs each
// candidate's edges, and a tie is set from all of its sender's edges
// (graph.familyOf), so every edge of every sender who pays a candidate
// (candidates scoring at least 0.01, the lower bound of those weighed).
func countNeeded(dir string, seeds []vigil.Lead) error {
	g, err := world.Graph(dir, graph.Options{NoSeedIndex: true})
	if err != nil {
		return err
	}
	six := g.SeedsIndexParallel(seeds)
	cands := map[int32]bool{}
	senders := map[int32]bool{}
	for i := range seeds {
		for _, c := range six.Resolve(&seeds[i], graph.DefaultSeedThreshold, 0) {
			b, _ := g.BeneficiaryIndex(c.BeneficiaryID)
			cands[b] = true
			for _, ei := range g.BeneficiaryEdges(b) {
				senders[g.Edges[ei].Sender] = true
			}
		}
	}
	edges := 0
	for s := range senders {
		edges += len(g.SenderEdges(s))
	}
	fmt.Printf("needed summaries: %d candidate beneficiaries of %d seeds; %d of %d senders pay one; their %d edges of %d (%.1f%%)\n",
		len(cands), len(seeds), len(senders), len(g.Senders), edges, len(g.Edges), 100*float64(edges)/float64(len(g.Edges)))
	return nil
}
