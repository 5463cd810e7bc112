package main

import (
	"github.com/spf13/cobra"
	"github.com/vigilfiu/vigil"
)

// newEvalCmd is a placeholder until its package lands; it refuses to run.
func newEvalCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "eval",
		Short: "(not built yet)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return vigil.Errorf(vigil.ENOTIMPLEMENTED, "vigil eval is not built yet")
		},
	}
}
