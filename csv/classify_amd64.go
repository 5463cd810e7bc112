//go:build !purego

package csv

// classify fills out[0:k] with the masks of the 64-byte blocks at p, at
// most n of them, and returns k: it stops after the first block that holds
// a line feed. The caller guarantees that 64·n bytes from p can be read.
// SSE2, which every amd64 processor has (classify_amd64.s).
//
//go:noescape
func classify(p *byte, n int, out *block) int
