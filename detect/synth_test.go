package detect_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/vigilfiu/vigil"
	vcsv "github.com/vigilfiu/vigil/csv"
	"github.com/vigilfiu/vigil/detect"
	"github.com/vigilfiu/vigil/resolve"
	"github.com/vigilfiu/vigil/synth"
)

// On a small synth world, scanned from its CSV files as vigil eval does,
// the ranking meets issue 3's quality targets (look-alikes with some slack
// for the small K) and beneficiary resolution matches the truth's
// recipients closely.
func TestEvalSynthWorld(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a synth world")
	}
	for _, seed := range []int64{5, 6} {
		dir := filepath.Join(t.TempDir(), "world")
		if _, err := synth.Generate(synth.Config{Customers: 4000, Seed: seed}, dir); err != nil {
			t.Fatal(err)
		}
		truth, err := synth.ReadTruth(dir)
		if err != nil {
			t.Fatal(err)
		}
		rates, err := vcsv.ReadFXRatesFile(filepath.Join(dir, "rates.csv"), vcsv.Options{})
		if err != nil {
			t.Fatal(err)
		}
		pack, err := detect.DefaultPack()
		if err != nil {
			t.Fatal(err)
		}
		e, err := detect.NewEngine(pack, detect.Options{Rates: rates})
		if err != nil {
			t.Fatal(err)
		}
		parties, rejects, err := vcsv.ReadPartiesFile(filepath.Join(dir, "parties.csv"), vcsv.Options{})
		if err != nil || len(rejects) > 0 {
			t.Fatalf("parties: %v %v", err, rejects)
		}
		for i := range parties {
			e.AddParty(&parties[i])
		}
		f, err := os.Open(filepath.Join(dir, "transfers.csv"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		tr, err := vcsv.NewTransferReader(f, "transfers.csv", vcsv.Options{})
		if err != nil {
			t.Fatal(err)
		}
		base := detect.NewBaseline(pack, rates)
		nodes := map[string]int32{}
		st, err := e.Feed(context.Background(), tr, func(err error) error { return err }, func(t *vigil.Transfer) {
			base.Observe(t)
			nodes[t.ID] = e.LastRecord()
		})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{} // beneficiary ids as they stand after later merges
		for id, n := range nodes {
			got[id] = e.Resolver().ID(n)
		}
		scores := map[string]float64{}
		for _, a := range e.ScoreAll() {
			scores[a.PartyID] = a.Score
		}
		v := detect.Evaluate("vigil", scores, truth.Segment)
		b := detect.Evaluate("baseline", base.Scores(), truth.Segment)
		p, r := resolve.PairwiseAccuracy(got, truth.Recipient)
		t.Logf("seed %d: %d transfers, K=%d: vigil AP %.3f P@K %.3f R@2K %.3f lookalikes %.2f; baseline AP %.3f; resolution precision %.3f recall %.3f",
			seed, st.Transfers, v.K, v.AP, v.PrecisionAtK, v.RecallAt2K, v.LookalikeTopK, b.AP, p, r)
		// issue 3's targets: AP ≥ 0.85 and ≥ 3× the baseline; look-alikes
		// ≤ 10 % of the top K (K is about 60 here: one sender is 1.7 %)
		if v.AP < 0.85 || v.AP < 3*b.AP {
			t.Errorf("seed %d: vigil AP %.3f, baseline %.3f: want ≥ 0.85 and ≥ 3× baseline", seed, v.AP, b.AP)
		}
		if v.LookalikeTopK > 0.10 {
			t.Errorf("seed %d: webcam customers and family remitters are %.0f%% of the top K (%v), want ≤ 10%%", seed, 100*v.LookalikeTopK, v.TopK)
		}
		if p < 0.9 || r < 0.85 {
			t.Errorf("seed %d: beneficiary resolution precision %.3f recall %.3f", seed, p, r)
		}
	}
}
