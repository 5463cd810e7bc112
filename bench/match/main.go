// Command match measures vigil's entity resolution at scale on generated
// data: go run ./bench/match -parties 1000000 -leads 10000 [-dedupe].
// Parties get random identities from syllable-built names; leads copy a
// party with clerical noise (typos, swapped name order, day/month swaps,
// reformatted phones) or describe nobody. Prints time, memory and F1.
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/internal/machine"
	"github.com/vigilfiu/vigil/resolve"
)

var (
	syll   = []string{"ma", "ri", "an", "to", "ne", "la", "sa", "ro", "be", "de", "lu", "ca", "mi", "fe", "go", "ra", "ti", "no", "ve", "qui", "dor", "mon", "gar", "san", "bel", "cor", "per", "val", "ber", "nar"}
	firsts = []string{"Maria", "Jose", "Juan", "Ana", "Mark", "Jean", "Pierre", "Marie", "Luc", "Sophie", "Cristina", "Ramon", "Teresa", "Paolo", "Camille", "Antoine", "Rosa", "Angelo", "Liza", "Noel", "Michel", "Nathalie", "Julien", "Claire", "Thomas", "Emma", "Louis", "Chloe", "Hugo", "Lea", "Arthur", "Manon", "Jules", "Ines", "Paul", "Sarah", "Victor", "Julie", "Adam", "Lucie"}
	cities = []string{"Paris", "Lyon", "Marseille", "Lille", "Nantes", "Bordeaux", "Toulouse", "Rennes", "Nice", "Strasbourg", "Montpellier", "Grenoble", "Dijon", "Angers", "Reims"}
)

func surname(r *rand.Rand) string {
	n := 2 + r.IntN(2)
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(syll[r.IntN(len(syll))])
	}
	s := b.String()
	return strings.ToUpper(s[:1]) + s[1:]
}

func typo(r *rand.Rand, s string) string {
	if len(s) < 3 {
		return s
	}
	i := 1 + r.IntN(len(s)-2)
	switch r.IntN(3) {
	case 0:
		return s[:i] + s[i+1:]
	case 1:
		return s[:i] + string(s[i+1]) + string(s[i]) + s[i+2:]
	}
	return s[:i] + string(rune('a'+r.IntN(26))) + s[i+1:]
}

func main() {
	nParties := flag.Int("parties", 1_000_000, "number of parties")
	nLeads := flag.Int("leads", 10_000, "number of leads")
	dedupe := flag.Bool("dedupe", false, "deduplicate the parties (with 2% duplicates planted) instead of matching leads")
	prof := flag.String("cpuprofile", "", "write a CPU profile")
	flag.Parse()
	stopProfile, err := machine.StartCPUProfile(*prof)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer stopProfile()
	r := rand.New(rand.NewPCG(42, 1))
	parties := make([]resolve.Record, *nParties)
	truth := make([]int, *nParties) // entity of each party
	for i := range parties {
		g, s := firsts[r.IntN(len(firsts))], surname(r)
		parties[i] = resolve.Record{ID: fmt.Sprintf("P%07d", i), Name: g + " " + s,
			BirthDate: vigil.Date{Year: 1940 + r.IntN(65), Month: 1 + r.IntN(12), Day: 1 + r.IntN(28)},
			Phone:     fmt.Sprintf("06%08d", r.IntN(100_000_000)), Email: fmt.Sprintf("%s.%s%d@mail.example", strings.ToLower(g), strings.ToLower(s), i),
			City: cities[r.IntN(len(cities))], Country: "FR"}
		truth[i] = i
	}
	noisy := func(p resolve.Record) resolve.Record {
		q := resolve.Record{Name: p.Name, BirthDate: p.BirthDate, City: p.City, Country: p.Country}
		f := strings.Fields(p.Name)
		switch r.IntN(4) {
		case 0:
			q.Name = strings.ToUpper(f[1]) + " " + f[0]
		case 1:
			q.Name = f[0] + " " + typo(r, f[1])
		case 2:
			q.Name = typo(r, f[0]) + " " + f[1]
		}
		if r.IntN(5) == 0 && q.BirthDate.Day <= 12 {
			q.BirthDate.Day, q.BirthDate.Month = q.BirthDate.Month, q.BirthDate.Day
		} else if r.IntN(5) == 0 {
			q.BirthDate = vigil.Date{Year: q.BirthDate.Year}
		}
		if r.IntN(2) == 0 {
			q.Phone = "+33 " + p.Phone[1:2] + " " + p.Phone[2:]
		}
		if r.IntN(3) == 0 {
			q.Email = p.Email
		}
		return q
	}
	if *dedupe {
		dups := *nParties / 50
		for k := 0; k < dups; k++ {
			src := r.IntN(*nParties - dups)
			i := *nParties - 1 - k
			parties[i] = noisy(parties[src])
			parties[i].ID = fmt.Sprintf("P%07d", i)
			truth[i] = src
		}
		start := time.Now()
		res := resolve.Dedupe(parties, resolve.Options{})
		el := time.Since(start)
		tp, fp := 0, 0
		for _, p := range res.Pairs {
			if p.Decision != resolve.DecisionMatch {
				continue
			}
			if truth[p.A] == truth[p.B] {
				tp++
			} else {
				fp++
				if os.Getenv("ER_DEBUG") != "" && fp <= 5 {
					fmt.Printf("fp %+v\n   %+v\n   %.3f %.1f %v\n", parties[p.A], parties[p.B], p.Score, p.Bits, res.Explain(p.A, p.B))
				}
			}
		}
		fmt.Printf("dedupe %d parties (%d planted duplicates): %v; compared %d pairs (%.6f%% of %d); matched pairs tp %d fp %d, recall %.4f precision %.4f; %s\n",
			*nParties, dups, el.Round(time.Millisecond), res.Compared, 100*float64(res.Compared)/float64(res.Total), res.Total, tp, fp,
			float64(tp)/float64(dups), float64(tp)/float64(max(tp+fp, 1)), mem())
		return
	}
	leads := make([]resolve.Record, *nLeads)
	want := make([]string, *nLeads)
	for i := range leads {
		if r.IntN(5) == 0 { // nobody we know
			leads[i] = resolve.Record{Name: firsts[r.IntN(len(firsts))] + " " + surname(r),
				BirthDate: vigil.Date{Year: 1940 + r.IntN(65), Month: 1 + r.IntN(12), Day: 1 + r.IntN(28)}, City: cities[r.IntN(len(cities))]}
		} else {
			j := r.IntN(*nParties)
			leads[i] = noisy(parties[j])
			want[i] = parties[j].ID
		}
		leads[i].ID = fmt.Sprintf("L%05d", i)
	}
	t0 := time.Now()
	m := resolve.NewMatcher(parties, resolve.Options{})
	t1 := time.Now()
	m.Fit(leads)
	t2 := time.Now()
	res := m.MatchAll(leads)
	t3 := time.Now()
	tp, fp, fn := 0, 0, 0
	for i, c := range res {
		got := ""
		if len(c) > 0 && c[0].Decision == resolve.DecisionMatch {
			got = c[0].PartyID
		}
		if os.Getenv("ER_DEBUG") != "" && got != want[i] && want[i] != "" && fn < 3 {
			fmt.Printf("miss %+v want %s\n", leads[i], want[i])
			for k, cand := range c {
				if k < 3 {
					fmt.Printf("   %s %s %.3f bits %.1f prior %.1f veto %q %v\n", cand.PartyID, cand.Decision, cand.Score, cand.Bits, cand.PriorBits, cand.Veto, cand.Fields)
				}
			}
		}
		switch {
		case got != "" && got == want[i]:
			tp++
		case got != "":
			fp++
			if want[i] != "" {
				fn++
			}
		case want[i] != "":
			fn++
		}
	}
	p, rc := float64(tp)/float64(max(tp+fp, 1)), float64(tp)/float64(max(tp+fn, 1))
	fmt.Printf("match %d leads against %d parties: total %v (index %v, EM %v, match %v); precision %.4f recall %.4f F1 %.4f; %s\n",
		*nLeads, *nParties, t3.Sub(t0).Round(time.Millisecond), t1.Sub(t0).Round(time.Millisecond), t2.Sub(t1).Round(time.Millisecond),
		t3.Sub(t2).Round(time.Millisecond), p, rc, 2*p*rc/(p+rc), mem())
}

func mem() string {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return fmt.Sprintf("heap %.0f MiB, max RSS %.0f MiB, CPU time %v", float64(ms.HeapAlloc)/(1<<20), float64(ru.Maxrss)/1024, cpu.Round(time.Millisecond))
}
