//go:build !linux

package memory

import "unsafe"

// Prefault maps the pages of s's backing array ahead of their first write
// where the system can (Linux); here it does nothing.
func Prefault[T any](s []T) {}

func prefault(p unsafe.Pointer, n uintptr) error { return nil }
