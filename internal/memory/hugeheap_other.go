//go:build !linux

package memory

// AdviseHugePages advises the heap's pages where the system can (Linux);
// here it does nothing and returns 0.
func AdviseHugePages(n int) int { return 0 }

// HeapAdvice is 0 where AdviseHugePages does nothing.
func HeapAdvice() int { return 0 }
