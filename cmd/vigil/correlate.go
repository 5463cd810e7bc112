package main

import (
	"github.com/spf13/cobra"
	"github.com/vigilfiu/vigil"
)

// newCorrelateCmd is a placeholder until its package lands; it refuses to run.
func newCorrelateCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "correlate",
		Short: "(not built yet)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return vigil.Errorf(vigil.ENOTIMPLEMENTED, "vigil correlate is not built yet")
		},
	}
}
