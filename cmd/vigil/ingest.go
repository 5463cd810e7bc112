package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/vigilfiu/vigil/ingest"
	"github.com/vigilfiu/vigil/sqlite"
	"golang.org/x/term"
)

// newIngestCmd wires `vigil ingest`: package ingest does the work.
func newIngestCmd(e *env) *cobra.Command {
	var opt ingest.Options
	cmd := &cobra.Command{
		Use:   "ingest FILE...",
		Short: "Load parties, transfers, call events and leads into the store, with nothing lost",
		Long: `Load files into the embedded store (--db) in one transaction.

What each CSV file holds is read from its header: party_id → parties,
transfer_id → transfers, event_id → call events, lead_id → leads. A leads
file whose name starts with "seeds" is the seeds list (arrested
facilitators); --list overrides. Parties are loaded first whatever the
order of the files, so transfers are checked against them.

Every record is stored, found unchanged (same id, same content), reported
as a conflict (same id, other content: the stored record is kept) or
rejected with file:line:column and the reason. Rejected rows are written to
FILE.rejects.csv (the original row plus error_line, error_column,
error_field, error_reason) beside FILE.rejects.json, a summary. With
--max-errors N the whole load is abandoned once more than N rows are
rejected or in conflict, and the store is left exactly as it was.

Inputs of 64 MiB or more load faster with a rollback journal when no other
program has the store open; while such a load runs, others cannot open the
store (they wait 10 s, then fail). With the store open elsewhere (vigil
serve) the load runs in WAL and they keep reading (docs/format.md).`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if f, ok := e.stderr.(*os.File); ok && !e.json && term.IsTerminal(int(f.Fd())) {
				opt.Progress = f
			}
			// A load allocates many short-lived values and keeps a few MB
			// live: collecting at 5× the live heap instead of 2× saves ~20 %
			// of the CPU for ~20 MB (docs/performance.md). GOGC overrides.
			if os.Getenv("GOGC") == "" {
				defer debug.SetGCPercent(debug.SetGCPercent(400))
			}
			db, err := sqlite.Open(e.db)
			if err != nil {
				return err
			}
			defer db.Close()
			rep, err := ingest.Files(cmd.Context(), db, args, opt)
			if rep != nil {
				if e.json {
					enc := json.NewEncoder(e.stdout)
					if werr := enc.Encode(rep); werr != nil && err == nil {
						err = werr
					}
				} else {
					printIngestReport(e.stdout, rep)
				}
			}
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&opt.Format, "format", ingest.FormatCSV, "input format: csv, iso20022 or goaml")
	f.BoolVar(&opt.AllowExtra, "allow-extra", false, "accept (and ignore) CSV columns the format does not define")
	f.StringVar(&opt.List, "list", "", `lead list of leads files: "leads" or "seeds" (default: by file name)`)
	f.IntVar(&opt.MaxErrors, "max-errors", -1, "abandon the whole load once more than N rows are rejected or in conflict (-1: no limit)")
	f.StringVar(&opt.RejectDir, "rejects", "", "directory for reject files (default: beside each input)")
	return cmd
}

// printIngestReport prints what a load did, for a person at a terminal.
func printIngestReport(w io.Writer, rep *ingest.Report) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "file\tkind\trecords\tinserted\tunchanged\tconflicts\trejected\t")
	for _, f := range rep.Files {
		kind := f.Kind
		if f.List != "" {
			kind += " (" + f.List + ")"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%d\t\n", filepath.Base(f.Path), kind, f.Records, f.Inserted, f.Unchanged, f.Conflicts, f.Rejected)
	}
	t := rep.Totals
	fmt.Fprintf(tw, "total\t\t%d\t%d\t%d\t%d\t%d\t\n", t.Records, t.Inserted, t.Unchanged, t.Conflicts, t.Rejected)
	tw.Flush()
	if len(rep.Errors) > 0 {
		fmt.Fprintf(w, "\nfirst of %d rows not stored:\n", t.Errors())
		for _, r := range rep.Errors {
			fmt.Fprintf(w, "  %s\n", r.Error())
		}
	}
	for _, f := range rep.Files {
		if f.RejectFile != "" {
			fmt.Fprintf(w, "rows not stored from %s: %s (summary %s)\n", f.Path, f.RejectFile, f.SummaryFile)
		}
	}
	if rep.Committed {
		fmt.Fprintf(w, "\nloaded into %s in %.1f s (%.0f records/s)\n", rep.Store, rep.Seconds, rep.PerSecond)
	} else {
		fmt.Fprintf(w, "\nnothing loaded: %s\n", rep.Aborted)
	}
}
