package resolve

// RefResolver is the session-3-start resolver (beneficiary_ref_test.go),
// exported to the world tests of package resolve_test.
type RefResolver = refResolver

// NewRefResolver returns an empty reference resolver.
func NewRefResolver() *RefResolver { return newRefResolver() }
