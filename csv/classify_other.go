//go:build !amd64 || purego

package csv

import "unsafe"

// classify is classify_amd64.s in Go, for other processors: it fills
// out[0:k] with the masks of the 64-byte blocks at p, at most n of them,
// and returns k, stopping after the first block that holds a line feed.
func classify(p *byte, n int, out *block) int {
	return classifyGo(unsafe.Slice(p, 64*n), out)
}

// classifiers returns every implementation this build can run, for the
// tests that hold each to classifyGo.
func classifiers() map[string]func(p *byte, n int, out *block) int {
	return map[string]func(p *byte, n int, out *block) int{"go": classify}
}
