package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"
	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/sqlite"
)

// newFindingsCmd wires `vigil findings import`: the JSON-lines results of
// match, trace, correlate and dedupe into the store, for the workspace.
func newFindingsCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "findings",
		Short: "Bring match, trace, correlate and dedupe results into the workspace",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	var kind string
	imp := &cobra.Command{
		Use:   "import FILE.jsonl... [--kind match|trace|links|clusters]",
		Short: "Import result files into the store (idempotent: importing a file again changes nothing)",
		Long: `import reads the JSON lines written by vigil match (kind match), vigil trace
(trace), vigil correlate (links) or vigil dedupe (clusters) and stores each
line as a finding the workspace shows on the Leads page and the party
pages, with its explanation and its provenance (file:line and the time the
file was written). The kind is detected from the first line unless given.
A finding is identified by its natural key (lead and party; seeds and
party; device account and handle; the records of a cluster): importing
the same file again changes nothing, a newer run replaces what changed.
The import is recorded in the audit log.`,
		Example: `  vigil match --leads leads.csv --out matches.jsonl && vigil findings import matches.jsonl
  vigil findings import ranked.jsonl links.jsonl clusters.jsonl`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := sqlite.Open(e.db)
			if err != nil {
				return err
			}
			defer db.Close()
			for _, path := range args {
				res, err := importFindings(cmd.Context(), db, path, vigil.FindingKind(kind), cliUser())
				if err != nil {
					return err
				}
				if e.json {
					if err := json.NewEncoder(e.stdout).Encode(map[string]any{"file": path, "inserted": res.Inserted, "updated": res.Updated, "unchanged": res.Unchanged}); err != nil {
						return err
					}
					continue
				}
				fmt.Fprintf(e.stdout, "%s: %d finding(s) new, %d updated, %d unchanged\n", path, res.Inserted, res.Updated, res.Unchanged)
			}
			return nil
		},
	}
	imp.Flags().StringVar(&kind, "kind", "", "match, trace, links or clusters (default: detected from the first line)")
	cmd.AddCommand(imp)
	return cmd
}

// cliUser names the operating-system account behind a CLI change in the
// audit log.
func cliUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return "cli:" + u.Username
	}
	return "cli"
}

// importFindings reads one result file into the store and records the
// import in the audit log. vigil demo uses it too.
func importFindings(ctx context.Context, db *sqlite.DB, path string, kind vigil.FindingKind, by string) (vigil.FindingImport, error) {
	f, err := os.Open(path)
	if err != nil {
		return vigil.FindingImport{}, vigil.Errorf(vigil.EINVALID, "cannot read %s: %v", path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return vigil.FindingImport{}, err
	}
	var fs []*vigil.Finding
	if err := vigil.ReadFindings(f, filepath.Base(path), kind, st.ModTime(), func(x *vigil.Finding) error {
		fs = append(fs, x)
		return nil
	}); err != nil {
		return vigil.FindingImport{}, err
	}
	res, err := sqlite.NewFindingService(db).PutFindings(ctx, fs)
	if err != nil {
		return res, err
	}
	abs, _ := filepath.Abs(path)
	err = sqlite.NewAuditService(db).RecordAudit(ctx, &vigil.AuditEvent{Time: time.Now(), User: by, Action: vigil.AuditImportFindings,
		ObjectType: "findings", ObjectID: abs, Purpose: "import",
		Detail: fmt.Sprintf("%d new, %d updated, %d unchanged", res.Inserted, res.Updated, res.Unchanged)})
	return res, err
}
