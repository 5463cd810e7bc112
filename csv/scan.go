package csv

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"unicode/utf8"
	"unsafe"

	"github.com/vigilfiu/vigil"
)

const (
	// bufSize is the initial size of the buffer: large enough for reads
	// to cost little per row, small enough for many small files. It
	// doubles when a record does not fit.
	bufSize = 256 << 10
	// maxRecord bounds one record (a row with all its fields). A longer
	// record is almost always a quote that is never closed and swallows
	// the rest of the file; the reader stops rather than hold it all.
	maxRecord = 8 << 20
)

// field is one cell of the current record: its bytes are rec[start:end]
// (quotes removed, doubled quotes undone) and it starts on line. While a
// record is parsed, start and end are offsets into the raw record, and stay
// so unless the record has doubled quotes to undo.
type field struct {
	start, end int32
	line       int32
	escaped    bool // a quoted cell with doubled quotes still to undo
}

// scanner splits RFC 4180 CSV into records. Field bytes are valid until the
// next call to next.
type scanner struct {
	r    io.Reader
	file string

	buf      []byte // buf[pos:end] is unread input
	pos, end int
	base     int64 // file offset of buf[0]
	eof      bool
	line     int  // line of buf[pos]
	skip     bool // the rest of the line belongs to a malformed record

	// rec holds the current record's cells: the raw record in buf, or
	// row when doubled quotes had to be undone.
	rec    []byte
	row    []byte
	fields []field // cells of the current record
	// blocks holds the masks of the line being split (splitBlocks).
	blocks [maxBlocks]block
	// recLine is the first line of the current record; lastLine is true
	// when the record ended at the end of the file without a newline.
	recLine  int
	lastLine bool
}

// scanState is the outcome of one attempt to parse a record from buffered
// input.
type scanState int

const (
	scanDone scanState = iota
	scanMore           // the record continues past the buffered input
	scanEOF
)

func newScanner(r io.Reader, file string) *scanner {
	size := bufSize
	if br, ok := r.(*bufio.Reader); ok && br.Size() >= bufSize/2 {
		// A bufio.Reader copies every byte through its own buffer unless
		// a read asks for at least its size (then, once its buffer is
		// empty, it reads straight into the caller's): with room for that
		// and a record more, each byte is copied once, not twice
		// (vigil trace reads transfers.csv through 1 MiB).
		size = br.Size() + bufSize
	}
	return &scanner{r: r, file: file, buf: make([]byte, size), line: 1}
}

// fill makes room and reads more input. It returns a fatal error for a read
// failure or an over-long record.
func (s *scanner) fill() error {
	if s.eof {
		return nil
	}
	if s.pos > 0 {
		n := copy(s.buf, s.buf[s.pos:s.end])
		s.base += int64(s.pos)
		s.pos, s.end = 0, n
	}
	if len(s.buf)-s.end < len(s.buf)/4 {
		if s.end >= maxRecord {
			return vigil.Errorf(vigil.EINVALID, "%s:%d: the record starting on this line is longer than %d MiB; a closing quote (\") is probably missing",
				s.file, s.line, maxRecord>>20)
		}
		nb := make([]byte, 2*len(s.buf))
		copy(nb, s.buf[:s.end])
		s.buf = nb
	}
	for tries := 0; ; tries++ {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err == io.EOF {
			s.eof = true
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", s.file, err)
		}
		if n > 0 {
			return nil
		}
		if tries > 100 {
			return fmt.Errorf("%s: %w", s.file, io.ErrNoProgress)
		}
	}
}

// next parses the next record into rec and fields. It returns io.EOF at
// the end of input, a *RowError for a malformed record (the scanner has
// moved past it and can go on), and other errors when reading must stop.
func (s *scanner) next() error {
	for {
		if s.skip {
			i := bytes.IndexByte(s.buf[s.pos:s.end], '\n')
			if i >= 0 {
				s.pos += i + 1
				s.line++
				s.skip = false
			} else if s.eof {
				s.pos = s.end
				s.skip = false
			} else {
				s.pos = s.end
				if err := s.fill(); err != nil {
					return err
				}
				continue
			}
		}
		st, rerr := s.parse()
		switch st {
		case scanDone:
			if rerr != nil {
				return rerr
			}
			return nil
		case scanEOF:
			return io.EOF
		}
		if s.eof {
			// parse asks for more only when more may come.
			return errors.New("csv: internal error: scanner wants input after end of file")
		}
		if err := s.fill(); err != nil {
			return err
		}
	}
}

// rowErr makes a *RowError at the given line and 1-based column.
func (s *scanner) rowErr(line, col int, reason string) *RowError {
	return &RowError{File: s.file, Line: line, Column: col, Reason: reason}
}

// parse tries to parse one record from buffered input. It commits the new
// position only when it returns scanDone or scanEOF.
func (s *scanner) parse() (scanState, *RowError) {
	b := s.buf[:s.end]
	i, line := s.pos, s.line
	// Blank lines are no records.
	for {
		if i >= len(b) {
			if s.eof {
				s.pos, s.line = i, line
				return scanEOF, nil
			}
			return scanMore, nil
		}
		if b[i] == '\n' {
			i++
			line++
			continue
		}
		if b[i] == '\r' {
			if i+1 >= len(b) && !s.eof {
				return scanMore, nil
			}
			if i+1 < len(b) && b[i+1] == '\n' {
				i += 2
				line++
				continue
			}
		}
		break
	}
	// The blank lines are consumed whatever happens to the record.
	s.pos, s.line = i, line
	recStart := i
	s.recLine, s.lastLine = line, false
	fields := s.fields[:0]
	escaped := false

	// fail reports a malformed record at column col and skips the rest of
	// the physical line at position at.
	fail := func(at, ln, col int, reason string) (scanState, *RowError) {
		s.pos, s.line, s.skip = at, ln, true
		s.fields = fields
		return scanDone, s.rowErr(ln, col, reason)
	}

	var end int // position just past the record
	// trim: some cell may start or end with a space or tab.
	trim := true
	// checkFrom: the record's bytes before it are known to be ASCII.
	checkFrom := recStart
	// Fastest path: the line's bytes classified sixteen at a time; a line
	// without quotes or stray carriage returns is split on its commas.
	// Bytes past the buffered input are read but never used.
	if nb := min((len(s.buf)-i)/64, maxBlocks); nb > 0 {
		k := classify(&s.buf[i], nb, &s.blocks[0])
		if lf := s.blocks[k-1].lf; lf != 0 {
			nl := 64*(k-1) + bits.TrailingZeros64(lf)
			if i+nl < len(b) {
				if ok, firstHigh, tr := s.splitBlocks(b[i:i+nl], int32(line)); ok {
					fields, end, trim = s.fields, i+nl+1, tr
					if firstHigh < 0 {
						goto valid
					}
					checkFrom = i + firstHigh
					goto done
				}
			}
		}
	}
	// Fast path: a line without quotes is a record; split it on commas.
	if nlAt := bytes.IndexByte(b[i:], '\n'); nlAt >= 0 && bytes.IndexByte(b[i:i+nlAt], '"') < 0 {
		lineEnd := i + nlAt
		end = lineEnd + 1
		if lineEnd > i && b[lineEnd-1] == '\r' {
			lineEnd--
		}
		if bytes.IndexByte(b[i:lineEnd], '\r') >= 0 {
			goto general
		}
		var ascii bool
		fields, ascii = splitCommas(fields, b[recStart:lineEnd], 0, int32(line))
		if ascii {
			s.fields = fields
			goto valid
		}
		goto done
	}
general:
	for {
		f := field{line: int32(line)}
		if i < len(b) && b[i] == '"' {
			i++
			f.start = int32(i - recStart)
			for {
				j := bytes.IndexByte(b[i:], '"')
				if j < 0 {
					if !s.eof {
						return scanMore, nil
					}
					rest := bytes.Count(b[i:], nl)
					s.pos, s.line = len(b), line+rest
					s.fields = fields
					reason := "a quoted cell is never closed: the closing quote (\") is missing, perhaps because the file is cut off"
					last := line + rest
					if b[len(b)-1] == '\n' {
						last-- // the file's final line ending starts no line
					}
					if last > int(f.line) {
						reason = fmt.Sprintf("a quoted cell that starts here is never closed, so lines %d to %d were read as part of it: the closing quote (\") is missing", f.line, last)
					}
					return scanDone, s.rowErr(int(f.line), len(fields)+1, reason)
				}
				if bytes.IndexByte(b[i:i+j], '\n') >= 0 {
					line += bytes.Count(b[i:i+j], nl)
				}
				i += j + 1
				if i >= len(b) && !s.eof {
					return scanMore, nil
				}
				if i < len(b) && b[i] == '"' {
					f.escaped, escaped = true, true
					i++
					continue
				}
				break
			}
			f.end = int32(i - 1 - recStart)
			for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
				i++
			}
			if i >= len(b) {
				if !s.eof {
					return scanMore, nil
				}
				fields = append(fields, f)
				end = i
				s.lastLine = true
				break
			}
			c := b[i]
			if c == ',' {
				fields = append(fields, f)
				i++
				continue
			}
			if c == '\n' {
				fields = append(fields, f)
				end = i + 1
				break
			}
			if c == '\r' {
				if i+1 >= len(b) && !s.eof {
					return scanMore, nil
				}
				if i+1 < len(b) && b[i+1] == '\n' {
					fields = append(fields, f)
					end = i + 2
					break
				}
				return fail(i, line, len(fields)+1, "a carriage return without a line feed after a closing quote; save the file with Windows (CRLF) or Unix (LF) line endings")
			}
			return fail(i, line, len(fields)+1, "text after the closing quote of a quoted cell; a quote inside a quoted cell must be doubled (\"\")")
		}
		// Unquoted cells: the stretch up to the next quote or the end of
		// the line is split like a quote-free line.
		lf := bytes.IndexByte(b[i:], '\n')
		if lf < 0 {
			if !s.eof {
				return scanMore, nil
			}
			lf = len(b)
		} else {
			lf += i
		}
		stop := lf
		if stop < len(b) && stop > i && b[stop-1] == '\r' {
			stop--
		}
		segEnd := stop
		q := bytes.IndexByte(b[i:stop], '"')
		if q >= 0 {
			segEnd = i + q
		}
		if cr := bytes.IndexByte(b[i:segEnd], '\r'); cr >= 0 {
			col := len(fields) + 1 + bytes.Count(b[i:i+cr], comma)
			return fail(i+cr, line, col, "a carriage return without a line feed; save the file with Windows (CRLF) or Unix (LF) line endings")
		}
		if q < 0 {
			fields, _ = splitCommas(fields, b[recStart:stop], i-recStart, int32(line))
			if lf == len(b) {
				end = lf
				s.lastLine = true
			} else {
				end = lf + 1
			}
			break
		}
		// A quote may only open a cell.
		if b[segEnd-1] != ',' {
			col := len(fields) + 1 + bytes.Count(b[i:segEnd], comma)
			return fail(segEnd, line, col, "a quote (\") inside a cell that does not start with a quote; enclose the cell in quotes and double the quote (\"\")")
		}
		fields, _ = splitCommas(fields, b[recStart:segEnd-1], i-recStart, int32(line))
		i = segEnd
	}
	// The record ends here.
done:
	s.fields = fields
	if !utf8.Valid(b[checkFrom:end]) {
		bad := recStart
		for bad < end {
			r, n := utf8.DecodeRune(b[bad:end])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			bad += n
		}
		col := 1
		for k := range fields {
			// Offsets are still those of the raw record here, and the
			// bad byte cannot be a quote, so the cell that holds it is the
			// last one starting at or before it.
			if int(fields[k].start) <= bad-recStart {
				col = k + 1
			}
		}
		ln := s.recLine + bytes.Count(b[recStart:bad], nl)
		s.pos, s.line = end, line+1
		if s.lastLine {
			s.line = line
		}
		return scanDone, s.rowErr(ln, col, fmt.Sprintf("wrong encoding: invalid UTF-8 at byte %d of the file (0x%02X); save the file as UTF-8", s.base+int64(bad)+1, b[bad]))
	}
valid:
	// Cells are read from the buffered input; only a record with doubled
	// quotes is copied, to undo them.
	s.rec = b[recStart:end]
	if escaped {
		s.row = append(s.row[:0], s.rec...)
		for k := range fields {
			if f := &fields[k]; f.escaped {
				// Undo doubled quotes into the end of row.
				start := len(s.row)
				c := s.row[f.start:f.end]
				for len(c) > 0 {
					q := bytes.IndexByte(c, '"')
					if q < 0 {
						s.row = append(s.row, c...)
						break
					}
					s.row = append(s.row, c[:q+1]...)
					c = c[q+2:]
				}
				f.start, f.end, f.escaped = int32(start), int32(len(s.row)), false
			}
		}
		s.rec = s.row
	}
	// Cells lose surrounding spaces and tabs.
	row := s.rec
	for k := range fields {
		if !trim {
			break
		}
		f := &fields[k]
		st, en := int(f.start), int(f.end)
		if st < en && en <= len(row) && (row[st] <= ' ' || row[en-1] <= ' ') {
			for st < en && (row[st] == ' ' || row[st] == '\t') {
				st++
			}
			for en > st && (row[en-1] == ' ' || row[en-1] == '\t') {
				en--
			}
			f.start, f.end = int32(st), int32(en)
		}
	}
	s.pos = end
	if s.lastLine {
		s.line = line
	} else {
		s.line = line + 1
	}
	return scanDone, nil
}

var (
	nl    = []byte{'\n'}
	comma = []byte{','}
)

// cell returns the bytes of field k, without surrounding spaces and tabs.
func (s *scanner) cell(k int) []byte {
	f := &s.fields[k]
	return s.rec[f.start:f.end:f.end]
}

const (
	low7   = 0x7F7F7F7F7F7F7F7F
	commas = 0x2C2C2C2C2C2C2C2C
)

// splitCommas appends the cells of line[from:], which has no quotes; cell
// offsets are relative to line. It works eight bytes at a
// time: a word's commas are found with the exact zero-byte test on the word
// XOR ",,,,,,,,", so a line costs a few operations per eight bytes and one
// per cell. ascii reports that the line is plain ASCII, which needs no
// UTF-8 check.
func splitCommas(fields []field, line []byte, from int, ln int32) (_ []field, ascii bool) {
	start, p := from, from
	var hi uint64
	for ; p+8 <= len(line); p += 8 {
		x := binary.LittleEndian.Uint64(line[p:])
		hi |= x
		y := x ^ commas
		m := ^(((y & low7) + low7) | y | low7)
		for m != 0 {
			k := p + bits.TrailingZeros64(m)>>3
			fields = append(fields, field{start: int32(start), end: int32(k), line: ln})
			start = k + 1
			m &= m - 1
		}
	}
	for ; p < len(line); p++ {
		hi |= uint64(line[p])
		if line[p] == ',' {
			fields = append(fields, field{start: int32(start), end: int32(p), line: ln})
			start = p + 1
		}
	}
	fields = append(fields, field{start: int32(start), end: int32(len(line)), line: ln})
	return fields, hi&0x8080808080808080 == 0
}

// splitBlocks splits line, whose masks are in s.blocks, into s.fields, each
// cell on line ln, when the line has no quote and no carriage return but
// one just before its end (ok). firstHigh is the offset of the first byte
// from 0x80 when the line is not valid UTF-8, for the caller's check to
// find and report the bad byte, and -1 when it is (validRuns);
// trim that a byte below 0x21 touches a
// comma or an end of the line, so that some cell may have spaces or tabs
// to remove.
func (s *scanner) splitBlocks(line []byte, ln int32) (ok bool, firstHigh int, trim bool) {
	n := len(line)
	if n > 0 && line[n-1] == '\r' {
		n--
	}
	if n == 0 {
		return false, -1, false
	}
	nb := (n + 63) / 64
	blocks := s.blocks[:nb]
	// The last block loses the bits past the line, so that every block
	// is read whole below.
	last := &blocks[nb-1]
	valid := ^uint64(0) >> (63 - (n-1)%64)
	last.comma &= valid
	last.quote &= valid
	last.cr &= valid
	last.low &= valid
	last.high &= valid
	var special, high uint64
	for j := range blocks {
		special |= blocks[j].cr | blocks[j].quote
		high |= blocks[j].high
	}
	if special != 0 {
		for j := range blocks {
			if blocks[j].cr != 0 {
				return false, -1, false
			}
		}
		if !s.unquote(line[:n], nb) {
			return false, -1, false
		}
	}
	// At most one cell per byte, and one more.
	if cap(s.fields) < n+1 {
		s.fields = make([]field, 0, n+17)
	}
	fields := commaFields(s.fields[:n+1], blocks, n, ln)
	var tr, prevComma, prevLow uint64
	for j := range blocks {
		bl := &blocks[j]
		c, low := bl.comma, bl.low&^bl.high
		// A byte below 0x21 just after or before a comma.
		tr |= low&(c<<1|c>>1|prevComma>>63) | prevLow>>63&c
		prevComma, prevLow = c, low
	}
	// ... or at an end of the line.
	if line[0] <= ' ' || line[n-1] <= ' ' {
		tr = 1
	}
	if special != 0 {
		// A quoted cell loses its quotes; its content may start or end
		// with spaces or tabs the trimming pass removes, as the general
		// parser's quoted cells are trimmed.
		for k := range fields {
			if f := &fields[k]; f.end > f.start && line[f.start] == '"' {
				f.start++
				f.end--
			}
		}
		tr = 1
	}
	firstHigh = -1
	if high != 0 && !validRuns(line[:n], blocks) {
		for j := range blocks {
			if h := blocks[j].high; h != 0 {
				firstHigh = 64*j + bits.TrailingZeros64(h)
				break
			}
		}
	}
	s.fields = fields
	return true, firstHigh, tr != 0
}

// validRuns reports whether line, whose masks are in blocks (no bits past
// the line), is valid UTF-8. Every byte of a multi-byte sequence is from
// 0x80 and every ASCII byte ends one, so the line is valid when each run
// of bytes from 0x80 is: only those runs, found by the masks, are checked.
func validRuns(line []byte, blocks []block) bool {
	q := 0 // the bytes before q are checked
	for {
		// The next byte from 0x80 at or after q.
		j := q >> 6
		if j >= len(blocks) {
			return true
		}
		h := blocks[j].high &^ (1<<(q&63) - 1)
		for h == 0 {
			if j++; j == len(blocks) {
				return true
			}
			h = blocks[j].high
		}
		p := 64*j + bits.TrailingZeros64(h)
		q = p + 1
		for q < len(line) && line[q] >= 0x80 {
			q++
		}
		if !utf8.Valid(line[p:q]) {
			return false
		}
	}
}

// commaFields fills fields with the cells of a line of n bytes whose
// commas are the comma bits of blocks, and returns them; fields has room
// for n+1. A function of its own so that its loop keeps its variables in
// registers.
func commaFields(fields []field, blocks []block, n int, ln int32) []field {
	// The line has at most n commas, so the cells fit: no bounds checks.
	first := unsafe.Pointer(unsafe.SliceData(fields))
	at := first
	start := int32(0)
	for j := range blocks {
		c := blocks[j].comma
		base := int32(64 * j)
		for c != 0 {
			p := base + int32(bits.TrailingZeros64(c))
			c &= c - 1
			*(*field)(at) = field{start: start, end: p, line: ln}
			at = unsafe.Add(at, unsafe.Sizeof(field{}))
			start = p + 1
		}
	}
	k := int((uintptr(at) - uintptr(first)) / unsafe.Sizeof(field{}))
	fields[k] = field{start: start, end: int32(n), line: ln}
	return fields[:k+1]
}

// unquote takes the quotes of line, whose masks are in s.blocks[:nb] (no
// bits past the line), in pairs: each pair must enclose a whole cell (it
// opens the line or follows a comma, and it ends the line or is followed
// by one), with no quote inside (no doubled quotes). It clears the comma
// bits inside each pair. ok is false for any other use of quotes, which
// the general parser reads (or rejects).
func (s *scanner) unquote(line []byte, nb int) (ok bool) {
	open := -1
	for j := range nb {
		q := s.blocks[j].quote
		for q != 0 {
			p := 64*j + bits.TrailingZeros64(q)
			q &= q - 1
			if open < 0 {
				if p > 0 && line[p-1] != ',' {
					return false
				}
				open = p
				continue
			}
			if p+1 < len(line) && line[p+1] != ',' {
				return false
			}
			// Clear the commas from open to p, block by block.
			for a := open; a <= p; a = a&^63 + 64 {
				lo, hi := a&63, min(p, a|63)&63
				s.blocks[a>>6].comma &^= ^uint64(0) >> (63 - hi) &^ (1<<lo - 1)
			}
			open = -1
		}
	}
	return open < 0
}
