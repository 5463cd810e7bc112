package iso20022

import (
	"bufio"
	"errors"
	"io"
)

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

var errTokenTooLarge = errors.New("token too large")

// tokenLimiter is the byte source of the XML decoder. Because it is an
// io.ByteReader the decoder reads through it byte by byte without a buffer of
// its own, so counting bytes since the last reset bounds the size of the token
// being decoded before encoding/xml has buffered it whole. It also drops a
// leading UTF-8 byte order mark, which encoding/xml does not accept.
//
// encoding/xml counts lines by '\n' only; the limiter also counts lines
// ended by a lone '\r' (old Mac files, which XML allows), so that errors
// and provenance name the right line in such files.
type tokenLimiter struct {
	br    *bufio.Reader
	n     int64
	max   int64
	first bool

	line, col int  // position after the last byte read, counting '\r' line ends
	prevCR    bool // the last byte was '\r'
	loneCR    bool // a '\r' not followed by '\n' was seen
}

func newTokenLimiter(r io.Reader, max int64) *tokenLimiter {
	return &tokenLimiter{br: bufio.NewReaderSize(r, 64<<10), max: max, first: true, line: 1}
}

func (t *tokenLimiter) ReadByte() (byte, error) {
	if t.first {
		t.first = false
		if b, err := t.br.Peek(3); err == nil && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
			t.br.Discard(3)
		}
	}
	t.n++
	if t.n > t.max {
		return 0, errTokenTooLarge
	}
	b, err := t.br.ReadByte()
	if err != nil {
		return b, err
	}
	switch {
	case b == '\n' && t.prevCR:
		// the line was counted at the '\r'
	case b == '\n', b == '\r':
		t.line++
		t.col = 0
	default:
		if t.prevCR {
			t.loneCR = true
		}
		t.col++
	}
	t.prevCR = b == '\r'
	return b, nil
}

// pos returns the decoder's position, or the limiter's own when the file
// ends lines with a lone '\r', which the decoder does not count.
func (t *tokenLimiter) pos(dec interface{ InputPos() (int, int) }) (int, int) {
	if t.loneCR {
		return t.line, t.col + 1
	}
	return dec.InputPos()
}

func (t *tokenLimiter) Read(p []byte) (int, error) {
	// encoding/xml only calls ReadByte on an io.ByteReader; Read exists to
	// satisfy io.Reader and keeps the same accounting.
	for i := range p {
		b, err := t.ReadByte()
		if err != nil {
			return i, err
		}
		p[i] = b
	}
	return len(p), nil
}

func (t *tokenLimiter) reset() { t.n = 0 }
