package main

import (
	"github.com/spf13/cobra"
	"github.com/vigilfiu/vigil"
)

// newDedupeCmd is a placeholder until its package lands; it refuses to run.
func newDedupeCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "dedupe",
		Short: "(not built yet)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return vigil.Errorf(vigil.ENOTIMPLEMENTED, "vigil dedupe is not built yet")
		},
	}
}
