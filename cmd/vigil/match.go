package main

import (
	"github.com/spf13/cobra"
	"github.com/vigilfiu/vigil"
)

// newMatchCmd is a placeholder until its package lands; it refuses to run.
func newMatchCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "match",
		Short: "(not built yet)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return vigil.Errorf(vigil.ENOTIMPLEMENTED, "vigil match is not built yet")
		},
	}
}
