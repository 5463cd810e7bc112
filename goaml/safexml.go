package goaml

// Limits bound what one document may make the reader hold. The zero value of
// a field means its default.
type Limits struct {
	// MaxDepth is the deepest element nesting accepted (default 64; the
	// deepest path in the supported schemas is below 20).
	MaxDepth int
	// MaxToken is the largest number of bytes one token (a tag with its
	// attributes, a run of text, a comment) may take (default 1 MiB).
	MaxToken int64
	// MaxNodes is the largest number of elements one transaction or report
	// party may hold; it is kept whole until it ends (default 100000).
	MaxNodes int
}

func (l Limits) withDefaults() Limits {
	if l.MaxDepth <= 0 {
		l.MaxDepth = 64
	}
	if l.MaxToken <= 0 {
		l.MaxToken = 1 << 20
	}
	if l.MaxNodes <= 0 {
		l.MaxNodes = 100000
	}
	return l
}
