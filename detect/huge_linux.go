package detect

import (
	"syscall"
	"unsafe"
)

// hugePage is the size of a transparent huge page on Linux/amd64.
const hugePage = 2 << 20

// adviseHuge asks Linux to back the 2 MiB pages wholly inside the n bytes
// at p with transparent huge pages (MADV_HUGEPAGE), before they are first
// written. The engine's large arrays (the senders' state, the slots) are
// visited at random: with 4 KiB pages nearly every visit also misses the
// TLB and walks the page tables, with 2 MiB pages a few hundred entries
// cover them. p must point into a Go object of at least n bytes (which
// keeps the memory alive while it is advised). Only a hint: on a system that does not do it (THP "never",
// or an error) nothing changes but the speed.
func adviseHuge(p unsafe.Pointer, n uintptr) {
	lo := (uintptr(p) + hugePage - 1) &^ (hugePage - 1)
	hi := (uintptr(p) + n) &^ (hugePage - 1)
	if hi <= lo {
		return
	}
	_ = syscall.Madvise(unsafe.Slice((*byte)(unsafe.Add(p, lo-uintptr(p))), hi-lo), syscall.MADV_HUGEPAGE)
}
