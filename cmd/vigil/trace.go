package main

import (
	"github.com/spf13/cobra"
	"github.com/vigilfiu/vigil"
)

// newTraceCmd is a placeholder until its package lands; it refuses to run.
func newTraceCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "trace",
		Short: "(not built yet)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return vigil.Errorf(vigil.ENOTIMPLEMENTED, "vigil trace is not built yet")
		},
	}
}
