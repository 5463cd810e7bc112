package main

import (
	"github.com/spf13/cobra"
	"github.com/vigilfiu/vigil"
)

// newUserCmd is a placeholder until its package lands; it refuses to run.
func newUserCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "user",
		Short: "(not built yet)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return vigil.Errorf(vigil.ENOTIMPLEMENTED, "vigil user is not built yet")
		},
	}
}
