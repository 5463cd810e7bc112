package csv

import "unsafe"

// block holds the masks of 64 input bytes, bit i for byte i.
type block struct {
	comma uint64 // ','
	lf    uint64 // '\n'
	quote uint64 // '"'
	cr    uint64 // '\r'
	low   uint64 // below 0x21 as a signed byte: controls, space, and every byte from 0x80
	high  uint64 // from 0x80: not ASCII
}

// maxBlocks bounds the line the fast path reads in one call (4 KiB);
// longer lines take the general parser.
const maxBlocks = 64

// classifyGo is the portable classify, also the reference the tests hold
// the assembly to. len(b) is a multiple of 64.
func classifyGo(b []byte, out *block) int {
	blocks := unsafe.Slice(out, len(b)/64)
	for k := range blocks {
		var bl block
		for i, c := range b[64*k : 64*k+64] {
			bit := uint64(1) << i
			switch c {
			case ',':
				bl.comma |= bit
			case '\n':
				bl.lf |= bit
			case '"':
				bl.quote |= bit
			case '\r':
				bl.cr |= bit
			}
			if int8(c) < 0x21 {
				bl.low |= bit
			}
			if c >= 0x80 {
				bl.high |= bit
			}
		}
		blocks[k] = bl
		if bl.lf != 0 {
			return k + 1
		}
	}
	return len(blocks)
}
