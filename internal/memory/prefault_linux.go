package memory

import (
	"syscall"
	"unsafe"
)

// madvPopulateWrite is MADV_POPULATE_WRITE (Linux 5.14): fault the range
// in, writable, in one call. Older kernels answer EINVAL and the pages
// are faulted one by one on first write, as without the call.
const madvPopulateWrite = 23

// prefaultMin is the smallest array worth a system call: below it the
// faults saved are fewer than the call costs.
const prefaultMin = 1 << 20

// Prefault maps the pages of s's backing array, up to its capacity, into
// the process in one system call, for an array about to be written in
// full (the graph's and the resolver's tables of a 5M-transfer build,
// made at their final size). Fresh memory is otherwise mapped one 4 KiB
// page fault at a time on first write; on the virtual machines measured
// a fault taken alone cost 2.5 to 28 µs, and half a million of them are
// a large part of a 5M build's CPU. The contents are unchanged. A no-op
// for arrays under 1 MiB and on systems without the call.
func Prefault[T any](s []T) {
	if cap(s) == 0 {
		return
	}
	s = s[:cap(s)]
	_ = prefault(unsafe.Pointer(unsafe.SliceData(s)), uintptr(len(s))*unsafe.Sizeof(s[0]))
}

// prefault populates the whole pages inside [p, p+n).
func prefault(p unsafe.Pointer, n uintptr) error {
	if n < prefaultMin {
		return nil
	}
	const page = 4096
	lo := (uintptr(p) + page - 1) &^ (page - 1)
	hi := (uintptr(p) + n) &^ (page - 1)
	if hi <= lo {
		return nil
	}
	// The range is inside one live Go allocation (the caller holds s), so
	// the pointer arithmetic stays within it.
	b := unsafe.Slice((*byte)(unsafe.Add(p, lo-uintptr(p))), hi-lo)
	return syscall.Madvise(b, madvPopulateWrite)
}
