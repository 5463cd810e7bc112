package main

import (
	"github.com/spf13/cobra"
	"github.com/vigilfiu/vigil"
)

// newScanCmd is a placeholder until its package lands; it refuses to run.
func newScanCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "scan",
		Short: "(not built yet)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return vigil.Errorf(vigil.ENOTIMPLEMENTED, "vigil scan is not built yet")
		},
	}
}
