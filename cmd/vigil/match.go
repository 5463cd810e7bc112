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
	"github.com/vigilfiu/vigil/sqlite"
)

// newMatchCmd wires `vigil match`: leads against parties from a file or
// the store, one JSON line per lead and candidate.
func newMatchCmd(e *env) *cobra.Command {
	var partiesPath, leadsPath, outPath string
	var keepGoing bool
	var opt resolve.Options
	cmd := &cobra.Command{
		Use:   "match --leads L.csv [--parties P.csv] --out matches.jsonl",
		Short: "Match a partner's lead list against customers (parties), with explained scores",
		Long: `match finds which parties each lead may be. Every candidate scoring at
least "possible" gets one JSON line, best first:
{"lead_id","party_id","score","bits","decision","fields":{…}}; a lead with
none gets a non-match line with party_id null. Without --parties the
parties are read from the store (--db). See docs/matching.md.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if leadsPath == "" {
				return vigil.Errorf(vigil.EINVALID, "--leads is required")
			}
			start := time.Now()
			leads, rej, err := csv.ReadLeadsFile(leadsPath, csv.Options{})
			if err := rowErrors(e, "leads", rej, err, keepGoing); err != nil {
				return err
			}
			var parties []vigil.Party
			if partiesPath != "" {
				var rej []*csv.RowError
				parties, rej, err = csv.ReadPartiesFile(partiesPath, csv.Options{})
				if err := rowErrors(e, "parties", rej, err, keepGoing); err != nil {
					return err
				}
			} else {
				db, err := sqlite.Open(e.db)
				if err != nil {
					return err
				}
				ps, _, err := db.FindParties(cmd.Context(), vigil.PartyFilter{})
				db.Close()
				if err != nil {
					return err
				}
				for _, p := range ps {
					parties = append(parties, *p)
				}
			}
			if len(parties) == 0 {
				return vigil.Errorf(vigil.EINVALID, "no parties to match against: give --parties or ingest parties into %s", e.db)
			}
			recs := make([]resolve.Record, len(parties))
			for i := range parties {
				recs[i] = resolve.RecordFromParty(&parties[i])
			}
			lrecs := make([]resolve.Record, len(leads))
			for i := range leads {
				lrecs[i] = resolve.RecordFromLead(&leads[i])
			}
			m := resolve.NewMatcher(recs, opt)
			m.Fit(lrecs)
			results := m.MatchAll(lrecs)
			var w io.Writer = e.stdout
			if outPath != "" && outPath != "-" {
				f, err := os.Create(outPath)
				if err != nil {
					return vigil.Errorf(vigil.EINVALID, "cannot write %s: %v", outPath, err)
				}
				defer f.Close()
				w = f
			}
			if err := resolve.WriteMatches(w, lrecs, results); err != nil {
				return err
			}
			var nm, np, nn int
			for _, c := range results {
				switch {
				case len(c) == 0:
					nn++
				case c[0].Decision == resolve.DecisionMatch:
					nm++
				default:
					np++
				}
			}
			if outPath != "" && outPath != "-" {
				fmt.Fprintf(e.stderr, "vigil match: %d leads against %d parties in %v: %d matched, %d possible only, %d without candidate; written to %s\n",
					len(leads), len(parties), time.Since(start).Round(time.Millisecond), nm, np, nn, outPath)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&leadsPath, "leads", "", "leads.csv from the partner agency (required)")
	f.StringVar(&partiesPath, "parties", "", "parties.csv; without it the parties in the store (--db) are used")
	f.StringVar(&outPath, "out", "", "output JSON-lines file (default standard output)")
	f.BoolVar(&keepGoing, "keep-going", false, "report rejected rows on standard error and match the others instead of stopping")
	f.Float64Var(&opt.MatchProbability, "match-probability", 0.95, "posterior probability from which a candidate is a match")
	f.BoolVar(&opt.NoVeto, "no-veto", false, "allow a match despite conflicting birth dates or cities when no direct identifier agrees (namesakes may then be matched)")
	f.Float64Var(&opt.PossibleProbability, "possible-probability", 0.10, "posterior probability from which a candidate is listed as possible")
	return cmd
}

// rowErrors reports rejected rows: all of them on standard error, and an
// EINVALID error (naming the first) unless keepGoing.
func rowErrors(e *env, what string, rej []*csv.RowError, err error, keepGoing bool) error {
	if re, ok := err.(*csv.RowError); ok {
		if re == nil { // a typed nil from the reader is no error
			err = nil
		} else {
			return vigil.Errorf(vigil.EINVALID, "%v", re)
		}
	}
	if err != nil {
		return err
	}
	for _, r := range rej {
		fmt.Fprintf(e.stderr, "vigil: rejected %s row: %v\n", what, r)
	}
	if len(rej) > 0 && !keepGoing {
		return vigil.Errorf(vigil.EINVALID, "%d %s rows rejected, first: %v (use --keep-going to match the others)", len(rej), what, rej[0])
	}
	return nil
}
