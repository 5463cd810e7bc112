//go:build !linux

package memory

// AdviseHugePages advises the heap's pages where the system can (Linux);
// here it does nothing and returns 0.
func AdviseHugePages(n int) int { return 0 }

// AdviseHeap does nothing where AdviseHugePages does nothing.
func AdviseHeap() int { return 0 }
