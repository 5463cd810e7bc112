package memory

import (
	"syscall"
	"testing"
	"unsafe"
)

func minorFaults(t *testing.T) int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Skip("getrusage:", err)
	}
	return ru.Minflt
}

// TestPrefaultMaps: a fresh 64 MiB array is mapped by the call (its first
// write then takes no faults), and its contents are unchanged.
func TestPrefaultMaps(t *testing.T) {
	const n = 64 << 20
	s := make([]byte, 0, n) // fresh: the runtime does not zero it
	if err := prefault(unsafe.Pointer(unsafe.SliceData(s[:1])), n); err != nil {
		t.Skip("MADV_POPULATE_WRITE not available:", err)
	}
	// A second array, prefaulted through the exported call, is what is
	// measured: its pages are mapped by Prefault, not by the writes.
	u := make([]byte, n)
	f0 := minorFaults(t)
	Prefault(u)
	f1 := minorFaults(t)
	for i := 0; i < n; i += 4096 {
		u[i] = byte(i >> 12)
	}
	f2 := minorFaults(t)
	// One fault a page: 4 KiB pages, or 2 MiB ones where the heap is
	// backed by huge pages (THP "always", or advised by AdviseHugePages).
	if f1-f0 < n/hugePage/2 {
		t.Errorf("Prefault of %d MiB took %d faults, want %d to %d", n>>20, f1-f0, n/hugePage, n/4096)
	}
	if f2-f1 > n/4096/10 {
		t.Errorf("writing a prefaulted array took %d faults, want few", f2-f1)
	}
	for i := 0; i < n; i += 4096 {
		if u[i] != byte(i>>12) {
			t.Fatalf("byte %d changed", i)
		}
	}
	// Contents written before the call survive it.
	v := make([]int64, 1<<18) // 2 MiB
	for i := range v {
		v[i] = int64(i) * 7
	}
	Prefault(v)
	for i := range v {
		if v[i] != int64(i)*7 {
			t.Fatalf("element %d changed by Prefault", i)
		}
	}
}

// TestPrefaultSmall: arrays under 1 MiB are left to the ordinary faults
// (no call), and empty ones are accepted.
func TestPrefaultSmall(t *testing.T) {
	Prefault([]int32(nil))
	Prefault(make([]byte, 0))
	const n = prefaultMin - 4096
	s := make([]byte, n)
	f0 := minorFaults(t)
	Prefault(s)
	if f := minorFaults(t) - f0; f > 64 {
		t.Errorf("Prefault of %d KiB took %d faults, want none (below prefaultMin)", n>>10, f)
	}
}
