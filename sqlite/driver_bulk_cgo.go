//go:build cgo

package sqlite

/*
#include <stdint.h>
#include <stdlib.h>

// The SQLite C API, as compiled into the binary by mattn/go-sqlite3 (its
// amalgamation exports these symbols); declared here rather than taken
// from a header so that no sqlite3.h need be installed.
typedef struct sqlite3 sqlite3;
typedef struct sqlite3_stmt sqlite3_stmt;
extern int sqlite3_prepare_v2(sqlite3*, const char*, int, sqlite3_stmt**, const char**);
extern int sqlite3_bind_int64(sqlite3_stmt*, int, long long);
extern int sqlite3_bind_text(sqlite3_stmt*, int, const char*, int, void(*)(void*));
extern int sqlite3_bind_null(sqlite3_stmt*, int);
extern int sqlite3_step(sqlite3_stmt*);
extern int sqlite3_reset(sqlite3_stmt*);
extern int sqlite3_clear_bindings(sqlite3_stmt*);
extern int sqlite3_finalize(sqlite3_stmt*);
extern const char* sqlite3_errmsg(sqlite3*);
extern int sqlite3_changes(sqlite3*);
extern long long sqlite3_last_insert_rowid(sqlite3*);
typedef struct sqlite3_mutex sqlite3_mutex;
extern sqlite3_mutex* sqlite3_db_mutex(sqlite3*);
extern void sqlite3_mutex_enter(sqlite3_mutex*);
extern void sqlite3_mutex_leave(sqlite3_mutex*);

// vigil_bulk_exec binds n values and runs st once. vals holds two int64
// per value: a tag (-1 integer, -2 NULL, else the text's length in
// bytes) and the integer, or the text's offset in text. Texts are bound
// SQLITE_STATIC (no copy): they live in the caller's memory for the
// length of this call only, so the bindings are cleared before it
// returns (by vigil_bulk_reset after an error). changes and last receive sqlite3_changes and
// sqlite3_last_insert_rowid of the statement.
static int vigil_bulk_exec(sqlite3* db, sqlite3_stmt* st, const int64_t* vals, int n, const char* text,
		int* changes, long long* last) {
	// Every bind takes and releases the connection's mutex (mattn opens
	// connections serialized); held here once for the whole batch, the
	// calls below only re-enter it (sqlite3_db_mutex is SQLite's API for
	// exactly this; NULL, a no-op, for a connection without a mutex).
	sqlite3_mutex* mu = sqlite3_db_mutex(db);
	sqlite3_mutex_enter(mu);
	int rc = 0;
	for (int i = 0; i < n && rc == 0; i++) {
		int64_t tag = vals[2*i], v = vals[2*i+1];
		if (tag == -1) {
			rc = sqlite3_bind_int64(st, i+1, v);
		} else if (tag == -2) {
			rc = sqlite3_bind_null(st, i+1);
		} else {
			rc = sqlite3_bind_text(st, i+1, text + v, (int)tag, (void(*)(void*))0);
		}
	}
	if (rc == 0) {
		rc = sqlite3_step(st);
		if (rc == 101) { // SQLITE_DONE
			rc = 0;
			*changes = sqlite3_changes(db);
			*last = sqlite3_last_insert_rowid(db);
		}
	}
	if (rc == 0) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
	}
	sqlite3_mutex_leave(mu);
	return rc; // on an error the caller reads the message, then calls vigil_bulk_reset
}

static void vigil_bulk_reset(sqlite3_stmt* st) {
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

static int vigil_prepare(sqlite3* db, const char* sql, int n, sqlite3_stmt** st) {
	return sqlite3_prepare_v2(db, sql, n, st, 0);
}
*/
import "C"

import (
	"fmt"
	"reflect"
	"unsafe"

	sqlite3 "github.com/mattn/go-sqlite3"
)

// cStmt is a statement prepared on a mattn connection through the C API
// directly, for the bulk INSERT of a load (see Load.execBulk): binding a
// batch's 4,000 values through database/sql/driver costs the writing
// goroutine, per value, a conversion to the driver's argument records
// and the cgo pointer check of those records (a Go slice holding a
// pointer each) — together about as much as SQLite's own insert. Here
// the values are already packed by the encoding goroutine (Row) into
// pointer-free slices, bound in one C call.
type cStmt struct {
	db *C.sqlite3
	st *C.sqlite3_stmt
}

// mattnHandle returns the sqlite3 handle of a mattn connection, or nil
// when it cannot be found (a mattn version whose connection keeps it
// under another name): the caller then uses the driver's own bind.
// mattn exports no accessor, so the field is read by reflection; the
// test TestBulkPathTaken fails if this stops finding it.
func mattnHandle(dc any) unsafe.Pointer {
	c, ok := dc.(*sqlite3.SQLiteConn)
	if !ok || c == nil {
		return nil
	}
	f := reflect.ValueOf(c).Elem().FieldByName("db")
	if !f.IsValid() || f.Kind() != reflect.Pointer {
		return nil
	}
	return f.UnsafePointer()
}

// prepareC prepares query on the connection dc (inside database/sql's
// Conn.Raw). It returns nil, nil when dc is not a mattn connection whose
// handle is known.
func prepareC(dc any, query string) (*cStmt, error) {
	h := mattnHandle(dc)
	if h == nil {
		return nil, nil
	}
	db := (*C.sqlite3)(h)
	q := C.CString(query)
	defer C.free(unsafe.Pointer(q))
	var st *C.sqlite3_stmt
	if rc := C.vigil_prepare(db, q, C.int(len(query)), &st); rc != 0 {
		return nil, fmt.Errorf("prepare bulk insert: %s (%d)", C.GoString(C.sqlite3_errmsg(db)), int(rc))
	}
	return &cStmt{db: db, st: st}, nil
}

// exec binds the n values packed in vals and text (see packedRow) and
// runs the statement once; it returns the rows it changed and the last
// rowid inserted.
func (s *cStmt) exec(vals []int64, text []byte, n int) (changes, last int64, err error) {
	if len(vals) != 2*n {
		return 0, 0, fmt.Errorf("bulk insert: %d packed values for %d parameters", len(vals)/2, n)
	}
	if len(text) == 0 {
		text = append(text, 0) // a valid pointer for empty texts
	}
	var ch C.int
	var li C.longlong
	rc := C.vigil_bulk_exec(s.db, s.st, (*C.int64_t)(unsafe.Pointer(&vals[0])), C.int(n),
		(*C.char)(unsafe.Pointer(&text[0])), &ch, &li)
	if rc != 0 {
		err = fmt.Errorf("%s", C.GoString(C.sqlite3_errmsg(s.db)))
		C.vigil_bulk_reset(s.st)
		return 0, 0, err
	}
	return int64(ch), int64(li), nil
}

func (s *cStmt) close() {
	if s != nil && s.st != nil {
		C.sqlite3_finalize(s.st)
		s.st = nil
	}
}
