package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"
	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/csv"
	"github.com/vigilfiu/vigil/resolve"
)

// newDedupeCmd wires `vigil dedupe`: clusters of party records that are
// one person.
func newDedupeCmd(e *env) *cobra.Command {
	var partiesPath, outPath string
	var keepGoing bool
	var opt resolve.Options
	cmd := &cobra.Command{
		Use:   "dedupe --parties P.csv --out clusters.jsonl",
		Short: "Cluster duplicate customer records (one person, several providers or accounts)",
		Long: `dedupe compares the parties that share a blocking key, scores the pairs
(Fellegi–Sunter, m and u estimated from the data) and joins matched pairs
into clusters. Each cluster of two or more records is one JSON line:
{"cluster_id","party_ids":[…],"pairs":[{"a","b","score","bits","decision","fields"}]}.
See docs/matching.md.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if partiesPath == "" {
				return vigil.Errorf(vigil.EINVALID, "--parties is required")
			}
			start := time.Now()
			parties, rej, err := csv.ReadPartiesFile(partiesPath, csv.Options{})
			if err := rowErrors(e, "parties", rej, err, keepGoing); err != nil {
				return err
			}
			recs := make([]resolve.Record, len(parties))
			for i := range parties {
				recs[i] = resolve.RecordFromParty(&parties[i])
			}
			res := resolve.Dedupe(recs, opt)
			var w io.Writer = e.stdout
			if outPath != "" && outPath != "-" {
				f, err := os.Create(outPath)
				if err != nil {
					return vigil.Errorf(vigil.EINVALID, "cannot write %s: %v", outPath, err)
				}
				defer f.Close()
				w = f
			}
			n, err := resolve.WriteClusters(w, recs, res)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stderr, "vigil dedupe: %d parties, %d clusters of duplicates; %d of %d pairs compared; %v\n",
				len(recs), n, res.Compared, res.Total, time.Since(start).Round(time.Millisecond))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&partiesPath, "parties", "", "parties.csv (required)")
	f.StringVar(&outPath, "out", "", "output JSON-lines file (default standard output)")
	f.BoolVar(&keepGoing, "keep-going", false, "report rejected rows on standard error and cluster the others instead of stopping")
	f.Float64Var(&opt.MatchProbability, "match-probability", 0.95, "posterior probability from which a pair is joined")
	f.BoolVar(&opt.NoVeto, "no-veto", false, "allow a match despite conflicting birth dates or cities when no direct identifier agrees (namesakes may then be matched)")
	f.Float64Var(&opt.PossibleProbability, "possible-probability", 0.10, "posterior probability from which a pair is listed as possible")
	return cmd
}
