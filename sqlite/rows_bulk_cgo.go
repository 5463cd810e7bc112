//go:build cgo

package sqlite

/*
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

// The SQLite C API as compiled into the binary by mattn/go-sqlite3 (see
// driver_bulk_cgo.go; cgo merges identical declarations).
typedef struct sqlite3 sqlite3;
typedef struct sqlite3_stmt sqlite3_stmt;
typedef struct sqlite3_mutex sqlite3_mutex;
extern int sqlite3_prepare_v2(sqlite3*, const char*, int, sqlite3_stmt**, const char**);
extern int sqlite3_bind_int64(sqlite3_stmt*, int, long long);
extern int sqlite3_step(sqlite3_stmt*);
extern int sqlite3_reset(sqlite3_stmt*);
extern int sqlite3_finalize(sqlite3_stmt*);
extern const char* sqlite3_errmsg(sqlite3*);
extern sqlite3_mutex* sqlite3_db_mutex(sqlite3*);
extern void sqlite3_mutex_enter(sqlite3_mutex*);
extern void sqlite3_mutex_leave(sqlite3_mutex*);
typedef struct sqlite3_value sqlite3_value;
extern sqlite3_value* sqlite3_column_value(sqlite3_stmt*, int);
extern int sqlite3_value_type(sqlite3_value*);
extern long long sqlite3_value_int64(sqlite3_value*);
extern double sqlite3_value_double(sqlite3_value*);
extern const unsigned char* sqlite3_value_text(sqlite3_value*);
extern const void* sqlite3_value_blob(sqlite3_value*);
extern int sqlite3_value_bytes(sqlite3_value*);

#define VIGIL_ROWS_MAXCOL 32

// vigil_rows_step steps st up to max rows and copies each row's ncol
// values into vals, two int64 per value: a tag (-1 integer, -2 NULL,
// -3 float, else the length in bytes of a text or blob) and the integer,
// the float's bits, or the text's offset in text (cap bytes, the texts of
// the rows one after another). A row whose texts do not fit is left
// pending: the statement stays on it, *pending is set, and the next call
// with pending set copies it first instead of stepping. *rows and *used
// receive the rows copied and the text bytes used. It returns 101
// (SQLITE_DONE) at the end, 100 (SQLITE_ROW) when it stopped on a pending
// row, 0 when max rows were copied, else SQLite's error code.
static int vigil_rows_step(sqlite3* db, sqlite3_stmt* st, int ncol, int max, int64_t* vals,
		char* text, int cap, int* pending, int* rows, int* used) {
	const void* ptr[VIGIL_ROWS_MAXCOL];
	int len[VIGIL_ROWS_MAXCOL];
	int typ[VIGIL_ROWS_MAXCOL];
	sqlite3_value* val[VIGIL_ROWS_MAXCOL];
	// Held once for the batch; the calls below only re-enter it (as in
	// vigil_bulk_exec). Each column's value is taken once
	// (sqlite3_column_value) and read with sqlite3_value_*: the
	// sqlite3_column_* readers each look the column up and check the
	// statement again, three times for a text. The value is the
	// statement's own result cell, read before the statement steps again,
	// by the one goroutine using the connection, with its mutex held when
	// it has one (the protection the sqlite3_value_* readers ask for).
	sqlite3_mutex* mu = sqlite3_db_mutex(db);
	sqlite3_mutex_enter(mu);
	int rc = 0, r = 0, u = 0;
	while (r < max) {
		if (*pending) {
			*pending = 0;
		} else {
			rc = sqlite3_step(st);
			if (rc != 100) {
				break;
			}
			rc = 0;
		}
		int need = 0;
		for (int c = 0; c < ncol; c++) {
			sqlite3_value* x = sqlite3_column_value(st, c);
			int t = sqlite3_value_type(x);
			val[c] = x;
			typ[c] = t;
			ptr[c] = 0;
			len[c] = 0;
			if (t == 3) { // SQLITE_TEXT: the pointer first, then its length (as mattn reads it)
				ptr[c] = sqlite3_value_text(x);
				len[c] = sqlite3_value_bytes(x);
			} else if (t == 4) { // SQLITE_BLOB
				ptr[c] = sqlite3_value_blob(x);
				len[c] = sqlite3_value_bytes(x);
			}
			need += len[c];
		}
		if (need > cap - u) {
			*pending = 1;
			rc = 100;
			break;
		}
		int64_t* v = vals + 2*(int64_t)r*ncol;
		for (int c = 0; c < ncol; c++) {
			switch (typ[c]) {
			case 1: // SQLITE_INTEGER
				v[2*c] = -1;
				v[2*c+1] = sqlite3_value_int64(val[c]);
				break;
			case 2: { // SQLITE_FLOAT
				double d = sqlite3_value_double(val[c]);
				int64_t bits;
				memcpy(&bits, &d, sizeof bits);
				v[2*c] = -3;
				v[2*c+1] = bits;
				break;
			}
			case 3:
			case 4:
				if (len[c] > 0) {
					memcpy(text + u, ptr[c], len[c]);
				}
				v[2*c] = len[c];
				v[2*c+1] = u;
				u += len[c];
				break;
			default: // SQLITE_NULL
				v[2*c] = -2;
				v[2*c+1] = 0;
			}
		}
		r++;
	}
	sqlite3_mutex_leave(mu);
	*rows = r;
	*used = u;
	return rc;
}

static int vigil_rows_query(sqlite3_stmt* st, long long lo, long long hi) {
	sqlite3_reset(st);
	int rc = sqlite3_bind_int64(st, 1, lo);
	if (rc == 0) {
		rc = sqlite3_bind_int64(st, 2, hi);
	}
	return rc;
}

static int vigil_rows_prepare(sqlite3* db, const char* sql, int n, sqlite3_stmt** st) {
	return sqlite3_prepare_v2(db, sql, n, st, 0);
}
*/
import "C"

import (
	"fmt"
	"math"
	"unsafe"
)

// cRowsMax is the number of rows one cgo call copies.
const cRowsMax = 1024

// cRows is a SELECT prepared on a mattn connection through the C API,
// read cRowsMax rows per cgo call (RowReader.read): the driver's Next
// costs a cgo call per row and a driver.Value and a string per value.
// Here the values land in pointer-free buffers: integers in vals, texts
// in one byte buffer, copied by Go into one string per row.
type cRows struct {
	db      *C.sqlite3
	st      *C.sqlite3_stmt
	ncol    int
	vals    []int64 // 2 per value, as vigil_rows_step writes them
	text    []byte
	pending bool
	done    bool
}

// rowsBulk lets tests read through the driver with mattn too.
var rowsBulk = true

// prepareRows prepares query, of ncol columns and two integer
// parameters, on the connection dc (inside database/sql's Conn.Raw). It
// returns nil when dc is not a mattn connection whose handle is known, or
// when the C API does not prepare it: the caller then reads through the
// driver, which reports any error in its own words.
func prepareRows(dc any, query string, ncol int) *cRows {
	if !rowsBulk || ncol > 32 {
		return nil
	}
	h := mattnHandle(dc)
	if h == nil {
		return nil
	}
	db := (*C.sqlite3)(h)
	q := C.CString(query)
	defer C.free(unsafe.Pointer(q))
	var st *C.sqlite3_stmt
	if rc := C.vigil_rows_prepare(db, q, C.int(len(query)), &st); rc != 0 || st == nil {
		return nil
	}
	return &cRows{db: db, st: st, ncol: ncol, vals: make([]int64, 2*cRowsMax*ncol), text: make([]byte, 64<<10)}
}

// query starts the statement again with the parameters lo and hi.
func (r *cRows) query(lo, hi int64) error {
	r.pending, r.done = false, false
	if rc := C.vigil_rows_query(r.st, C.longlong(lo), C.longlong(hi)); rc != 0 {
		return fmt.Errorf("%s", C.GoString(C.sqlite3_errmsg(r.db)))
	}
	return nil
}

// next copies up to cRowsMax rows and returns how many; 0 at the end.
// The values stay in r's buffers until the next call.
func (r *cRows) next() (int, error) {
	for !r.done {
		var rows, used, pending C.int
		if r.pending {
			pending = 1
		}
		rc := C.vigil_rows_step(r.db, r.st, C.int(r.ncol), cRowsMax, (*C.int64_t)(unsafe.Pointer(&r.vals[0])),
			(*C.char)(unsafe.Pointer(&r.text[0])), C.int(len(r.text)), &pending, &rows, &used)
		r.pending = pending != 0
		switch rc {
		case 0:
		case 101:
			r.done = true
		case 100:
			if rows == 0 { // one row's texts exceed the buffer
				if len(r.text) >= math.MaxInt32/2 {
					return 0, fmt.Errorf("a stored transfer's texts exceed %d bytes", len(r.text))
				}
				r.text = make([]byte, 2*len(r.text))
				continue
			}
		default:
			err := fmt.Errorf("%s", C.GoString(C.sqlite3_errmsg(r.db)))
			C.sqlite3_reset(r.st)
			r.done = true
			return 0, err
		}
		if rows > 0 {
			return int(rows), nil
		}
	}
	return 0, nil
}

// row returns row i's values (2 per column) and the text they point into.
func (r *cRows) row(i int) []int64 { return r.vals[2*i*r.ncol : 2*(i+1)*r.ncol] }

// rowText returns row i's texts as one string (a copy) and the offset
// of the row's first text in r.text: each text of the row is then
// s[off-base : off-base+len].
func (r *cRows) rowText(v []int64) (s string, base int64) {
	base, end := textSpan(v)
	if base < 0 || end == base {
		return "", 0
	}
	return string(r.text[base:end]), base
}

// textSpan returns where a row's texts start and end in the batch's
// text (base -1: the row has none). The texts of a row lie one after
// another, so the span is from the first text's start to the last's end.
func textSpan(v []int64) (base, end int64) {
	base = -1
	for c := 0; c < len(v); c += 2 {
		if v[c] >= 0 {
			if base < 0 {
				base = v[c+1]
			}
			end = v[c+1] + v[c]
		}
	}
	return base, end
}

// rowTextInto is rowText with the texts appended to *buf instead of
// copied into a string of their own: s is a view of the appended bytes,
// valid while the caller leaves them unchanged (appending more is fine:
// a view keeps the array it points into).
func (r *cRows) rowTextInto(v []int64, buf *[]byte) (s string, base int64) {
	base, end := textSpan(v)
	if base < 0 || end == base {
		return "", 0
	}
	off := len(*buf)
	*buf = append(*buf, r.text[base:end]...)
	return unsafe.String(&(*buf)[off], int(end-base)), base
}

func (r *cRows) close() {
	if r != nil && r.st != nil {
		C.sqlite3_finalize(r.st)
		r.st = nil
	}
}

// cStr and cI64 read a value of a row as str and i64 read the driver's:
// a text or blob as a string (s holds the row's texts from base), NULL
// and numbers as ""; an integer as itself, a float truncated, else 0.
func cStr(v []int64, c int, s string, base int64) string {
	if n := v[2*c]; n > 0 {
		o := v[2*c+1] - base
		return s[o : o+n]
	}
	return ""
}

func cI64(v []int64, c int) int64 {
	switch v[2*c] {
	case -1:
		return v[2*c+1]
	case -3:
		return int64(math.Float64frombits(uint64(v[2*c+1])))
	}
	return 0
}
