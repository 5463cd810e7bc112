package main

import (
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/detect"
	"github.com/vigilfiu/vigil/ingest"
	"github.com/vigilfiu/vigil/sqlite"
	"github.com/vigilfiu/vigil/synth"
)

// newDemoCmd generates a synthetic world, loads it into a fresh store,
// scans it, and serves the workspace with a demo account.
func newDemoCmd(e *env) *cobra.Command {
	var dir string
	var customers int
	var seed int64
	var o serveOptions
	var noServe bool
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Generate a synthetic world, ingest and scan it, and serve the workspace",
		Long: `demo shows vigil end to end on synthetic data (no real person is in it):
it writes a synthetic world to --dir, loads it into a fresh store
(--dir/vigil.db), scans every sender, saves the alerts, creates a demo
supervisor account and serves the workspace until Ctrl-C.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			sum, err := synth.Generate(synth.Config{Customers: customers, Seed: seed}, dir)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "1. synthetic world: %d parties, %d transfers in %s\n", sum.Parties, sum.Transfers, dir)

			path := filepath.Join(dir, "vigil.db")
			for _, p := range []string{path, path + "-wal", path + "-shm"} {
				if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
					return err
				}
			}
			db, err := sqlite.Open(path)
			if err != nil {
				return err
			}
			defer db.Close()
			var inputs []string
			for _, f := range []string{"parties.csv", "transfers.csv", "calls.csv", "leads.csv", "seeds.csv"} {
				inputs = append(inputs, filepath.Join(dir, f))
			}
			rep, err := ingest.Files(ctx, db, inputs, ingest.Options{MaxErrors: -1})
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "2. ingested into %s: %d records inserted, %d rejected\n", path, rep.Totals.Inserted, rep.Totals.Rejected)

			eng, err := (&scanInput{fx: filepath.Join(dir, "rates.csv")}).newEngine()
			if err != nil {
				return err
			}
			e2 := *e
			e2.db = path
			if _, err := feedStore(ctx, &e2, eng, nil); err != nil {
				return err
			}
			var alerts []*vigil.Alert
			for _, a := range eng.ScoreAll() {
				if detect.Reported(a) {
					eng.Explain(a)
					alerts = append(alerts, a)
				}
			}
			if err := db.ReplaceAlerts(ctx, alerts); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "3. scanned: %d alerts saved (see vigil eval --dir %s for precision against the ground truth)\n", len(alerts), dir)

			if noServe {
				return nil
			}
			password := demoPassword()
			if _, err := ensureDemoUser(ctx, db, "demo", password); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "4. sign in as user \"demo\" (supervisor) with password %s\n", password)
			return serveStore(ctx, e, db, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&dir, "dir", "demo", "folder for the synthetic world and its store")
	f.IntVar(&customers, "customers", 5000, "number of synthetic customers")
	f.Int64Var(&seed, "seed", 1, "seed of the synthetic world")
	f.StringVar(&o.addr, "addr", "127.0.0.1:8080", "address to serve the workspace on")
	f.BoolVar(&noServe, "no-serve", false, "stop after the scan instead of serving the workspace")
	return cmd
}

// demoPassword returns a fresh random password for the demo account, so
// that no fixed password ships in the binary.
func demoPassword() string {
	b := make([]byte, 10)
	rand.Read(b)
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)
}
