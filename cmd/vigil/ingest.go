package main

import (
	"github.com/spf13/cobra"
	"github.com/vigilfiu/vigil"
)

// newIngestCmd is a placeholder until its package lands; it refuses to run.
func newIngestCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "ingest",
		Short: "(not built yet)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return vigil.Errorf(vigil.ENOTIMPLEMENTED, "vigil ingest is not built yet")
		},
	}
}
