//go:build !purego

package csv

import "golang.org/x/sys/cpu"

// classify fills out[0:k] with the masks of the 64-byte blocks at p, at
// most n of them, and returns k: it stops after the first block that holds
// a line feed. The caller guarantees that 64·n bytes from p can be read.
// AVX2 (32 bytes a compare) where the processor has it, else SSE2, which
// every amd64 processor has (classify_amd64.s).
func classify(p *byte, n int, out *block) int {
	if hasAVX2 {
		return classifyAVX2(p, n, out)
	}
	return classifySSE2(p, n, out)
}

var hasAVX2 = cpu.X86.HasAVX2

//go:noescape
func classifySSE2(p *byte, n int, out *block) int

//go:noescape
func classifyAVX2(p *byte, n int, out *block) int

// classifiers returns every implementation this processor can run, for
// the tests that hold each to classifyGo.
func classifiers() map[string]func(p *byte, n int, out *block) int {
	m := map[string]func(p *byte, n int, out *block) int{"sse2": classifySSE2}
	if hasAVX2 {
		m["avx2"] = classifyAVX2
	}
	return m
}
