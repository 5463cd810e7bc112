package memory

import (
	"os"
	"runtime"
	"strings"
	"syscall"
	"unsafe"
)

// madvHugepage is MADV_HUGEPAGE: back the range with 2 MiB pages where the
// kernel's transparent huge pages are set to "madvise" (the default of
// many distributions, and of the machine vigil is measured on).
const madvHugepage = 14

const hugePage = 2 << 20

// AdviseHugePages asks the kernel to back the next n bytes of the Go
// heap with 2 MiB pages instead of 4 KiB ones, and returns the bytes
// advised (0 when it did nothing).
//
// Why: a 5M-transfer build writes ~2 GB of fresh memory, and each first
// write of a 4 KiB page is a fault; on the virtual machine measured a
// fault costs several microseconds, half a million of them several CPU
// seconds. With 2 MiB pages there are 512 times fewer. The Go runtime
// does not advise its heap itself, so where the system setting is
// "madvise" the heap would get none.
//
// How: one array of n bytes is allocated (address space only: the
// runtime maps fresh memory untouched), its whole 2 MiB pages are
// advised, and it is dropped and collected at once, so that the runtime
// hands the same, advised, address range to the allocations that follow.
// Nothing is written; memory the process never uses is never backed.
//
// It does nothing when n is under 64 MiB, when the kernel never gives
// huge pages ("never"), or when overcommit is strict (mode 2), where
// mapping n bytes at once could be refused.
func AdviseHugePages(n int) int {
	if n < 64<<20 || !thpAvailable() || strictOvercommit() {
		return 0
	}
	s := make([]byte, 0, n)
	p := uintptr(unsafe.Pointer(unsafe.SliceData(s[:1])))
	lo := (p + hugePage - 1) &^ (hugePage - 1)
	hi := (p + uintptr(n)) &^ (hugePage - 1)
	advised := 0
	if hi > lo {
		// The range is inside the live allocation s.
		b := unsafe.Slice((*byte)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(s[:1])), lo-p)), hi-lo)
		if syscall.Madvise(b, madvHugepage) == nil {
			advised = len(b)
		}
	}
	runtime.KeepAlive(s)
	s = nil
	// Collect now: otherwise the array could survive a collection that
	// started while it was live and set the heap goal to twice its size.
	runtime.GC()
	return advised
}

func thpAvailable() bool {
	b, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	return err == nil && !strings.Contains(string(b), "[never]")
}

func strictOvercommit() bool {
	b, err := os.ReadFile("/proc/sys/vm/overcommit_memory")
	return err != nil || strings.TrimSpace(string(b)) == "2"
}

// AdviseHeap is what a command calls first: AdviseHugePages for a
// quarter of the machine's memory, at most 4 GiB (a 5M-transfer trace
// peaks at ~2.2 GB), unless the environment sets VIGIL_HUGEPAGES=0 (to
// measure without it, or where an operator prefers small pages).
func AdviseHeap() int {
	if os.Getenv("VIGIL_HUGEPAGES") == "0" {
		return 0
	}
	var si syscall.Sysinfo_t
	if syscall.Sysinfo(&si) != nil {
		return 0
	}
	total := uint64(si.Totalram) * uint64(si.Unit)
	return AdviseHugePages(int(min(total/4, 4<<30)))
}
