package main

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/sqlite"
)

func newAuditCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Verify and read the workspace's tamper-evident audit log",
	}
	var head string
	verify := &cobra.Command{
		Use:   "verify",
		Short: "Check the hash chain: any edited, deleted or reordered entry is reported",
		Long: `verify recomputes every entry's hash and checks every link of the chain.
It prints the head hash; keep it outside the store and pass it back with
--head to detect removal of the newest entries too. Exit code 3 when the
chain is broken.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := sqlite.Open(e.db)
			if err != nil {
				return err
			}
			defer db.Close()
			v, err := vigil.VerifyAudit(cmd.Context(), sqlite.NewAuditService(db), head)
			if err != nil {
				return err
			}
			if e.json {
				enc := json.NewEncoder(e.stdout)
				enc.SetIndent("", "  ")
				enc.Encode(v)
			} else {
				for _, p := range v.Problems {
					fmt.Fprintln(e.stdout, p)
				}
				fmt.Fprintf(e.stdout, "%d entries, head %s\n", v.Entries, v.HeadHash)
			}
			if !v.OK {
				return vigil.Errorf(vigil.ECONFLICT, "the audit log has been tampered with: %d problem(s)", len(v.Problems))
			}
			if !e.json {
				fmt.Fprintln(e.stdout, "chain intact")
			}
			return nil
		},
	}
	verify.Flags().StringVar(&head, "head", "", "expected head hash from an earlier verify")
	var user, action string
	var limit int
	list := &cobra.Command{
		Use:   "list",
		Short: "Print the newest entries",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := sqlite.Open(e.db)
			if err != nil {
				return err
			}
			defer db.Close()
			f := vigil.AuditFilter{Limit: limit}
			if user != "" {
				f.User = &user
			}
			if action != "" {
				f.Action = &action
			}
			evs, _, err := sqlite.NewAuditService(db).FindAuditEvents(cmd.Context(), f)
			if err != nil {
				return err
			}
			for _, ev := range evs {
				if e.json {
					json.NewEncoder(e.stdout).Encode(ev)
					continue
				}
				fmt.Fprintf(e.stdout, "%d\t%s\t%s\t%s\t%s %s\t%s\t%s\n", ev.Seq, ev.Time.Format(time.RFC3339), ev.User, ev.Action, ev.ObjectType, ev.ObjectID, ev.Purpose, ev.Detail)
			}
			return nil
		},
	}
	list.Flags().StringVar(&user, "user", "", "only this user's entries")
	list.Flags().StringVar(&action, "action", "", "only this action")
	list.Flags().IntVar(&limit, "limit", 50, "how many entries")
	cmd.AddCommand(verify, list)
	return cmd
}
