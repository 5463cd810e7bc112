// Package xmlsafe holds the byte source that bounds what vigil's streaming
// XML readers (iso20022, goaml) may make encoding/xml buffer.
package xmlsafe

import (
	"bufio"
	"errors"
	"io"
)

// ErrTokenTooLarge is returned when one token exceeds the limiter's bound.
var ErrTokenTooLarge = errors.New("token too large")

// Limiter is the byte source of the XML decoder. Because it is an
// io.ByteReader the decoder reads through it byte by byte without a buffer of
// its own, so counting bytes since the last reset bounds the size of the token
// being decoded before encoding/xml has buffered it whole. It also drops a
// leading UTF-8 byte order mark, which encoding/xml does not accept.
//
// encoding/xml counts lines by '\n' only; the limiter also counts lines
// ended by a lone '\r' (old Mac files, which XML allows), so that errors
// and provenance name the right line in such files.
type Limiter struct {
	br    *bufio.Reader
	n     int64
	max   int64
	first bool

	line, col int  // position after the last byte read, counting '\r' line ends
	prevCR    bool // the last byte was '\r'
	loneCR    bool // a '\r' not followed by '\n' was seen
}

// NewLimiter bounds each token read from r to max bytes.
func NewLimiter(r io.Reader, max int64) *Limiter {
	return &Limiter{br: bufio.NewReaderSize(r, 64<<10), max: max, first: true, line: 1}
}

func (t *Limiter) ReadByte() (byte, error) {
	if t.first {
		t.first = false
		if b, err := t.br.Peek(3); err == nil && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
			t.br.Discard(3)
		}
	}
	t.n++
	if t.n > t.max {
		return 0, ErrTokenTooLarge
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

// Pos returns the decoder's position, or the limiter's own when the file
// ends lines with a lone '\r', which the decoder does not count.
func (t *Limiter) Pos(dec interface{ InputPos() (int, int) }) (int, int) {
	if t.loneCR {
		return t.line, t.col + 1
	}
	return dec.InputPos()
}

func (t *Limiter) Read(p []byte) (int, error) {
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

// Reset starts the count of the next token.
// Reset starts the count of the next token.
func (t *Limiter) Reset() { t.n = 0 }
