package main

import (
	"github.com/spf13/cobra"
	"github.com/vigilfiu/vigil"
)

// newSynthCmd is a placeholder until its package lands; it refuses to run.
func newSynthCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "synth",
		Short: "(not built yet)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return vigil.Errorf(vigil.ENOTIMPLEMENTED, "vigil synth is not built yet")
		},
	}
}
