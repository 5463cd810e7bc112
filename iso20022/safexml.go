package iso20022

// Limits bound what one document may make the reader hold. The zero value of
// a field means its default.
type Limits struct {
	// MaxDepth is the deepest element nesting accepted (default 64; the
	// deepest path in the supported schemas is below 20).
	MaxDepth int
	// MaxToken is the largest number of bytes one token (a tag with its
	// attributes, a run of text, a comment) may take (default 1 MiB).
	MaxToken int64
	// MaxEntryTransactions is the largest number of transaction details one
	// camt entry may carry; they are held until the entry ends (default 100000).
	MaxEntryTransactions int
}

func (l Limits) withDefaults() Limits {
	if l.MaxDepth <= 0 {
		l.MaxDepth = 64
	}
	if l.MaxToken <= 0 {
		l.MaxToken = 1 << 20
	}
	if l.MaxEntryTransactions <= 0 {
		l.MaxEntryTransactions = 100000
	}
	return l
}
