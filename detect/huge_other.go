//go:build !linux

package detect

import "unsafe"

// adviseHuge does nothing outside Linux (see huge_linux.go).
func adviseHuge(p unsafe.Pointer, n uintptr) {}
