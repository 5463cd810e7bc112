package ingest

// SetBulkLoadBytes lowers the input size from which a load is a bulk load,
// so that tests can run one on small files; the returned func restores it.
func SetBulkLoadBytes(n int64) (restore func()) {
	old := bulkLoadBytes
	bulkLoadBytes = n
	return func() { bulkLoadBytes = old }
}
