package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/detect"
	"github.com/vigilfiu/vigil/resolve"
	"github.com/vigilfiu/vigil/synth"
)

// worldEval is the evaluation of one synthetic world.
type worldEval struct {
	World    string            `json:"world"`
	Seed     int64             `json:"seed,omitempty"`
	Vigil    detect.Evaluation `json:"vigil"`
	Baseline detect.Evaluation `json:"baseline"`
	Resolve  *resolveAccuracy  `json:"beneficiary_resolution,omitempty"`
}

type resolveAccuracy struct {
	Precision float64 `json:"pairwise_precision"`
	Recall    float64 `json:"pairwise_recall"`
}

func newEvalCmd(e *env) *cobra.Command {
	var in scanInput
	var dir, seeds string
	var customers int
	cmd := &cobra.Command{
		Use:   "eval",
		Short: "Measure the ranking against a synthetic world's ground truth",
		Long: `vigil eval scans a world written by vigil synth and compares the ranking
of senders with its ground truth (truth/): average precision, precision at
K and recall at 2K (K = number of true buyers), and the share of adult
webcam customers and family remitters in the top K. The same figures are
given for the plain bank rule "at least 3 transfers of at most €150 to
high-risk countries within 30 days" as the baseline. With --seeds it
generates one fresh world per seed (--customers each) and evaluates them
all.`,
		Example: `  vigil eval --dir world
  vigil eval --seeds 11,12,13 --customers 20000`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			var worlds []worldEval
			switch {
			case dir != "" && seeds != "":
				return vigil.Errorf(vigil.EINVALID, "give --dir or --seeds, not both")
			case dir != "":
				w, err := evalWorld(cmd, e, &in, dir)
				if err != nil {
					return err
				}
				worlds = append(worlds, w)
			case seeds != "":
				tmp, err := os.MkdirTemp("", "vigil-eval-")
				if err != nil {
					return err
				}
				defer os.RemoveAll(tmp)
				for _, s := range strings.Split(seeds, ",") {
					seed, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
					if err != nil {
						return vigil.Errorf(vigil.EINVALID, "--seeds: %q is not an integer", s)
					}
					wd := filepath.Join(tmp, fmt.Sprintf("seed-%d", seed))
					if _, err := synth.Generate(synth.Config{Customers: customers, Seed: seed}, wd); err != nil {
						return err
					}
					w, err := evalWorld(cmd, e, &in, wd)
					if err != nil {
						return err
					}
					w.World, w.Seed = fmt.Sprintf("seed %d, %d customers", seed, customers), seed
					worlds = append(worlds, w)
					if !e.json {
						printWorld(e, w)
					}
				}
			default:
				return vigil.Errorf(vigil.EINVALID, "give --dir WORLD (a vigil synth output) or --seeds 1,2,3")
			}
			if e.json {
				return writeIndented(e.stdout, worlds)
			}
			if dir != "" {
				printWorld(e, worlds[0])
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "dir", "", "a world written by vigil synth (with truth/)")
	cmd.Flags().StringVar(&seeds, "seeds", "", "generate and evaluate one world per seed, e.g. 1,2,3")
	cmd.Flags().IntVar(&customers, "customers", 20000, "customers per generated world (with --seeds)")
	cmd.Flags().StringVar(&in.rules, "rules", "", "rule pack YAML (default: the pack shipped with vigil)")
	cmd.Flags().StringVar(&in.fx, "fx", "", "FX rates CSV (currency,rate = EUR per unit)")
	return cmd
}

func evalWorld(cmd *cobra.Command, e *env, base *scanInput, dir string) (worldEval, error) {
	truth, err := synth.ReadTruth(dir)
	if err != nil {
		return worldEval{}, err
	}
	in := *base
	in.parties, in.transfers = filepath.Join(dir, "parties.csv"), filepath.Join(dir, "transfers.csv")
	if in.fx == "" {
		if _, err := os.Stat(filepath.Join(dir, "rates.csv")); err == nil {
			in.fx = filepath.Join(dir, "rates.csv")
		}
	}
	eng, err := in.newEngine()
	if err != nil {
		return worldEval{}, err
	}
	rates := eng.Rates()
	bl := detect.NewBaseline(eng.Pack(), rates)
	var ids []string
	var nodes []int32
	if _, err := in.feed(cmd.Context(), e, eng, func(t *vigil.Transfer) {
		bl.Observe(t)
		if _, ok := truth.Recipient[t.ID]; ok {
			ids = append(ids, t.ID)
			nodes = append(nodes, eng.LastRecord())
		}
	}); err != nil {
		return worldEval{}, err
	}
	res := make(map[string]string, len(ids))
	for i, id := range ids {
		res[id] = eng.Resolver().ID(nodes[i])
	}
	p, r := resolve.PairwiseAccuracy(res, truth.Recipient)
	scores := map[string]float64{}
	for _, a := range eng.ScoreAll() {
		scores[a.PartyID] = a.Score
	}
	w := worldEval{World: dir,
		Vigil:    detect.Evaluate("vigil "+eng.Pack().Label(), scores, truth.Segment),
		Baseline: detect.Evaluate("baseline: ≥3 transfers ≤ €150 to high-risk countries in 30 days", bl.Scores(), truth.Segment),
		Resolve:  &resolveAccuracy{Precision: p, Recall: r}}
	return w, nil
}

func printWorld(e *env, w worldEval) {
	fmt.Fprintf(e.stdout, "%s: %d senders, K = %d buyers\n", w.World, w.Vigil.Senders, w.Vigil.K)
	fmt.Fprintf(e.stdout, "  %-10s %8s %8s %10s %22s\n", "", "AP", "P@K", "R@2K", "webcam+family in top K")
	for _, ev := range []struct {
		name string
		ev   detect.Evaluation
	}{{"vigil", w.Vigil}, {"baseline", w.Baseline}} {
		fmt.Fprintf(e.stdout, "  %-10s %8.3f %8.3f %10.3f %21.1f%%\n", ev.name, ev.ev.AP, ev.ev.PrecisionAtK, ev.ev.RecallAt2K, 100*ev.ev.LookalikeTopK)
	}
	if w.Resolve != nil {
		fmt.Fprintf(e.stdout, "  beneficiary resolution: pairwise precision %.4f, recall %.4f\n", w.Resolve.Precision, w.Resolve.Recall)
	}
	if w.Baseline.AP > 0 {
		fmt.Fprintf(e.stdout, "  vigil AP / baseline AP = %.2f×\n", w.Vigil.AP/w.Baseline.AP)
	}
}
