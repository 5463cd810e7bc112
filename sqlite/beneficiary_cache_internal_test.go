package sqlite

import (
	"slices"
	"testing"
)

// TestDefaultCachePragma: the page cache a reading connection is given
// back after a read with a small cache (RowsOptions.CacheKiB) is the one
// every connection opens with.
func TestDefaultCachePragma(t *testing.T) {
	if !slices.Contains(pragmas, defaultCachePragma) {
		t.Fatalf("%q is not among the connection pragmas %q", defaultCachePragma, pragmas)
	}
}
