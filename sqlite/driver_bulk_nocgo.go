//go:build !cgo

package sqlite

// cStmt exists only with cgo (driver_bulk_cgo.go); without it every load
// binds through the driver.
type cStmt struct{}

func prepareC(any, string) (*cStmt, error) { return nil, nil }

func (s *cStmt) exec([]int64, []byte, int) (changes, last int64, err error) { return 0, 0, nil }

func (s *cStmt) close() {}
