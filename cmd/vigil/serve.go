package main

import (
	"github.com/spf13/cobra"
	"github.com/vigilfiu/vigil"
)

// newServeCmd is a placeholder until its package lands; it refuses to run.
func newServeCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "serve",
		Short: "(not built yet)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return vigil.Errorf(vigil.ENOTIMPLEMENTED, "vigil serve is not built yet")
		},
	}
}
