package sqlite

// contentHash is FNV-1a 64 over a record's fields, each followed by a 0xff
// separator (a byte that never occurs in UTF-8) so that ("ab","c") and
// ("a","bc") differ. It allocates nothing.
type contentHash uint64

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func newHash() contentHash { return fnvOffset }

func (h contentHash) str(s string) contentHash {
	for i := 0; i < len(s); i++ {
		h ^= contentHash(s[i])
		h *= fnvPrime
	}
	h ^= 0xff
	h *= fnvPrime
	return h
}

// bytes is str for a field held as bytes.
func (h contentHash) bytes(b []byte) contentHash {
	for _, c := range b {
		h ^= contentHash(c)
		h *= fnvPrime
	}
	h ^= 0xff
	h *= fnvPrime
	return h
}

func (h contentHash) int(v int64) contentHash {
	for i := 0; i < 8; i++ {
		h ^= contentHash(byte(v >> (8 * i)))
		h *= fnvPrime
	}
	h ^= 0xff
	h *= fnvPrime
	return h
}

// sum returns the hash as SQLite stores it (a signed 64-bit integer).
func (h contentHash) sum() int64 { return int64(h) }
