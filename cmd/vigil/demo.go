package main

import (
	"github.com/spf13/cobra"
	"github.com/vigilfiu/vigil"
)

// newDemoCmd is a placeholder until its package lands; it refuses to run.
func newDemoCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "demo",
		Short: "(not built yet)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return vigil.Errorf(vigil.ENOTIMPLEMENTED, "vigil demo is not built yet")
		},
	}
}
