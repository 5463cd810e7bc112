// Command vigil is the one binary of vigil: it generates synthetic worlds,
// ingests data, scans for buyers, matches leads, traces from seeds,
// correlates call logs with payments, serves the investigators' workspace
// and exports reports. It only wires: flags in, packages constructed, run,
// exit code out.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/internal/memory"
)

// env is what every subcommand shares: the standard streams and the global
// flags. It is passed explicitly; there are no package globals.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	db             string // path of the embedded store
	json           bool   // machine-readable output
}

func main() {
	// 2 MiB pages for the heap (docs/performance.md, session 11);
	// VIGIL_HUGEPAGES=0 turns it off.
	memory.AdviseHeap()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	e := &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}
	err := newRootCmd(e).ExecuteContext(ctx)
	stop()
	os.Exit(exitCode(e, err))
}

func newRootCmd(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:   "vigil",
		Short: "Follow the money to the people who pay for live-streamed child sexual abuse",
		Long: `vigil ranks the senders of small cross-border payments by how closely
they match the published indicators of paying for live-streamed child
sexual abuse, traces buyers back from a foreign lead, matches partner
lead lists to customers and builds case files. It handles payments,
identities and metadata only.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&e.db, "db", "vigil.db", "path of the embedded store (a SQLite file)")
	root.PersistentFlags().BoolVar(&e.json, "json", false, "machine-readable output (JSON) instead of text")
	root.AddCommand(
		newVersionCmd(e),
		newDemoCmd(e),
		newSynthCmd(e),
		newIngestCmd(e),
		newScanCmd(e),
		newTrainCmd(e),
		newEvalCmd(e),
		newMatchCmd(e),
		newDedupeCmd(e),
		newTraceCmd(e),
		newCorrelateCmd(e),
		newServeCmd(e),
		newUserCmd(e),
		newAuditCmd(e),
		newExportCmd(e),
		newFindingsCmd(e),
	)
	return root
}

// exitCode maps an error to the process exit code, in this one place:
// 0 success, 2 invalid input or usage, 3 conflict, 4 not found,
// 5 unauthorised, 1 anything else.
func exitCode(e *env, err error) int {
	if err == nil {
		return 0
	}
	var ee *vigil.Error
	if errors.As(err, &ee) {
		fmt.Fprintf(e.stderr, "vigil: %s\n", ee.Message)
	} else {
		fmt.Fprintf(e.stderr, "vigil: %v\n", err)
	}
	switch vigil.ErrorCode(err) {
	case vigil.EINVALID:
		return 2
	case vigil.ECONFLICT:
		return 3
	case vigil.ENOTFOUND:
		return 4
	case vigil.EUNAUTHORIZED:
		return 5
	}
	if ee == nil && isUsageError(err) {
		return 2
	}
	return 1
}

// isUsageError reports whether err came from cobra's flag or argument
// parsing rather than from running the command.
func isUsageError(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand", "flag needs", "invalid argument", "accepts ", "requires at least", "required flag"} {
		if strings.Contains(msg, p) {
			return true
		}
	}
	return false
}

func newVersionCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print vigil's version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			fmt.Fprintf(e.stdout, "vigil %s\n", vigil.Version)
			return nil
		},
	}
}
