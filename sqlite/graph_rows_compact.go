package sqlite

import (
	"encoding/binary"
	"math/bits"
	"slices"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/graph"
)

// The kept graph rows (graph_rows, migration 0003) in a compact form.
// A prepared row (graph.AppendPrepared) is PreparedRowSize fixed bytes,
// most of them zero or the same as the row before it: the rows come in
// input order, so consecutive rows have close timestamps, and the high
// bytes of indexes, the offset, currency, flags, identifier keys and
// birth are mostly the previous row's. A block keeps each row as a mask
// of the bytes that differ from the previous row's (the first row's from
// zeros) and those bytes; and each transfer id as the length of the
// prefix it shares with the previous id, the length of the rest and the
// rest. On the 5M-transfer world the rows take about half their fixed
// size and the ids a third: the keep, which the first trace on a plain
// store waits for before it exits, writes ~400 MB → ~250 MB.
//
// The coding knows nothing of the row's fields, only its size: what a
// row holds stays graph's (AppendPrepared, DecodePrepared). Migration
// 0003's comment on graph_rows describes the fixed rows and ids that
// binaries before this coding kept (their runs are marked without
// keptRowsFormat).

// keptRowsFormat names the coding of graph_rows blocks. It is part of the
// version a kept resolution is marked with (keptVersion), so that a store
// kept by a binary that wrote the fixed rows is resolved again by this
// one (and this one's store by that one), never misread.
const keptRowsFormat = "rows/compact-1"

// keptVersion is the version kept resolutions are marked with and
// checked against: the graph's (graph.KeptVersion: resolver and row
// preparation) and the rows' coding.
func keptVersion() string { return graph.KeptVersion() + " " + keptRowsFormat }

// rowMaskBytes is the size of a row's mask: a bit per byte of the row.
const rowMaskBytes = (graph.PreparedRowSize + 7) / 8

// rowCoder codes the rows of one block in order; its zero value starts a
// block. The rows are held padded with zeros to whole 8-byte words, so
// that they are compared a word at a time.
type rowCoder struct {
	prev, cur [8 * rowMaskBytes]byte
	id        []byte // the previous transfer id
}

// appendRow appends the row (sender, ben, p) to b in the compact coding.
func (c *rowCoder) appendRow(b []byte, sender, ben int32, p *graph.Payment) []byte {
	graph.AppendPrepared(c.cur[:0], sender, ben, p)
	n := len(b)
	b = slices.Grow(b, rowMaskBytes+graph.PreparedRowSize)[:n+rowMaskBytes+graph.PreparedRowSize]
	out := n + rowMaskBytes
	for w := range rowMaskBytes {
		x := binary.LittleEndian.Uint64(c.cur[8*w:]) ^ binary.LittleEndian.Uint64(c.prev[8*w:])
		if x == 0 {
			b[n+w] = 0
			continue
		}
		// A bit per byte of x that is not zero: each byte's bits folded
		// into its lowest, then the eight gathered into the top byte.
		x |= x >> 4
		x |= x >> 2
		x |= x >> 1
		m := uint8((x & 0x0101010101010101 * 0x0102040810204080) >> 56)
		b[n+w] = m
		for ; m != 0; m &= m - 1 {
			b[out] = c.cur[8*w+bits.TrailingZeros8(m)]
			out++
		}
	}
	c.prev = c.cur
	return b[:out]
}

// appendID appends a transfer id to b in the compact coding.
func (c *rowCoder) appendID(b, id []byte) []byte {
	k := 0
	for k < len(id) && k < len(c.id) && id[k] == c.id[k] {
		k++
	}
	b = binary.AppendUvarint(b, uint64(k))
	b = binary.AppendUvarint(b, uint64(len(id)-k))
	b = append(b, id[k:]...)
	c.id = append(c.id[:0], id...)
	return b
}

// errDamagedRow is what the decoders return for bytes no coder wrote.
var errDamagedRow = vigil.Errorf(vigil.EINTERNAL, "damaged kept graph row")

// nextRow decodes the next row of b into its fixed form (valid until the
// next call) and returns the rest of b.
func (c *rowCoder) nextRow(b []byte) (row, rest []byte, err error) {
	if len(b) < rowMaskBytes {
		return nil, nil, errDamagedRow
	}
	mask, b := b[:rowMaskBytes], b[rowMaskBytes:]
	if mask[rowMaskBytes-1]>>(graph.PreparedRowSize-8*(rowMaskBytes-1)) != 0 {
		return nil, nil, errDamagedRow // bits past the row
	}
	k := 0
	for w, m := range mask {
		if k+bits.OnesCount8(m) > len(b) {
			return nil, nil, errDamagedRow
		}
		for ; m != 0; m &= m - 1 {
			c.prev[8*w+bits.TrailingZeros8(m)] = b[k]
			k++
		}
	}
	return c.prev[:graph.PreparedRowSize], b[k:], nil
}

// nextID decodes the next transfer id of b (valid until the next call)
// and returns the rest of b.
func (c *rowCoder) nextID(b []byte) (id, rest []byte, err error) {
	k, w := binary.Uvarint(b)
	if w <= 0 || k > uint64(len(c.id)) {
		return nil, nil, errDamagedRow
	}
	b = b[w:]
	n, w := binary.Uvarint(b)
	if w <= 0 || uint64(len(b)-w) < n {
		return nil, nil, errDamagedRow
	}
	c.id = append(c.id[:k], b[w:w+int(n)]...)
	return c.id, b[w+int(n):], nil
}
