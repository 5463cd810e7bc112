package main

import (
	"fmt"
	"os"
	"sort"

	"github.com/spf13/cobra"
	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/detect"
)

func newTrainCmd(e *env) *cobra.Command {
	var in scanInput
	var labels, out string
	var lambda float64
	var rounds int
	cmd := &cobra.Command{
		Use:   "train",
		Short: "Re-fit a rule pack's weights from confirmed and cleared senders",
		Long: `vigil train computes every sender's indicator values (as vigil scan
does), then re-fits the pack's weights and intercept by L2-regularised
logistic regression on the labelled senders (labels CSV: party_id,label
with 1 = confirmed, 0 = cleared). The penalty pulls each weight towards
its value in the starting pack, so a few labels move it little. Because
LSC-PROPAGATION depends on the other senders' scores, the fit is repeated
with that indicator recomputed from the fitted weights until the weights
settle (--rounds at most). It writes the new pack and reports the fit:
log-loss and average precision before and after, the number of rounds,
and every weight's change.`,
		Example: `  vigil train --labels confirmed.csv --parties parties.csv --transfers transfers.csv --out pack.yaml`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if labels == "" || out == "" {
				return vigil.Errorf(vigil.EINVALID, "--labels and --out are required")
			}
			if rounds < 1 {
				return vigil.Errorf(vigil.EINVALID, "--rounds must be at least 1")
			}
			if lambda < 0 {
				return vigil.Errorf(vigil.EINVALID, "--lambda must not be negative")
			}
			f, err := os.Open(labels)
			if err != nil {
				return vigil.Errorf(vigil.EINVALID, "--labels: %v", err)
			}
			lab, err := detect.ReadLabels(f, labels)
			f.Close()
			if err != nil {
				return err
			}
			eng, err := in.newEngine()
			if err != nil {
				return err
			}
			if _, err := in.feed(cmd.Context(), e, eng, nil); err != nil {
				return err
			}
			ids, _ := eng.Features()
			seen := make(map[string]bool, len(ids))
			for _, id := range ids {
				if _, ok := lab[id]; ok {
					seen[id] = true
				}
			}
			var missing []string
			for id := range lab {
				if !seen[id] {
					missing = append(missing, id)
				}
			}
			sort.Strings(missing)
			if len(missing) > 0 {
				fmt.Fprintf(e.stderr, "vigil: %d labelled parties have no transfer in the data and were not used (first: %s)\n", len(missing), missing[0])
			}
			pack, rep, err := detect.FitEngine(eng, eng.Pack(), lab, lambda, rounds, labels)
			if err != nil {
				return err
			}
			b, err := pack.Marshal()
			if err != nil {
				return err
			}
			if err := os.WriteFile(out, b, 0o644); err != nil {
				return vigil.Errorf(vigil.EINVALID, "--out: %v", err)
			}
			if e.json {
				return writeIndented(e.stdout, rep)
			}
			fmt.Fprint(e.stdout, rep.String())
			fmt.Fprintf(e.stdout, "wrote %s (%s)\n", out, pack.Label())
			return nil
		},
	}
	in.flags(cmd)
	cmd.Flags().StringVar(&labels, "labels", "", "labels CSV: party_id,label (1 confirmed, 0 cleared)")
	cmd.Flags().StringVar(&out, "out", "", "write the fitted rule pack (YAML) here")
	cmd.Flags().Float64Var(&lambda, "lambda", 1, "L2 penalty towards the starting pack's weights")
	cmd.Flags().IntVar(&rounds, "rounds", 20, "fit at most this many times, recomputing LSC-PROPAGATION from the fitted weights")
	return cmd
}
