package main

import (
	"github.com/spf13/cobra"
	"github.com/vigilfiu/vigil"
)

// newAuditCmd is a placeholder until its package lands; it refuses to run.
func newAuditCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "audit",
		Short: "(not built yet)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return vigil.Errorf(vigil.ENOTIMPLEMENTED, "vigil audit is not built yet")
		},
	}
}
