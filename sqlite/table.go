package sqlite

import (
	"bytes"
	"cmp"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/vigilfiu/vigil"
)

// spec describes how the records of one kind are stored: the table, its
// columns in the order a record's args are bound, how many leading columns
// are content (compared field by field on a conflict) and how many leading
// columns are the key.
//
// Transfers are stored compactly (migration 0002): the timestamp as
// ts_ns and ts_off, the source as source_id (load_sources) and
// source_line. Their content, as hashed and compared, is still the
// fields in the order of the 0001 table, the timestamp as its RFC 3339
// text (named "timestamp" in a Conflict), so that hashes stored before
// 0002 stay valid.
type spec struct {
	kind     string
	name     string
	cols     []string
	nContent int
	nKey     int

	// compact: the transfers layout (timestamp and source columns at
	// the positions below, content texts rebuilt by contentTexts).
	compact bool
}

// Positions of the compact transfers columns in args.
const (
	tfContent    = 15 // transfer_id … purpose
	tfTSNs       = 15
	tfTSOff      = 16
	tfSourceID   = 17
	tfSourceLine = 18
	tfHash       = 19
)

var specs = []*spec{
	{kind: KindParties, name: "parties", nKey: 1, nContent: 13, cols: []string{
		"party_id", "kind", "full_name", "birth_date", "gender", "nationality", "country", "city",
		"address", "postcode", "phone", "email", "id_number", "source", "content_hash"}},
	{kind: KindTransfers, name: "transfers", nKey: 1, nContent: tfContent, compact: true, cols: []string{
		"transfer_id", "sender_id", "sender_account", "beneficiary_id", "beneficiary_name",
		"beneficiary_phone", "beneficiary_account", "beneficiary_city", "beneficiary_country",
		"beneficiary_birth_date", "amount", "currency", "channel", "provider", "purpose",
		"ts_ns", "ts_off", "source_id", "source_line", "content_hash"}},
	{kind: KindCalls, name: "call_events", nKey: 1, nContent: 8, cols: []string{
		"event_id", "ts", "account", "counterpart", "platform", "direction", "kind", "duration_s",
		"ts_unix", "ts_nano", "source", "content_hash"}},
	{kind: KindLeads, name: "leads", nKey: 2, nContent: 11, cols: []string{
		"list", "lead_id", "full_name", "birth_date", "phone", "email", "handle", "account",
		"city", "country", "note", "source", "content_hash"}},
}

// fieldNames returns the names of the content fields in hash order, as a
// Conflict names them.
func (s *spec) fieldNames() []string {
	if !s.compact {
		return s.cols[:s.nContent]
	}
	return slices.Concat(s.cols[:1], []string{"timestamp"}, s.cols[1:tfContent])
}

// fetchSQL selects the stored content of a record by key: the columns
// that contentTexts turns into the content fields.
func (s *spec) fetchSQL() string {
	cols := s.cols[:s.nContent]
	if s.compact {
		cols = slices.Concat(s.cols[:tfContent], []string{"ts_ns", "ts_off"})
	}
	return "SELECT " + strings.Join(cols, ", ") + " FROM " + s.name + s.where()
}

// storedTexts turns the values fetchSQL returned (as text) into the
// content fields' texts.
func (s *spec) storedTexts(vals []string) ([]string, error) {
	if !s.compact {
		return vals, nil
	}
	ns, err1 := strconv.ParseInt(vals[tfContent], 10, 64)
	off, err2 := strconv.Atoi(vals[tfContent+1])
	if err1 != nil || err2 != nil {
		return nil, fmt.Errorf("stored timestamp of %s %s: %q at offset %q", singular(s.kind), vals[0], vals[tfContent], vals[tfContent+1])
	}
	ts := string(appendTimestamp(nil, ns, off))
	return slices.Concat(vals[:1], []string{ts}, vals[1:tfContent]), nil
}

// argTexts returns the content fields' texts of a record's args.
func (s *spec) argTexts(args []any) []string {
	if !s.compact {
		texts := make([]string, s.nContent)
		for i := range texts {
			texts[i] = argText(args[i])
		}
		return texts
	}
	texts := make([]string, 0, tfContent+1)
	texts = append(texts, argText(args[0]), string(appendTimestamp(nil, args[tfTSNs].(int64), int(args[tfTSOff].(int64)))))
	for _, a := range args[1:tfContent] {
		texts = append(texts, argText(a))
	}
	return texts
}

// lookupSQL selects rowid, content hash and source (name and line) of a
// stored record by key.
func (s *spec) lookupSQL() string {
	if s.compact {
		return "SELECT t.rowid, t.content_hash, coalesce(ls.name, ''), t.source_line FROM " + s.name +
			" t LEFT JOIN load_sources ls ON ls.source_id = t.source_id" + s.where()
	}
	return "SELECT rowid, content_hash, source, NULL FROM " + s.name + s.where()
}

func (s *spec) insertSQL(rows int) string { return s.insertVerbSQL("INSERT", rows) }

// insertIgnoreSQL is the batched INSERT of a full batch. OR IGNORE: a
// statement that can abort half-way (on a duplicate id) inside the load's
// transaction makes SQLite keep a statement journal, a copy of every page
// the statement changes (311 MB of temporary-file writes per million
// transfers, on the writing goroutine); one that skips duplicates needs
// none. The skipped rows are then found by flush (see resolveIgnored).
func (s *spec) insertIgnoreSQL(rows int) string { return s.insertVerbSQL("INSERT OR IGNORE", rows) }

func (s *spec) insertVerbSQL(verb string, rows int) string {
	var b strings.Builder
	b.WriteString(verb)
	b.WriteString(" INTO ")
	b.WriteString(s.name)
	b.WriteString(" (")
	b.WriteString(strings.Join(s.cols, ", "))
	b.WriteString(") VALUES ")
	tuple := "(" + strings.TrimSuffix(strings.Repeat("?,", len(s.cols)), ",") + ")"
	for i := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(tuple)
	}
	return b.String()
}

func (s *spec) where() string {
	w := make([]string, s.nKey)
	for i := range w {
		w[i] = s.cols[i] + " = ?"
	}
	return " WHERE " + strings.Join(w, " AND ")
}

// row is one buffered record: its id for messages and its hash; its
// values are the table's packed batch (bvals, btext; see Row), decoded by
// args where a record is looked at one by one.
type row struct {
	id, source string
	hash       int64
}

// table buffers the records of one kind and writes them in batches.
type table struct {
	spec   *spec
	load   *Load
	rows   []row
	n      int
	flat   []any
	counts Counts

	bulk                        *rawStmt
	one, lookup, fetch, changes *sql.Stmt

	// The buffered records' values end to end (see Row: two int64 per
	// value in bvals, texts in btext); the C bulk insert
	// (driver_bulk_cgo.go) binds them as they are. cbulk once prepared;
	// noC once the C path is found unavailable.
	bvals []int64
	btext []byte
	cbulk *cStmt
	noC   bool
	cRows int // records written through cbulk (for tests)

	checkedIndexes bool         // whether deferring indexes was considered
	dropped        []string     // CREATE INDEX statements to run before commit
	deferred       []string     // their names
	live           []*liveIndex // indexes kept up to date while others are deferred
}

// deferIndexBelow is the size under which a table's secondary indexes may
// be dropped for the length of a bulk load and rebuilt before commit:
// building an index by sorting is several times faster than inserting rows
// one by one into it at random places, and rebuilding the rows already
// there costs little while the table is small compared with a large load.
// Measured in docs/performance.md.
//
// A load not marked bulk (DB.BeginLoad) may be a few hundred rows added to
// a large table, where rebuilding would cost far more than it saves: it
// defers only below deferIndexBelowSmall rows (rebuilding those takes a
// fraction of a second).
const (
	deferIndexBelow      = 1_000_000
	deferIndexBelowSmall = 50_000
)

// liveIndex is a secondary index kept up to date during a load that defers
// indexes, because the records arrive in its key order: each new entry
// goes next to the previous one, in a page already cached, which costs a
// fraction of a rebuild (the sort, and writing and reading back its runs).
// Time-ordered files are the common case: the time index and an index on
// a column that is mostly empty (beneficiary_id) stay live; the sender and
// name indexes, whose keys come in no order, are rebuilt. The order is
// watched batch by batch, and an index whose keys stop arriving in order
// is dropped then and rebuilt before commit like the others.
type liveIndex struct {
	name, create string
	cols         []int // positions in the spec's columns, in key order
	last         []any // key of the last record checked
	checked      int   // records checked
	descents     int   // records whose key is below the previous one
}

// maxDescents is how many records out of key order a live index bears:
// a few late records in a time-ordered file cost little; more than one
// in 128 means the keys come in no useful order (random keys: one in two).
func maxDescents(checked int) int { return 2 + checked/128 }

// maybeDeferIndexes decides, at the first full batch of the load into the
// table, which secondary indexes (every index that has SQL, so including
// those other packages' migrations add) to drop for the rest of the load:
// none when the table is large; else those whose keys are not in order in
// rows (see liveIndex). restoreIndexes recreates the dropped ones. Both run
// inside the load's transaction, so a rollback leaves the indexes as they
// were.
func (t *table) maybeDeferIndexes(rows []row) error {
	if t.checkedIndexes {
		return t.watchLive(rows)
	}
	t.checkedIndexes = true
	ctx, tx := t.load.ctx, t.load.tx
	below := deferIndexBelowSmall
	if t.load.bulk {
		below = deferIndexBelow
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM `+t.spec.name+` LIMIT ?)`, below).Scan(&n); err != nil {
		return err
	}
	if n >= below {
		return nil
	}
	rs, err := tx.QueryContext(ctx, `SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name`, t.spec.name)
	if err != nil {
		return err
	}
	var all []*liveIndex
	for rs.Next() {
		ix := &liveIndex{}
		if err := rs.Scan(&ix.name, &ix.create); err != nil {
			rs.Close()
			return err
		}
		all = append(all, ix)
	}
	if err := rs.Close(); err != nil {
		return err
	}
	for _, ix := range all {
		if ix.cols, err = t.indexColumns(ix.name); err != nil {
			return err
		}
		if ix.cols != nil {
			t.live = append(t.live, ix)
		} else if err := t.dropIndex(ix); err != nil {
			return err
		}
	}
	return t.watchLive(rows)
}

// indexColumns returns the positions in the spec's columns of the index's
// key, or nil when the order of its entries cannot be told from the
// records: an expression, a descending or non-binary key, a column the
// load does not write, a UNIQUE index (never kept live by guess).
//
// A partial index is watched like any other, on every record's key: if
// the keys of all records come in order, so do those of the records the
// index holds. (One whose keys are out of order only among records it
// does not hold is dropped and rebuilt, as before 0005 every partial index
// was; that costs time, never correctness.) transfers_beneficiary is
// partial since 0005, and its key, beneficiary_id, is empty in most
// transfers: kept live, it costs the load nothing for them.
func (t *table) indexColumns(name string) ([]int, error) {
	ctx, tx := t.load.ctx, t.load.tx
	var unique bool
	if err := tx.QueryRowContext(ctx, `SELECT "unique" FROM pragma_index_list(?) WHERE name = ?`, t.spec.name, name).Scan(&unique); err != nil {
		return nil, fmt.Errorf("index %s: %w", name, err)
	}
	rs, err := tx.QueryContext(ctx, `SELECT cid, coalesce(name, ''), "desc", coalesce(coll, '') FROM pragma_index_xinfo(?) WHERE key ORDER BY seqno`, name)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	var cols []int
	ok := !unique
	for rs.Next() {
		var cid int
		var col, coll string
		var desc bool
		if err := rs.Scan(&cid, &col, &desc, &coll); err != nil {
			return nil, err
		}
		i := slices.Index(t.spec.cols, col)
		if cid < 0 || desc || !strings.EqualFold(coll, "BINARY") || i < 0 {
			ok = false
		}
		cols = append(cols, i)
	}
	if err := rs.Err(); err != nil {
		return nil, err
	}
	if !ok || len(cols) == 0 {
		return nil, nil
	}
	return cols, nil
}

// watchLive counts, for every live index, the records of rows whose key is
// below the one before, and drops the indexes that see too many.
func (t *table) watchLive(rows []row) error {
	kept := t.live[:0]
	for _, ix := range t.live {
		for i := range rows {
			if i == 0 {
				if ix.last != nil && t.compareWithKey(0, ix.last, ix.cols) < 0 {
					ix.descents++
				}
			} else if t.comparePacked(i, i-1, ix.cols) < 0 {
				ix.descents++
			}
		}
		ix.last = ix.last[:0]
		for _, c := range ix.cols {
			ix.last = append(ix.last, t.value(len(rows)-1, c))
		}
		ix.checked += len(rows)
		if ix.descents > maxDescents(ix.checked) {
			if err := t.dropIndex(ix); err != nil {
				return err
			}
			continue
		}
		kept = append(kept, ix)
	}
	clear(t.live[len(kept):])
	t.live = kept
	return nil
}

// comparePacked compares the keys (columns cols) of buffered records i
// and j as compareKey does.
func (t *table) comparePacked(i, j int, cols []int) int {
	for _, c := range cols {
		ta, va, a := t.packed(i, c)
		tb, vb, b := t.packed(j, c)
		var d int
		switch {
		case ta == -1 && tb == -1:
			d = cmp.Compare(va, vb)
		case ta == -1:
			d = -1
		case ta >= 0 && tb >= 0:
			d = bytes.Compare(a, b)
		case ta >= 0:
			d = 1
		}
		if d != 0 {
			return d
		}
	}
	return 0
}

// compareValue compares two key values as SQLite orders them: integers
// before text, text byte by byte.
func compareValue(a, b any) int {
	switch x := a.(type) {
	case int64:
		if y, ok := b.(int64); ok {
			return cmp.Compare(x, y)
		}
		return -1
	case string:
		if y, ok := b.(string); ok {
			return strings.Compare(x, y)
		}
		return 1
	}
	return 0
}

func (t *table) dropIndex(ix *liveIndex) error {
	if _, err := t.load.tx.ExecContext(t.load.ctx, `DROP INDEX "`+strings.ReplaceAll(ix.name, `"`, `""`)+`"`); err != nil {
		return err
	}
	t.dropped, t.deferred = append(t.dropped, ix.create), append(t.deferred, ix.name)
	return nil
}

func (t *table) restoreIndexes() error {
	for _, create := range t.dropped {
		if _, err := t.load.tx.ExecContext(t.load.ctx, create); err != nil {
			return fmt.Errorf("rebuild index of %s: %w", t.spec.name, err)
		}
	}
	t.dropped, t.deferred, t.live = nil, nil, nil
	return nil
}

// appendPacked adds r's values to the batch's.
func (t *table) appendPacked(r *Row) {
	base := int64(len(t.btext))
	t.btext = append(t.btext, r.text...)
	for i := 0; i < len(r.vals); i += 2 {
		tag, v := r.vals[i], r.vals[i+1]
		if tag >= 0 {
			v += base
		}
		t.bvals = append(t.bvals, tag, v)
	}
}

// packed returns the tag and value of column c of buffered record i, and
// its text for a text.
func (t *table) packed(i, c int) (tag, v int64, text []byte) {
	k := 2 * (i*len(t.spec.cols) + c)
	tag, v = t.bvals[k], t.bvals[k+1]
	if tag >= 0 {
		text = t.btext[v : v+tag]
	}
	return tag, v, text
}

// value returns column c of buffered record i as the driver binds it.
func (t *table) value(i, c int) any {
	switch tag, v, text := t.packed(i, c); {
	case tag == -1:
		return v
	case tag >= 0:
		return string(text)
	}
	return nil
}

// compareWithKey compares the key (columns cols) of buffered record i
// with key, the values of an earlier record's key columns.
func (t *table) compareWithKey(i int, key []any, cols []int) int {
	for k, c := range cols {
		if d := compareValue(t.value(i, c), key[k]); d != 0 {
			return d
		}
	}
	return 0
}

// args returns the values of buffered record i as the driver binds them
// (strings, int64s and nils), for the paths that look at records one by
// one. It allocates.
func (t *table) args(i int) []any {
	args := make([]any, len(t.spec.cols))
	for c := range args {
		args[c] = t.value(i, c)
	}
	return args
}

// execPacked writes a full batch through the C bulk insert when the
// load's connection allows it. It reports false when the batch must go
// through the driver instead.
func (t *table) execPacked(rows []row) (done bool, err error) {
	if t.noC || t.load.db.driver != DriverMattn {
		return false, nil
	}
	l := t.load
	if err := l.ctx.Err(); err != nil {
		return false, err
	}
	n := len(rows) * len(t.spec.cols)
	if len(t.bvals) != 2*n {
		return false, vigil.Errorf(vigil.EINTERNAL, "bulk insert: %d values buffered for %d", len(t.bvals)/2, n)
	}
	var inserted, last int64
	err = l.conn.Raw(func(dc any) error {
		if t.cbulk == nil {
			st, err := prepareC(dc, t.spec.insertIgnoreSQL(batchRows))
			if err != nil || st == nil {
				t.noC = true
				return err
			}
			t.cbulk = st
		}
		var err error
		inserted, last, err = t.cbulk.exec(t.bvals, t.btext, n)
		if err == nil {
			t.cRows += len(rows)
		}
		return err
	})
	if err != nil || t.noC {
		return false, err
	}
	return true, t.countIgnored(rows, inserted, last)
}

// next returns the slot for the next record; added commits it to the batch.
func (t *table) next() *row {
	if t.n == len(t.rows) {
		t.rows = append(t.rows, row{})
	}
	return &t.rows[t.n]
}

func (t *table) added() error {
	t.n++
	if t.n == batchRows {
		return t.flush()
	}
	return nil
}

func (t *table) prepare(st **sql.Stmt, query string) error {
	if *st != nil {
		return nil
	}
	s, err := t.load.tx.PrepareContext(t.load.ctx, query)
	if err != nil {
		return err
	}
	*st = s
	return nil
}

// flush writes the buffered records. The fast path is one multi-row INSERT;
// if any id in the batch is already stored, SQLite rolls that statement
// back as a whole and the batch is written record by record, comparing
// each stored record.
func (t *table) flush() error {
	if t.n == 0 {
		return nil
	}
	rows := t.rows[:t.n]
	t.n = 0
	defer func() { t.bvals, t.btext = t.bvals[:0], t.btext[:0] }()
	var err error
	if len(rows) == batchRows {
		if err := t.maybeDeferIndexes(rows); err != nil {
			return err
		}
		if done, err := t.execPacked(rows); done || err != nil {
			return err
		}
		if t.bulk == nil {
			if t.bulk, err = t.load.prepareRaw(t.spec.insertIgnoreSQL(batchRows), batchRows*len(t.spec.cols)); err != nil {
				return err
			}
		}
		t.flat = t.flat[:0]
		for i := range rows {
			t.flat = append(t.flat, t.args(i)...)
		}
		err := t.load.execRaw(t.bulk, t.flat)
		clear(t.flat)
		if err != nil {
			return err
		}
		return t.resolveIgnored(rows)
	}
	t.flat = t.flat[:0]
	for i := range rows {
		t.flat = append(t.flat, t.args(i)...)
	}
	_, err = t.load.tx.ExecContext(t.load.ctx, t.spec.insertSQL(len(rows)), t.flat...)
	clear(t.flat)
	if err == nil {
		t.counts.Inserted += len(rows)
		return nil
	}
	if !isUniqueViolation(err) {
		return err
	}
	for i := range rows {
		if err := t.addOne(&rows[i], t.args(i)); err != nil {
			return err
		}
	}
	return nil
}

// resolveIgnored counts the rows of a batch written with INSERT OR
// IGNORE. When the statement inserted them all (the usual case) that is
// all; otherwise some ids were already stored or came twice in the batch,
// and each row is looked up: the rows the statement inserted have the
// rowids it assigned, consecutive up to last_insert_rowid() (a new rowid
// is the largest plus one), claimed by the first row of the batch with
// that id; every other row is compared with the stored record, as addOne
// does after a failed batch, and counted unchanged or in conflict.
func (t *table) resolveIgnored(rows []row) error {
	if err := t.prepare(&t.changes, "SELECT changes(), last_insert_rowid()"); err != nil {
		return err
	}
	var inserted, last int64
	if err := t.changes.QueryRowContext(t.load.ctx).Scan(&inserted, &last); err != nil {
		return err
	}
	return t.countIgnored(rows, inserted, last)
}

// countIgnored is resolveIgnored once the statement's changes() and
// last_insert_rowid() are known.
func (t *table) countIgnored(rows []row, inserted, last int64) error {
	if inserted == int64(len(rows)) {
		t.counts.Inserted += len(rows)
		return nil
	}
	first := last - inserted + 1 // the statement's rowids: first..last
	claimed := map[int64]bool{}
	for i := range rows {
		r, args := &rows[i], t.args(i)
		rowid, hash, stored, err := t.lookupRow(args)
		if err == sql.ErrNoRows {
			// Ignored for another reason than its id: insert it alone so
			// that the error surfaces.
			if err := t.insertOne(args); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return err
		}
		if rowid >= first && rowid <= last && !claimed[rowid] {
			claimed[rowid] = true
			t.counts.Inserted++
			continue
		}
		if err := t.compare(r, args, hash, stored); err != nil {
			return err
		}
	}
	return nil
}

func (t *table) lookupRow(args []any) (rowid, hash int64, stored string, err error) {
	s := t.spec
	if err := t.prepare(&t.lookup, s.lookupSQL()); err != nil {
		return 0, 0, "", err
	}
	var line sql.NullInt64
	err = t.lookup.QueryRowContext(t.load.ctx, args[:s.nKey]...).Scan(&rowid, &hash, &stored, &line)
	if line.Valid {
		stored += ":" + strconv.FormatInt(line.Int64, 10)
	}
	return rowid, hash, stored, err
}

func (t *table) insertOne(args []any) error {
	if err := t.prepare(&t.one, t.spec.insertSQL(1)); err != nil {
		return err
	}
	if _, err := t.one.ExecContext(t.load.ctx, args...); err != nil {
		return err
	}
	t.counts.Inserted++
	return nil
}

func (t *table) addOne(r *row, args []any) error {
	_, hash, stored, err := t.lookupRow(args)
	switch {
	case err == sql.ErrNoRows:
		return t.insertOne(args)
	case err != nil:
		return err
	}
	return t.compare(r, args, hash, stored)
}

// compare counts r, whose id is stored with content hash and source
// stored, unchanged or in conflict.
func (t *table) compare(r *row, args []any, hash int64, stored string) error {
	s := t.spec
	if hash == r.hash {
		t.counts.Unchanged++
		return nil
	}
	if err := t.prepare(&t.fetch, s.fetchSQL()); err != nil {
		return err
	}
	names := s.fieldNames()
	vals := make([]string, len(s.cols))
	ptrs := make([]any, 0, len(vals))
	for i := range vals {
		ptrs = append(ptrs, &vals[i])
	}
	n := s.nContent
	if s.compact {
		n += 2
	}
	if err := t.fetch.QueryRowContext(t.load.ctx, args[:s.nKey]...).Scan(ptrs[:n]...); err != nil {
		return err
	}
	storedTexts, err := s.storedTexts(vals[:n])
	if err != nil {
		return err
	}
	c := &Conflict{Kind: s.kind, ID: r.id, Source: r.source, StoredSource: stored}
	for i, text := range s.argTexts(args) {
		if storedTexts[i] != text {
			c.Fields = append(c.Fields, names[i])
		}
	}
	if len(c.Fields) == 0 {
		// Same fields, other hash: only possible if the hashing changed
		// between versions. The content is the same, so nothing differs.
		t.counts.Unchanged++
		return nil
	}
	t.counts.Conflicts++
	if t.load.OnConflict != nil {
		t.load.OnConflict(c)
	}
	return nil
}

func (t *table) closeStmts() {
	if t.bulk != nil {
		t.load.closeRaw(t.bulk)
		t.bulk = nil
	}
	if t.cbulk != nil {
		t.load.conn.Raw(func(any) error { t.cbulk.close(); return nil })
		t.cbulk = nil
	}
	for _, st := range []**sql.Stmt{&t.one, &t.lookup, &t.fetch, &t.changes} {
		if *st != nil {
			(*st).Close()
			*st = nil
		}
	}
}

// isUniqueViolation reports whether err is SQLite's UNIQUE (or PRIMARY KEY)
// constraint error, in the wording both drivers pass through.
func isUniqueViolation(err error) bool {
	return strings.Contains(err.Error(), "UNIQUE constraint failed")
}
