package main

import (
	"github.com/spf13/cobra"
	"github.com/vigilfiu/vigil"
)

// newExportCmd is a placeholder until its package lands; it refuses to run.
func newExportCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "export",
		Short: "(not built yet)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return vigil.Errorf(vigil.ENOTIMPLEMENTED, "vigil export is not built yet")
		},
	}
}
