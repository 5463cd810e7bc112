package main

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/synth"
)

// newSynthCmd wires `vigil synth`: package synth does the work.
func newSynthCmd(e *env) *cobra.Command {
	var (
		cfg   synth.Config
		out   string
		start string
	)
	cmd := &cobra.Command{
		Use:   "synth --out DIR",
		Short: "Generate a synthetic world with its ground truth",
		Long: `Generate a synthetic world in the interchange format: the domestic
customers of a remittance provider (parties.csv) and their transfers
(transfers.csv) over --months, the call logs of seized facilitator devices
(calls.csv) with the partner's seeds (seeds.csv), a partner's noisy client
list (leads.csv), an FX table (rates.csv), and the ground truth under
DIR/truth/. No real person's data: names come from embedded lists.

The same --seed writes the same bytes. Parameters are drawn per seed from
the ranges in docs/synth.md and recorded in DIR/truth/params.csv.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return vigil.Errorf(vigil.EINVALID, "synth: --out DIR is required")
			}
			if start != "" {
				t, err := time.Parse(time.DateOnly, start)
				if err != nil {
					return vigil.Errorf(vigil.EINVALID, "synth: --start %q is not a date (YYYY-MM-DD)", start)
				}
				cfg.Start = t
			}
			s, err := synth.Generate(cfg, out)
			if err != nil {
				return err
			}
			if e.json {
				return json.NewEncoder(e.stdout).Encode(s)
			}
			fmt.Fprintf(e.stdout, "world written to %s (seed %d) in %s\n\n", s.Dir, s.Seed, s.Elapsed.Round(time.Millisecond))
			tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
			fmt.Fprintln(tw, "segment\tparties\ttransfers\t")
			tp, tt := 0, 0
			for _, sc := range s.Segments {
				fmt.Fprintf(tw, "%s\t%d\t%d\t\n", sc.Segment, sc.Parties, sc.Transfers)
				tp += sc.Parties
				tt += sc.Transfers
			}
			fmt.Fprintf(tw, "total\t%d\t%d\t\n", tp, tt)
			tw.Flush()
			fmt.Fprintf(e.stdout, "\n%d second records of a person, %d namesake decoys, %d recipients abroad\n", s.Duplicates, s.Decoys, s.Recipients)
			fmt.Fprintf(e.stdout, "%d seized devices (seeds.csv) with %d call events, %d leads on the partner's list\n", s.Seeds, s.Calls, s.Leads)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&out, "out", "", "directory to write the world to (created if needed)")
	f.IntVar(&cfg.Customers, "customers", synth.DefaultCustomers, "domestic customers")
	f.Int64Var(&cfg.Seed, "seed", synth.DefaultSeed, "random seed: the same seed writes the same bytes")
	f.IntVar(&cfg.Months, "months", synth.DefaultMonths, "months of transfer history")
	f.StringVar(&start, "start", "2024-01-01", "first day of the history (YYYY-MM-DD)")
	return cmd
}
