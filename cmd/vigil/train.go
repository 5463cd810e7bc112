package main

import (
	"github.com/spf13/cobra"
	"github.com/vigilfiu/vigil"
)

// newTrainCmd is a placeholder until its package lands; it refuses to run.
func newTrainCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "train",
		Short: "(not built yet)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return vigil.Errorf(vigil.ENOTIMPLEMENTED, "vigil train is not built yet")
		},
	}
}
