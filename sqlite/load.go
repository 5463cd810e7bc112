package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"math/rand/v2"
	"runtime/trace"
	"strconv"
	"strings"
	"time"

	"github.com/vigilfiu/vigil"
)

// The kinds of record a Load adds.
const (
	KindParties   = "parties"
	KindTransfers = "transfers"
	KindCalls     = "calls"
	KindLeads     = "leads"
)

// Kinds lists the record kinds in the order a load must add them: parties
// first, so that transfers can be checked against them.
var Kinds = []string{KindParties, KindTransfers, KindCalls, KindLeads}

// Counts says what a load did with the records of one kind.
type Counts struct {
	Inserted  int `json:"inserted"`
	Unchanged int `json:"unchanged"` // already stored with the same content
	Conflicts int `json:"conflicts"` // already stored with other content; not written
}

// Conflict is a record whose id is already stored (or was added earlier in
// the same load) with other content. The stored record is kept.
type Conflict struct {
	Kind         string   // KindParties, KindTransfers, …
	ID           string   // the record's id ("list/lead_id" for leads)
	Source       string   // file:line of the rejected record
	StoredSource string   // file:line the stored record came from
	Fields       []string // the fields whose values differ
}

// Error returns the reason a user reads.
func (c *Conflict) Error() string {
	return fmt.Sprintf("%s %s is already stored (from %s) with other content in %s; the stored record is kept",
		singular(c.Kind), c.ID, c.StoredSource, strings.Join(c.Fields, ", "))
}

func singular(kind string) string {
	switch kind {
	case KindParties:
		return "party"
	case KindTransfers:
		return "transfer"
	case KindCalls:
		return "call event"
	case KindLeads:
		return "lead"
	}
	return kind
}

// batchRows is the number of records per multi-row INSERT. Transfers have
// 20 columns: 200 rows bind 4,000 parameters, well under SQLite's 32,766.
const batchRows = 200

// Load adds records to the store in one transaction, idempotently by id: a
// record whose id is stored with the same content is counted unchanged, one
// with other content is reported to OnConflict and not written. Nothing is
// visible to other readers until Commit; Rollback (or a failed Commit)
// leaves the store exactly as it was.
//
// Records are buffered and written in batches; OnConflict may therefore be
// called during a later Add or during Commit. A Load is not safe for
// concurrent use.
type Load struct {
	ctx  context.Context
	db   *DB
	conn *sql.Conn // the load's own connection, set up by beginLoadConn
	tx   *sql.Tx

	// journal is the journal mode of the load: "delete" (rollback
	// journal) when the load had the store to itself, else "wal".
	journal string
	bulk    bool // begun by BeginBulkLoad

	// OnConflict is called for every conflicting record. It may be nil.
	OnConflict func(*Conflict)

	started time.Time
	tables  map[string]*table
	order   []*table

	scratch Row // for the Add* conveniences

	knownParty  idSet // party ids added in this load (written by Add only)
	storedParty idSet // party ids found in the store by checkSender
	partyExists *sql.Stmt

	// loadID is the load's row in loads (0 until the first source needs
	// it); sources maps the names of its sources to load_sources ids.
	loadID       int64
	sources      map[string]int64
	lastSource   string
	lastSourceID int64
}

// BeginLoad starts a load: it takes the store's write lock until Commit or
// Rollback. The load runs in the store's WAL journal, so that an abandoned
// load leaves the store file byte for byte as it was.
func (db *DB) BeginLoad(ctx context.Context) (*Load, error) { return db.beginLoad(ctx, false) }

// BeginBulkLoad is BeginLoad for a large load (hundreds of MB): when no
// other connection has the store open, the load runs with a rollback
// journal, which writes each new page once instead of twice (see
// beginLoadConn). The guarantee is the same: one transaction, all or
// nothing, also across a crash. An abandoned bulk load leaves every table
// and index as it was; only the file header's change counters differ,
// because the journal mode is switched and switched back.
func (db *DB) BeginBulkLoad(ctx context.Context) (*Load, error) { return db.beginLoad(ctx, true) }

func (db *DB) beginLoad(ctx context.Context, bulk bool) (*Load, error) {
	conn, err := db.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("begin load: %w", err)
	}
	journal, err := beginLoadConn(ctx, conn, bulk)
	if err != nil {
		endLoadConn(conn)
		return nil, fmt.Errorf("begin load: %w", err)
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		endLoadConn(conn)
		return nil, fmt.Errorf("begin load: %w", err)
	}
	l := &Load{ctx: ctx, db: db, conn: conn, tx: tx, journal: journal, bulk: bulk, started: db.Now(), tables: map[string]*table{}}
	for _, spec := range specs {
		t := &table{spec: spec, load: l}
		l.tables[spec.kind] = t
		l.order = append(l.order, t)
	}
	return l, nil
}

// Counts returns what the load has done so far with records of kind.
func (l *Load) Counts(kind string) Counts {
	if t := l.tables[kind]; t != nil {
		return t.counts
	}
	return Counts{}
}

// Row is one record encoded for the store: its values, packed (see put),
// and its content hash. Encoding touches no shared state, so a reader
// goroutine can encode the next records while the load writes earlier
// ones; Load.Add writes it. A Row may be reused once Add has returned.
type Row struct {
	kind   string
	id     string // for messages ("list/lead_id" for leads)
	source string
	sender string // transfers: the sender to check
	// senderKnown: the sender was found among the parties of this load
	// by the encoding goroutine (Load.AddedParty), so Add need not look.
	senderKnown bool
	hash        int64

	// The values bound to the table's columns (spec.cols), packed so
	// that the C bulk insert binds them as they are and nothing is boxed
	// in an interface per value: two int64 per value in vals (a tag: -1
	// an integer, -2 NULL, else the length of a text; then the integer,
	// or the text's offset in text) and the texts end to end.
	vals []int64
	text []byte

	// transfers: the source split into name and line (splitSource).
	sourceName string
	sourceLine int64
}

func (r *Row) reset() { r.vals, r.text = r.vals[:0], r.text[:0] }
func (r *Row) put(s string) {
	r.vals = append(r.vals, int64(len(s)), int64(len(r.text)))
	r.text = append(r.text, s...)
}
func (r *Row) putInt(v int64)       { r.vals = append(r.vals, -1, v) }
func (r *Row) putNull()             { r.vals = append(r.vals, -2, 0) }
func (r *Row) putDate(d vigil.Date) { n := len(r.text); r.text = appendDate(r.text, d); r.putAt(n) }

// putAt records as the next value the text appended since offset n.
func (r *Row) putAt(n int) { r.vals = append(r.vals, int64(len(r.text)-n), int64(n)) }

// value returns the i-th value's text, for hashing.
func (r *Row) value(i int) []byte {
	return r.text[r.vals[2*i+1] : r.vals[2*i+1]+r.vals[2*i]]
}

// hashValues hashes values [from, to) as hashArgs hashes the same values
// (texts and integers; NULL is skipped).
func (r *Row) hashValues(h contentHash, from, to int) contentHash {
	for i := from; i < to; i++ {
		switch tag := r.vals[2*i]; {
		case tag == -1:
			h = h.int(r.vals[2*i+1])
		case tag >= 0:
			h = h.bytes(r.value(i))
		}
	}
	return h
}

// appendDate appends d.String() without allocating.
func appendDate(b []byte, d vigil.Date) []byte {
	p := d.Precision()
	if p == 0 {
		return b
	}
	if d.Year < 0 || d.Year > 9999 || d.Month < 0 || d.Month > 99 || d.Day < 0 || d.Day > 99 {
		return append(b, d.String()...)
	}
	b = append(b, byte('0'+d.Year/1000), byte('0'+d.Year/100%10), byte('0'+d.Year/10%10), byte('0'+d.Year%10))
	if p >= 2 {
		b = append(b, '-', byte('0'+d.Month/10), byte('0'+d.Month%10))
	}
	if p >= 3 {
		b = append(b, '-', byte('0'+d.Day/10), byte('0'+d.Day%10))
	}
	return b
}

// Kind returns the kind of record the row holds.
func (r *Row) Kind() string { return r.kind }

// EncodeParty encodes p. It returns an EINVALID error for a party that
// breaks an invariant.
func (r *Row) EncodeParty(p *vigil.Party) error {
	if err := p.Validate(); err != nil {
		return err
	}
	r.kind, r.id, r.source, r.sender = KindParties, p.ID, p.Source, ""
	r.reset()
	r.put(p.ID)
	r.put(string(p.Kind))
	r.put(p.FullName)
	r.putDate(p.BirthDate)
	for _, v := range [...]string{p.Gender, p.Nationality, p.Country, p.City, p.Address, p.Postcode, p.Phone, p.Email, p.IDNumber} {
		r.put(v)
	}
	r.hash = r.hashValues(newHash(), 0, 13).sum()
	r.put(p.Source)
	r.putInt(r.hash)
	return nil
}

// EncodeTransfer encodes t. It returns an EINVALID error for a transfer
// that breaks an invariant, or whose timestamp lies outside the years the
// store holds (1678–2261: nanoseconds since 1970 in 64 bits).
func (r *Row) EncodeTransfer(t *vigil.Transfer) error {
	if err := t.Validate(); err != nil {
		return err
	}
	if y := t.Timestamp.Year(); y < minYear || y > maxYear {
		return vigil.Errorf(vigil.EINVALID, "transfer %s: timestamp year %d is outside %d–%d, the years the store holds", t.ID, y, minYear, maxYear)
	}
	r.kind, r.id, r.source, r.sender, r.senderKnown = KindTransfers, t.ID, t.Source, t.SenderID, false
	r.sourceName, r.sourceLine = splitSource(t.Source)
	ns := t.Timestamp.UnixNano()
	_, off := t.Timestamp.Zone()
	r.reset()
	for _, v := range [...]string{t.ID, t.SenderID, t.SenderAccount, t.BeneficiaryID, t.BeneficiaryName,
		t.BeneficiaryPhone, t.BeneficiaryAccount, t.BeneficiaryCity, t.BeneficiaryCountry} {
		r.put(v)
	}
	r.putDate(t.BeneficiaryBirthDate)
	r.putInt(int64(t.Amount))
	for _, v := range [...]string{t.Currency, string(t.Channel), t.Provider, t.Purpose} {
		r.put(v)
	}
	// The hash is over the fields in the order of the 0001 table, the
	// timestamp as text (see spec): stores upgraded by 0002 keep theirs.
	// The timestamp's text is appended after the values, hashed, and cut.
	n := len(r.text)
	r.text = appendTimestamp(r.text, ns, off)
	h := newHash().bytes(r.value(0)).bytes(r.text[n:])
	r.text = r.text[:n]
	r.hash = r.hashValues(h, 1, tfContent).sum()
	r.putInt(ns)
	r.putInt(int64(off))
	r.putInt(0) // source_id: set by Add
	if r.sourceLine > 0 {
		r.putInt(r.sourceLine)
	} else {
		r.putNull()
	}
	r.putInt(r.hash)
	return nil
}

// The years a transfer's timestamp may fall in: ts_ns, nanoseconds since
// 1970 in a signed 64-bit integer, spans 1677-09-21 to 2262-04-11.
const minYear, maxYear = 1678, 2261

// appendTimestamp appends the RFC 3339 text of the instant ns (Unix
// nanoseconds) at offset off (seconds east of UTC), as Go's RFC3339Nano
// layout writes it: the form stored as text before migration 0002.
func appendTimestamp(b []byte, ns int64, off int) []byte {
	return time.Unix(0, ns).In(zoneAt(off)).AppendFormat(b, time.RFC3339Nano)
}

// zoneAt returns the location for offset off: UTC for 0 (shown as "Z",
// as time.Parse returns it for "Z"), else a fixed zone; the common ones
// are made once.
func zoneAt(off int) *time.Location {
	if off == 0 {
		return time.UTC
	}
	if off%900 == 0 && off >= -16*3600 && off <= 16*3600 {
		return quarterZones[off/900+64]
	}
	return time.FixedZone("", off)
}

// quarterZones holds the fixed zones of every quarter-hour offset from
// -16:00 to +16:00 (index off/900 + 64), so that reading transfers makes
// no zone per row.
var quarterZones = func() []*time.Location {
	zs := make([]*time.Location, 129)
	for i := range zs {
		zs[i] = time.FixedZone("", (i-64)*900)
	}
	return zs
}()

// splitSource splits a source "name:123" into its name and line; a source
// in another form (no line, a line with a leading zero or over 18 digits)
// is all name, with line 0. Migration 0002 splits stored sources by the
// same rule, and a row's source is name:line again when read.
func splitSource(src string) (name string, line int64) {
	i := len(src)
	for i > 0 && src[i-1] >= '0' && src[i-1] <= '9' {
		i--
	}
	digits := src[i:]
	if i == 0 || src[i-1] != ':' || digits == "" || digits[0] == '0' || len(digits) > 18 {
		return src, 0
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		return src, 0
	}
	return src[:i-1], n
}

// EncodeCallEvent encodes e. It returns an EINVALID error for an event that
// breaks an invariant.
func (r *Row) EncodeCallEvent(e *vigil.CallEvent) error {
	if err := e.Validate(); err != nil {
		return err
	}
	r.kind, r.id, r.source, r.sender = KindCalls, e.ID, e.Source, ""
	r.reset()
	r.put(e.ID)
	n := len(r.text)
	r.text = e.Timestamp.AppendFormat(r.text, time.RFC3339Nano)
	r.putAt(n)
	for _, v := range [...]string{e.Account, e.Counterpart, e.Platform, string(e.Direction), string(e.Kind)} {
		r.put(v)
	}
	r.putInt(int64(e.DurationS))
	r.hash = r.hashValues(newHash(), 0, 8).sum()
	r.putInt(e.Timestamp.Unix())
	r.putInt(int64(e.Timestamp.Nanosecond()))
	r.put(e.Source)
	r.putInt(r.hash)
	return nil
}

// EncodeLead encodes ld as a member of list ("leads" or "seeds"). It
// returns an EINVALID error for a lead that breaks an invariant.
func (r *Row) EncodeLead(list string, ld *vigil.Lead) error {
	if list == "" {
		return vigil.Errorf(vigil.EINVALID, "lead %s: no list name", ld.ID)
	}
	if err := ld.Validate(); err != nil {
		return err
	}
	r.kind, r.id, r.source, r.sender = KindLeads, list+"/"+ld.ID, ld.Source, ""
	r.reset()
	r.put(list)
	r.put(ld.ID)
	r.put(ld.FullName)
	r.putDate(ld.BirthDate)
	for _, v := range [...]string{ld.Phone, ld.Email, ld.Handle, ld.Account, ld.City, ld.Country, ld.Note} {
		r.put(v)
	}
	r.hash = r.hashValues(newHash(), 0, 11).sum()
	r.put(ld.Source)
	r.putInt(r.hash)
	return nil
}

// Add adds an encoded record. For a transfer whose sender is no party in
// the store or earlier in this load it returns an EINVALID error and adds
// nothing; the load goes on.
func (l *Load) Add(r *Row) error {
	t := l.tables[r.kind]
	if t == nil {
		return vigil.Errorf(vigil.EINTERNAL, "add: row of unknown kind %q", r.kind)
	}
	switch r.kind {
	case KindTransfers:
		if !r.senderKnown {
			if err := l.checkSender(r.sender); err != nil {
				return err
			}
		}
		id, err := l.sourceID(r.sourceName)
		if err != nil {
			return err
		}
		r.vals[2*tfSourceID+1] = id
	case KindParties:
		// Once written (inserted, unchanged or in conflict) the id is a
		// stored party: transfers naming it need no query.
		l.knownParty.add(r.id)
	}
	if len(r.vals) != 2*len(t.spec.cols) {
		return vigil.Errorf(vigil.EINTERNAL, "add: %s row with %d values for %d columns", r.kind, len(r.vals)/2, len(t.spec.cols))
	}
	t.appendPacked(r)
	slot := t.next()
	slot.id, slot.source, slot.hash = r.id, r.source, r.hash
	return t.added()
}

// AddParty encodes and adds a party (see EncodeParty and Add).
func (l *Load) AddParty(p *vigil.Party) error {
	if err := l.scratch.EncodeParty(p); err != nil {
		return err
	}
	return l.Add(&l.scratch)
}

// AddTransfer encodes and adds a transfer (see EncodeTransfer and Add).
func (l *Load) AddTransfer(t *vigil.Transfer) error {
	if err := l.scratch.EncodeTransfer(t); err != nil {
		return err
	}
	return l.Add(&l.scratch)
}

// AddCallEvent encodes and adds a call event.
func (l *Load) AddCallEvent(e *vigil.CallEvent) error {
	if err := l.scratch.EncodeCallEvent(e); err != nil {
		return err
	}
	return l.Add(&l.scratch)
}

// AddLead encodes and adds a lead of list ("leads" or "seeds").
func (l *Load) AddLead(list string, ld *vigil.Lead) error {
	if err := l.scratch.EncodeLead(list, ld); err != nil {
		return err
	}
	return l.Add(&l.scratch)
}

// MarkSenderKnown records that the row's sender is a party added earlier
// in the load (see AddedParty), so that Add does not check it again.
func (r *Row) MarkSenderKnown() { r.senderKnown = r.kind == KindTransfers }

// Sender returns the sender id of a transfer row ("" for other kinds).
func (r *Row) Sender() string { return r.sender }

// AddedParty reports whether a party with id was added earlier in this
// load. It only reads, so the goroutine that encodes rows may call it to
// take the sender check off the writing goroutine (a map lookup with a
// cache miss per transfer) — but only while no party is being added, e.g.
// while a file of transfers is read after the parties files.
func (l *Load) AddedParty(id string) bool {
	return l.knownParty.has(id)
}

// sourceID returns the load_sources id of a source name read by this
// load, adding the name (and the load's row in loads) the first time.
// Rows of one file share their name, so the last one answers most calls.
func (l *Load) sourceID(name string) (int64, error) {
	if name == l.lastSource && l.lastSourceID != 0 {
		return l.lastSourceID, nil
	}
	id, ok := l.sources[name]
	if !ok {
		if l.loadID == 0 {
			res, err := l.tx.ExecContext(l.ctx, `INSERT INTO loads (started_at, finished_at, summary) VALUES (?, '', '{}')`,
				l.started.UTC().Format(time.RFC3339))
			if err != nil {
				return 0, err
			}
			if l.loadID, err = res.LastInsertId(); err != nil {
				return 0, err
			}
			l.sources = map[string]int64{}
		}
		res, err := l.tx.ExecContext(l.ctx, `INSERT INTO load_sources (load_id, name) VALUES (?, ?)`, l.loadID, name)
		if err != nil {
			return 0, err
		}
		if id, err = res.LastInsertId(); err != nil {
			return 0, err
		}
		l.sources[name] = id
	}
	l.lastSource, l.lastSourceID = name, id
	return id, nil
}

// checkSender reports whether id is a party in the store or in this load.
// Ids found in the store are cached for the rest of the load.
func (l *Load) checkSender(id string) error {
	if l.knownParty.has(id) || l.storedParty.has(id) {
		return nil
	}
	if l.partyExists == nil {
		st, err := l.tx.PrepareContext(l.ctx, `SELECT 1 FROM parties WHERE party_id = ?`)
		if err != nil {
			return err
		}
		l.partyExists = st
	}
	var one int
	switch err := l.partyExists.QueryRowContext(l.ctx, id).Scan(&one); err {
	case nil:
		l.storedParty.add(id)
		return nil
	case sql.ErrNoRows:
		return vigil.Errorf(vigil.EINVALID, "sender_id %q is no known party: load the parties file first (in the same or an earlier ingest)", id)
	default:
		return err
	}
}

// Buffered returns the number of records added but not yet written. When
// it is 0, every conflict among the records added so far has been reported.
func (l *Load) Buffered() int {
	n := 0
	for _, t := range l.order {
		n += t.n
	}
	return n
}

// Flush writes every buffered record. Commit calls it.
func (l *Load) Flush() error {
	for _, t := range l.order {
		if err := t.flush(); err != nil {
			return err
		}
	}
	return nil
}

// Commit writes what is buffered, records the load with its summary (any
// JSON-encodable value) and commits.
func (l *Load) Commit(summary []byte) error {
	region := trace.StartRegion(l.ctx, "commit: flush")
	if err := l.Flush(); err != nil {
		l.Rollback()
		return err
	}
	region.End()
	if err := l.beforeIndexBuild(); err != nil {
		l.Rollback()
		return err
	}
	region = trace.StartRegion(l.ctx, "commit: rebuild indexes")
	for _, t := range l.order {
		if err := t.restoreIndexes(); err != nil {
			l.Rollback()
			return err
		}
	}
	region.End()
	defer trace.StartRegion(l.ctx, "commit: write").End()
	if summary == nil {
		summary = []byte("{}")
	}
	now := l.db.Now().UTC()
	var err error
	if l.loadID != 0 {
		_, err = l.tx.ExecContext(l.ctx, `UPDATE loads SET finished_at = ?, summary = ? WHERE load_id = ?`,
			now.Format(time.RFC3339), string(summary), l.loadID)
	} else {
		_, err = l.tx.ExecContext(l.ctx, `INSERT INTO loads (started_at, finished_at, summary) VALUES (?, ?, ?)`,
			l.started.UTC().Format(time.RFC3339), now.Format(time.RFC3339), string(summary))
	}
	if err != nil {
		l.Rollback()
		return err
	}
	l.closeStmts()
	err = l.tx.Commit()
	l.endConn()
	if err != nil {
		return fmt.Errorf("commit load: %w", err)
	}
	return nil
}

// beforeIndexBuild readies the connection for rebuilding the dropped
// indexes. SQLite sorts the keys of a new index in memory up to the page
// cache size, beside the page cache itself: the load's large cache is
// given back first, so that cache and sorter together stay bounded. The
// sort may use a second thread: by then the reading goroutine is done and
// a core is free.
func (l *Load) beforeIndexBuild() error {
	for _, t := range l.order {
		if len(t.dropped) > 0 {
			for _, p := range []string{fmt.Sprintf("PRAGMA cache_size = -%d", sortCacheKiB), fmt.Sprintf("PRAGMA threads = %d", sortThreads)} {
				if _, err := l.tx.ExecContext(l.ctx, p); err != nil {
					return err
				}
			}
			return nil
		}
	}
	return nil
}

// Rollback abandons the load; the store is left as it was.
func (l *Load) Rollback() error {
	l.closeStmts()
	err := l.tx.Rollback()
	l.endConn()
	if err == sql.ErrTxDone {
		return nil
	}
	return err
}

// DeferredIndexes returns the names of the secondary indexes the load has
// dropped so far, to rebuild them before commit (see BeginBulkLoad); the
// others are kept up to date row by row.
func (l *Load) DeferredIndexes() []string {
	var names []string
	for _, t := range l.order {
		names = append(names, t.deferred...)
	}
	return names
}

// Journal returns the journal mode the load runs in: "delete" for a bulk
// load that had the store to itself, else "wal" (see BeginBulkLoad).
func (l *Load) Journal() string { return l.journal }

func (l *Load) endConn() {
	if l.conn != nil {
		endLoadConn(l.conn)
		l.conn = nil
	}
}

func (l *Load) closeStmts() {
	for _, t := range l.order {
		t.closeStmts()
	}
	if l.partyExists != nil {
		l.partyExists.Close()
		l.partyExists = nil
	}
}

// rawStmt is a multi-row INSERT used through the driver itself rather
// than database/sql: for the 4,000 values of a batch of transfers,
// database/sql's per-value checks and conversions cost as much as the
// driver's binding. The values (strings and int64s) are already of the
// types every driver takes.
type rawStmt struct {
	st    driver.Stmt
	named []driver.NamedValue
}

// prepareRaw prepares query, which has n parameters, on the load's
// connection.
func (l *Load) prepareRaw(query string, n int) (*rawStmt, error) {
	rs := &rawStmt{}
	err := l.conn.Raw(func(dc any) error {
		var err error
		if c, ok := dc.(driver.ConnPrepareContext); ok {
			rs.st, err = c.PrepareContext(l.ctx, query)
		} else {
			rs.st, err = dc.(driver.Conn).Prepare(query)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	rs.named = make([]driver.NamedValue, n)
	for i := range rs.named {
		rs.named[i].Ordinal = i + 1
	}
	return rs, nil
}

// execRaw runs rs with vals. With mattn/go-sqlite3 it goes through Query,
// whose first step binds every value and steps in one cgo crossing (Exec
// binds value by value); the INSERT returns no rows, so it is complete
// once Query returns.
func (l *Load) execRaw(rs *rawStmt, vals []any) error {
	k := 0
	for _, a := range vals {
		rs.named[k].Value = a
		k++
	}
	if k != len(rs.named) {
		return vigil.Errorf(vigil.EINTERNAL, "bulk insert: %d values for %d parameters", k, len(rs.named))
	}
	err := l.conn.Raw(func(any) error {
		if q, ok := rs.st.(driver.StmtQueryContext); ok && l.db.driver == DriverMattn {
			rows, err := q.QueryContext(l.ctx, rs.named)
			if err != nil {
				return err
			}
			return rows.Close()
		}
		if e, ok := rs.st.(driver.StmtExecContext); ok {
			_, err := e.ExecContext(l.ctx, rs.named)
			return err
		}
		return vigil.Errorf(vigil.EINTERNAL, "the %s driver has no ExecContext", l.db.driver)
	})
	for i := range rs.named {
		rs.named[i].Value = nil // keep no record alive
	}
	return err
}

func (l *Load) closeRaw(rs *rawStmt) {
	l.conn.Raw(func(any) error { return rs.st.Close() })
}

// hashArgs hashes the content columns of a record (strings and int64s).
func hashArgs(args []any) int64 {
	h := newHash()
	for _, a := range args {
		switch v := a.(type) {
		case string:
			h = h.str(v)
		case int64:
			h = h.int(v)
		}
	}
	return h.sum()
}

// argText is the text form of a content column, for comparing a record
// with the stored one field by field.
func argText(a any) string {
	switch v := a.(type) {
	case string:
		return v
	case int64:
		return strconv.FormatInt(v, 10)
	}
	return fmt.Sprint(a)
}

// idSet is a set of ids that holds no pointer per id. A load of the big
// world keeps its 441,225 party ids here for the sender check; as a map of
// strings they were 441,225 allocations on the writing goroutine and as
// many pointers for every GC cycle to scan. Membership is exact.
//
// An id of 1 to 8 bytes, none of them NUL (P0021174), is its own key: its
// bytes packed in a uint64, in an open-addressing table of such words, so
// a look-up costs one cache miss and no comparison of strings (it cost
// three misses, slot, end and bytes, and was 24 % of the reading
// goroutine's CPU in a 1M profile). Other ids go end to end in one byte
// slice, with a table of their indexes (a hash tag and the index; a tag
// match is confirmed by comparing the id).
type idSet struct {
	mix    uint64   // random, mixed into the short ids' hash
	short  []uint64 // the short ids, packed (0: empty slot)
	nShort int

	seed  maphash.Seed
	slots []uint64 // 0: empty; else the hash's top 32 bits << 32 | (index+1)
	ids   []byte   // the other ids, end to end
	ends  []uint32 // ends[i]: where id i ends in ids
	empty bool     // "" is in the set
}

// shortKey returns id packed little-endian in a uint64, and whether id is
// short: 1 to 8 bytes and no NUL byte, so that the packed word is not 0
// and is the packed word of no other id.
func shortKey(id string) (uint64, bool) {
	if len(id) == 0 || len(id) > 8 {
		return 0, false
	}
	if len(id) == 8 {
		k := binary.LittleEndian.Uint64([]byte(id))
		const lo, hi = 0x0101010101010101, 0x8080808080808080
		return k, (k-lo)&^k&hi == 0 // no zero byte
	}
	var k uint64
	for i := len(id) - 1; i >= 0; i-- {
		if id[i] == 0 {
			return 0, false
		}
		k = k<<8 | uint64(id[i])
	}
	return k, true
}

// findShort returns the slot of the short table holding k, or the empty
// slot where it would go.
func (s *idSet) findShort(k uint64) (int, bool) {
	mask := len(s.short) - 1
	h := (k ^ s.mix) * 0x9E3779B97F4A7C15
	for i := int(h^h>>29) & mask; ; i = (i + 1) & mask {
		switch s.short[i] {
		case k:
			return i, true
		case 0:
			return i, false
		}
	}
}

// has reports whether id is in the set.
func (s *idSet) has(id string) bool {
	if k, ok := shortKey(id); ok {
		if len(s.short) == 0 {
			return false
		}
		_, ok := s.findShort(k)
		return ok
	}
	if id == "" {
		return s.empty
	}
	if len(s.slots) == 0 {
		return false
	}
	_, ok := s.find(id, maphash.String(s.seed, id))
	return ok
}

// add puts id in the set (once).
func (s *idSet) add(id string) {
	if k, ok := shortKey(id); ok {
		if len(s.short) == 0 {
			s.mix = rand.Uint64()
			s.short = make([]uint64, 1024)
		}
		i, ok := s.findShort(k)
		if ok {
			return
		}
		s.short[i] = k
		s.nShort++
		if s.nShort*4 > len(s.short)*3 {
			old := s.short
			s.short = make([]uint64, 2*len(old))
			for _, k := range old {
				if k != 0 {
					i, _ := s.findShort(k)
					s.short[i] = k
				}
			}
		}
		return
	}
	if id == "" {
		s.empty = true
		return
	}
	if len(s.slots) == 0 {
		s.seed = maphash.MakeSeed()
		s.slots = make([]uint64, 1024)
	}
	h := maphash.String(s.seed, id)
	i, ok := s.find(id, h)
	if ok {
		return
	}
	s.ids = append(s.ids, id...)
	s.ends = append(s.ends, uint32(len(s.ids)))
	s.slots[i] = h>>32<<32 | uint64(len(s.ends))
	if len(s.ends)*4 > len(s.slots)*3 {
		s.grow()
	}
}

// len returns the number of ids in the set.
func (s *idSet) len() int {
	n := s.nShort + len(s.ends)
	if s.empty {
		n++
	}
	return n
}

// find returns the slot of the long ids' table holding id, or the empty
// slot where it would go.
func (s *idSet) find(id string, h uint64) (int, bool) {
	mask := len(s.slots) - 1
	tag := h >> 32
	for i := int(h) & mask; ; i = (i + 1) & mask {
		v := s.slots[i]
		if v == 0 {
			return i, false
		}
		if v>>32 == tag && string(s.id(int(uint32(v))-1)) == id {
			return i, true
		}
	}
}

func (s *idSet) id(k int) []byte {
	start := uint32(0)
	if k > 0 {
		start = s.ends[k-1]
	}
	return s.ids[start:s.ends[k]]
}

func (s *idSet) grow() {
	old := s.slots
	s.slots = make([]uint64, 2*len(old))
	mask := len(s.slots) - 1
	for _, v := range old {
		if v == 0 {
			continue
		}
		i := int(maphash.Bytes(s.seed, s.id(int(uint32(v))-1))) & mask
		for s.slots[i] != 0 {
			i = (i + 1) & mask
		}
		s.slots[i] = v
	}
}
