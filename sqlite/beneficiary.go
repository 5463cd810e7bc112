package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/graph"
)

// The kept beneficiary resolution (migration 0003): the beneficiaries the
// recipients of the stored transfers resolve to, each transfer's
// beneficiary, and a run record saying what it covers and which resolver
// made it. LoadGraph (beneficiary_graph.go) makes it on the first trace
// and reuses it after.

// ResolutionRun records one kept resolution.
type ResolutionRun struct {
	ID int64
	// Resolver names the resolver that made it (graph.ResolverVersion).
	Resolver string
	// MaxRowID and Transfers say which transfers it covers: every stored
	// transfer with rowid ≤ MaxRowID, Transfers of them. A store with
	// other figures got transfers the resolution does not cover.
	MaxRowID, Transfers int64
	Beneficiaries       int
	Started, Finished   time.Time
	// Seconds is the wall time of resolving and keeping it.
	Seconds float64
}

// keepIdleConns is the pool's idle connections restored after a keep
// closed them (database/sql's default: sqlite.Open sets none).
const keepIdleConns = 2

// assignBlock is the number of rowids per beneficiary_assign row.
const assignBlock = 1 << 16

// TransferExtent returns the number of stored transfers and their largest
// rowid (0, 0 for none). Transfers are never deleted nor rewritten in
// place, so new transfers show in both.
func (db *DB) TransferExtent(ctx context.Context) (count, maxRowID int64, err error) {
	err = db.db.QueryRowContext(ctx, `SELECT count(*), coalesce(max(rowid), 0) FROM transfers`).Scan(&count, &maxRowID)
	return count, maxRowID, err
}

// ResolutionRun returns the kept resolution's run record, nil when the
// store keeps none.
func (db *DB) ResolutionRun(ctx context.Context) (*ResolutionRun, error) {
	var r ResolutionRun
	var started, finished string
	err := db.db.QueryRowContext(ctx, `SELECT run_id, resolver, max_rowid, transfers, beneficiaries, started_at, finished_at, seconds
		FROM beneficiary_runs ORDER BY run_id DESC LIMIT 1`).Scan(&r.ID, &r.Resolver, &r.MaxRowID, &r.Transfers,
		&r.Beneficiaries, &started, &finished, &r.Seconds)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	r.Started, _ = time.Parse(time.RFC3339Nano, started)
	r.Finished, _ = time.Parse(time.RFC3339Nano, finished)
	return &r, nil
}

// SaveResolution replaces what the store keeps for the graph, in one
// transaction: g's beneficiaries in order (ben = index), the assignment
// of every transfer (the transfer with rowid rowids[i] is g's input row
// i, rowids ascending; g must be built with Options.KeepAssignment), the
// prepared rows and g's tables. run says what it covers; its ID and
// Beneficiaries are set. The blocks are packed on another goroutine
// while this one writes them (keepPipelined); g must not change
// meanwhile.
func (db *DB) SaveResolution(ctx context.Context, run *ResolutionRun, g *graph.Graph, rowids []int64) error {
	return db.saveResolution(ctx, run, g, rowids, true)
}

// saveResolution is SaveResolution, the blocks packed on this goroutine
// between the inserts unless pipelined (tests compare the two).
func (db *DB) saveResolution(ctx context.Context, run *ResolutionRun, g *graph.Graph, rowids []int64, pipelined bool) error {
	assign := g.Assignment()
	if len(rowids) != len(assign) || len(assign) != g.NumTransfers() {
		return vigil.Errorf(vigil.EINTERNAL, "save resolution: %d rowids for %d assignments of %d transfers", len(rowids), len(assign), g.NumTransfers())
	}
	// The keep writes hundreds of MB (5M transfers: ~400 MB). With the
	// store to itself it runs with a rollback journal, as a bulk load
	// does (beginLoadConn): its new pages are written once, instead of
	// into the WAL and again into the file at the checkpoint its commit
	// makes. The idle connections are closed first (they hold the WAL
	// open); if another is in use, the keep runs in WAL as before.
	db.db.SetMaxIdleConns(0)
	db.db.SetMaxIdleConns(keepIdleConns)
	conn, err := db.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer endLoadConn(conn)
	if _, err := beginLoadConn(ctx, conn, true); err != nil {
		return err
	}
	// The usual page cache, not a load's: the keep only appends, and its
	// pages spill to the file without a journal entry.
	if _, err := conn.ExecContext(ctx, defaultCachePragma); err != nil {
		return err
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := clearKept(ctx, tx); err != nil {
		return err
	}
	st, err := prepareKeep(ctx, tx)
	if err != nil {
		return err
	}
	defer st.close()
	bens := g.Beneficiaries
	pack := func(k *keepInserts) error {
		var order chan *graph.PreparedOrder
		if pipelined {
			// The rows' order is indexed while the beneficiaries and
			// the assignment are packed.
			order = make(chan *graph.PreparedOrder, 1)
			go func() { order <- g.PreparedOrder() }()
		}
		if err := packBeneficiaryBlocks(k, st.bens, len(bens), func(i int) *vigil.Beneficiary { return &bens[i].Beneficiary }); err != nil {
			return err
		}
		if err := packAssignment(k, st.assign, assign, func(i int) int64 { return rowids[i] }); err != nil {
			return err
		}
		if pipelined {
			return packGraphRowsLanes(k, st, <-order, 2, g)
		}
		w := newGraphRowsWriter(k, st)
		if err := g.EachPrepared(w.add); err != nil {
			return err
		}
		return w.finish(g.Tables())
	}
	if pipelined {
		err = keepPipelined(ctx, pack)
	} else {
		err = pack(newKeepInserts(ctx))
	}
	if err != nil {
		return err
	}
	if err := saveRun(ctx, tx, run, len(bens)); err != nil {
		return err
	}
	return tx.Commit()
}

// clearKept empties what the store keeps for the graph, in tx.
func clearKept(ctx context.Context, tx *sql.Tx) error {
	for _, q := range []string{`DELETE FROM beneficiaries`, `DELETE FROM beneficiary_blocks`, `DELETE FROM beneficiary_assign`, `DELETE FROM graph_rows`, `DELETE FROM graph_tables`} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// keepStmts are the inserts of a kept resolution, prepared in its
// transaction.
type keepStmts struct {
	bens, assign, rows, tables *sql.Stmt
}

func prepareKeep(ctx context.Context, tx *sql.Tx) (*keepStmts, error) {
	st := &keepStmts{}
	for _, p := range []struct {
		st **sql.Stmt
		q  string
	}{
		{&st.bens, `INSERT INTO beneficiary_blocks (first_ben, n, data) VALUES (?, ?, ?)`},
		{&st.assign, `INSERT INTO beneficiary_assign (first_rowid, block) VALUES (?, ?)`},
		{&st.rows, `INSERT INTO graph_rows (first_row, n, rows, ids) VALUES (?, ?, ?, ?)`},
		{&st.tables, `INSERT INTO graph_tables (kind, list) VALUES (?, ?)`},
	} {
		var err error
		if *p.st, err = tx.PrepareContext(ctx, p.q); err != nil {
			st.close()
			return nil, err
		}
	}
	return st, nil
}

func (st *keepStmts) close() {
	for _, s := range []*sql.Stmt{st.bens, st.assign, st.rows, st.tables} {
		if s != nil {
			s.Close()
		}
	}
}

// saveAssignment empties what the store keeps for the graph and writes
// the n beneficiaries ben(0) … ben(n-1) and the assignment (the transfer
// with rowid rowid(i) to beneficiary assign[i], rowids ascending), in tx.
func saveAssignment(ctx context.Context, tx *sql.Tx, n int, ben func(int) *vigil.Beneficiary, assign []int32, rowid func(int) int64) error {
	if err := clearKept(ctx, tx); err != nil {
		return err
	}
	st, err := prepareKeep(ctx, tx)
	if err != nil {
		return err
	}
	defer st.close()
	k := newKeepInserts(ctx)
	if err := packBeneficiaryBlocks(k, st.bens, n, ben); err != nil {
		return err
	}
	return packAssignment(k, st.assign, assign, rowid)
}

// packAssignment writes the assignment (the transfer with rowid rowid(i)
// to beneficiary assign[i], rowids ascending) as blocks of assignBlock
// rowids, through ins.
func packAssignment(k *keepInserts, ins *sql.Stmt, assign []int32, rowid func(int) int64) error {
	block := k.buf(4 * assignBlock)
	var first int64 = -1
	flush := func() error {
		if first < 0 {
			return nil
		}
		err := k.exec(ins, first, block)
		block = k.buf(4 * assignBlock)
		return err
	}
	var prev int64
	for i := range assign {
		id := rowid(i)
		if id <= 0 || (i > 0 && id <= prev) {
			return vigil.Errorf(vigil.EINTERNAL, "save resolution: rowids not ascending at %d", i)
		}
		f := (id-1)/assignBlock*assignBlock + 1
		if f != first {
			if err := flush(); err != nil {
				return err
			}
			first = f
		}
		for int64(len(block)/4) < id-first { // rowids with no transfer
			block = binary.LittleEndian.AppendUint32(block, ^uint32(0))
		}
		block = binary.LittleEndian.AppendUint32(block, uint32(assign[i]))
		prev = id
	}
	return flush()
}

// saveGraphRows writes g's prepared rows and tables, in tx (the tables
// are empty: saveAssignment or the caller emptied them).
func saveGraphRows(ctx context.Context, tx *sql.Tx, g *graph.Graph) error {
	st, err := prepareKeep(ctx, tx)
	if err != nil {
		return err
	}
	defer st.close()
	w := newGraphRowsWriter(newKeepInserts(ctx), st)
	if err := g.EachPrepared(w.add); err != nil {
		return err
	}
	return w.finish(g.Tables())
}

// graphRowsWriter writes prepared rows (graph.Graph.EachPrepared, or
// graph.RowPreparer) into graph_rows in blocks of assignBlock rows, and
// their tables into graph_tables, through k.
type graphRowsWriter struct {
	k         *keepInserts
	st        *keepStmts
	rows, ids []byte
	row, n    int64
	c         rowCoder // the block's coding (graph_rows_compact.go)
}

func newGraphRowsWriter(k *keepInserts, st *keepStmts) *graphRowsWriter {
	w := &graphRowsWriter{k: k, st: st}
	w.rows, w.ids = w.bufs()
	return w
}

func (w *graphRowsWriter) bufs() (rows, ids []byte) {
	return w.k.buf(graph.PreparedRowSize * assignBlock), w.k.buf(16 * assignBlock)
}

// add appends the next row (its sender index, beneficiary, payment row
// and transfer id).
func (w *graphRowsWriter) add(s, ben int32, p *graph.Payment, id []byte) error {
	w.rows = w.c.appendRow(w.rows, s, ben, p)
	w.ids = w.c.appendID(w.ids, id)
	w.row++
	if w.n++; w.n == assignBlock {
		return w.flush()
	}
	return nil
}

func (w *graphRowsWriter) flush() error {
	if w.n == 0 {
		return nil
	}
	err := w.k.exec(w.st.rows, w.row-w.n, w.n, w.rows, w.ids)
	w.rows, w.ids = w.bufs()
	w.n = 0
	w.c = rowCoder{id: w.c.id[:0]} // each block decodes alone
	return err
}

// finish writes the last rows and the tables they index.
func (w *graphRowsWriter) finish(senders, currencies, purposes, cities []string) error {
	if err := w.flush(); err != nil {
		return err
	}
	for _, tb := range []struct {
		kind string
		list []string
	}{{"senders", senders}, {"currencies", currencies}, {"purposes", purposes}, {"cities", cities}} {
		if err := w.k.exec(w.st.tables, tb.kind, packList(tb.list)); err != nil {
			return err
		}
	}
	return nil
}

// packGraphRowsLanes writes g's prepared rows and tables as
// graphRowsWriter does (the same blocks of assignBlock rows, in order),
// the blocks packed on lanes goroutines, block b on lane b mod lanes, and
// handed to k in order: packing the rows is the longest part of a keep,
// and the writer (SQLite) keeps up with two packers.
func packGraphRowsLanes(k *keepInserts, st *keepStmts, order *graph.PreparedOrder, lanes int, g *graph.Graph) error {
	type block struct {
		rows, ids []byte
		first, n  int64
		err       error
	}
	n := order.Len()
	nb := (n + assignBlock - 1) / assignBlock
	stop := make(chan struct{})
	defer close(stop)
	out := make([]chan block, lanes)
	for l := range out {
		out[l] = make(chan block, 2)
		go func(l int) {
			for b := l; b < nb; b += lanes {
				lo, hi := b*assignBlock, min((b+1)*assignBlock, n)
				rows, ids := k.buf(graph.PreparedRowSize*assignBlock), k.buf(16*assignBlock)
				var c rowCoder
				err := order.EachIn(lo, hi, func(s, ben int32, p *graph.Payment, id []byte) error {
					rows = c.appendRow(rows, s, ben, p)
					ids = c.appendID(ids, id)
					return nil
				})
				select {
				case out[l] <- block{rows, ids, int64(lo), int64(hi - lo), err}:
				case <-stop:
					return
				}
				if err != nil {
					return
				}
			}
		}(l)
	}
	for b := range nb {
		bl := <-out[b%lanes]
		if bl.err != nil {
			return bl.err
		}
		if err := k.exec(st.rows, bl.first, bl.n, bl.rows, bl.ids); err != nil {
			return err
		}
	}
	w := &graphRowsWriter{k: k, st: st}
	return w.finish(g.Tables())
}

// saveRun records run (of nben beneficiaries) as the resolution in force,
// in tx, and sets its ID and Beneficiaries.
func saveRun(ctx context.Context, tx *sql.Tx, run *ResolutionRun, nben int) error {
	res, err := tx.ExecContext(ctx, `INSERT INTO beneficiary_runs (resolver, max_rowid, transfers, beneficiaries, started_at, finished_at, seconds)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, run.Resolver, run.MaxRowID, run.Transfers, nben,
		run.Started.UTC().Format(time.RFC3339Nano), run.Finished.UTC().Format(time.RFC3339Nano), run.Seconds)
	if err != nil {
		return err
	}
	if run.ID, err = res.LastInsertId(); err != nil {
		return err
	}
	run.Beneficiaries = nben
	return nil
}

// Beneficiaries returns the kept resolution's beneficiaries in order
// (ben = index), nil when none is kept. They are read from their blocks
// (beneficiary_blocks, migration 0004); a resolution kept before 0004 (a
// row each in the beneficiaries table) is of an older
// graph.ResolutionFormat, so LoadGraph makes it again rather than read it.
func (db *DB) Beneficiaries(ctx context.Context) ([]vigil.Beneficiary, error) {
	out, _, err := db.beneficiaryBlocks(ctx)
	return out, err
}

// prepareRaw prepares query on the driver's own connection dc (from
// sql.Conn.Raw); the caller closes st.
func prepareRaw(ctx context.Context, dc any, query string) (driver.Stmt, driver.StmtQueryContext, error) {
	var st driver.Stmt
	var err error
	if c, ok := dc.(driver.ConnPrepareContext); ok {
		st, err = c.PrepareContext(ctx, query)
	} else {
		st, err = dc.(driver.Conn).Prepare(query)
	}
	if err != nil {
		return nil, nil, err
	}
	q, ok := st.(driver.StmtQueryContext)
	if !ok {
		st.Close()
		return nil, nil, vigil.Errorf(vigil.EINTERNAL, "the SQLite driver has no QueryContext")
	}
	return st, q, nil
}

// rawRows runs query on a connection of its own through the driver
// itself and calls fn with each row's values (valid during the call).
func (db *DB) rawRows(ctx context.Context, query string, args []any, ncol int, fn func([]driver.Value) error) error {
	conn, err := db.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		st, q, err := prepareRaw(ctx, dc, query)
		if err != nil {
			return err
		}
		defer st.Close()
		named := make([]driver.NamedValue, len(args))
		for i, a := range args {
			named[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
		}
		rows, err := q.QueryContext(context.Background(), named)
		if err != nil {
			return err
		}
		defer rows.Close()
		dest := make([]driver.Value, ncol)
		for k := 0; ; k++ {
			if err := rows.Next(dest); err != nil {
				if err == io.EOF {
					return nil
				}
				return err
			}
			if err := fn(dest); err != nil {
				return err
			}
			if k&0xffff == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
		}
	})
}

func bytesOf(v driver.Value) []byte {
	switch x := v.(type) {
	case []byte:
		return x
	case string:
		return []byte(x)
	}
	return nil
}

// BeneficiaryAssignment reads the kept assignment of transfers to
// beneficiaries: the beneficiary (index into Beneficiaries) of the
// transfer with rowid r is a[r-1], -1 for none; rowids up to maxRowID.
func (db *DB) BeneficiaryAssignment(ctx context.Context, maxRowID int64) ([]int32, error) {
	a := make([]int32, maxRowID)
	for i := range a {
		a[i] = -1
	}
	rows, err := db.db.QueryContext(ctx, `SELECT first_rowid, block FROM beneficiary_assign ORDER BY first_rowid`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var first int64
		var block sql.RawBytes
		if err := rows.Scan(&first, &block); err != nil {
			return nil, err
		}
		for k := 0; k+4 <= len(block); k += 4 {
			if r := first + int64(k/4); r >= 1 && r <= maxRowID {
				a[r-1] = int32(binary.LittleEndian.Uint32(block[k:]))
			}
		}
	}
	return a, rows.Err()
}

func packList(xs []string) []byte {
	n := 0
	for _, x := range xs {
		n += len(x) + binary.MaxVarintLen32
	}
	b := make([]byte, 0, n)
	for _, x := range xs {
		b = binary.AppendUvarint(b, uint64(len(x)))
		b = append(b, x...)
	}
	return b
}

func unpackList(b []byte) ([]string, error) {
	var xs []string
	for len(b) > 0 {
		n, k := binary.Uvarint(b)
		if k <= 0 || uint64(len(b)-k) < n {
			return nil, errors.New("damaged list")
		}
		xs = append(xs, string(b[k:k+int(n)]))
		b = b[k+int(n):]
	}
	return xs, nil
}

// RowsOptions choose what ReadTransferRows reads.
type RowsOptions struct {
	// Recipient: also the recipient's id, name and country, which the
	// beneficiary resolver reads and a graph of a kept resolution does
	// not need.
	Recipient bool
	// Assigned: with each transfer its beneficiary in the kept
	// resolution (TransferBatch.Bens); every transfer read must have one.
	Assigned bool
	// MaxRowID bounds the rowids read; 0 reads every transfer.
	MaxRowID int64
	// Readers is the number of connections reading at once (default 2).
	Readers int
	// SharedText: the strings of a batch's transfers are views of a
	// buffer of the batch's, valid only until the next Next (the batch's
	// texts are reused), instead of a string of their own per row; for a
	// caller that copies what it keeps before it asks for the next batch
	// (LoadGraph's feed: batchTransfers.ReadShared). Through the driver
	// (no cgo) the strings are the rows' own either way.
	SharedText bool
	// CacheKiB, when > 0, bounds each reading connection's page cache for
	// the read (its usual size is restored after): one pass in rowid order
	// reads each page once, so a small cache reads as fast, and a process
	// that holds other state (vigil scan's engine) does not grow by the
	// connections' caches.
	CacheKiB int
}

// defaultCachePragma is the page cache every connection opens with.
const defaultCachePragma = "PRAGMA cache_size = -65536"

// TransferBatch is a run of transfers in rowid order. Transfers carry
// what the payment network needs: id, time, sender, the recipient's
// phone, account, city and birth date, amount, currency and purpose (with
// RowsOptions.Recipient also the recipient's id, name and country); not
// the sender's account, channel, provider or source.
type TransferBatch struct {
	Transfers []vigil.Transfer
	RowIDs    []int64
	Bens      []int32 // with RowsOptions.Assigned
	text      []byte  // the texts the strings are views of, with RowsOptions.SharedText
	// spans[i] holds every text of Transfers[i], its strings views of it
	// (with RowsOptions.SharedText, read through the C API; else empty).
	spans []string
}

// RowReader reads transfers in rowid order over several connections.
type RowReader struct {
	next   int
	outs   []chan *TransferBatch
	free   chan *TransferBatch
	done   chan struct{}
	wg     sync.WaitGroup
	errs   []error
	last   *TransferBatch
	closed bool
}

// rowChunk is the number of rowids one query reads: the connections
// take chunks in turn, so that both read while the reader consumes the
// chunks in order.
const rowChunk = 8192

// ReadTransferRows starts reading the stored transfers in rowid order
// (the order they were loaded in, which is the order of their files).
// Each connection reads every Readers-th chunk of 8,192 rowids, so the
// reading runs ahead on other goroutines while the caller consumes
// batches with Next. Close must be called.
func (db *DB) ReadTransferRows(ctx context.Context, opt RowsOptions) (*RowReader, error) {
	maxRow := opt.MaxRowID
	if maxRow <= 0 {
		if _, m, err := db.TransferExtent(ctx); err != nil {
			return nil, err
		} else {
			maxRow = m
		}
	}
	var assign []int32
	if opt.Assigned {
		var err error
		if assign, err = db.BeneficiaryAssignment(ctx, maxRow); err != nil {
			return nil, err
		}
	}
	p := opt.Readers
	if p <= 0 {
		p = 2
	}
	cols := `rowid, transfer_id, ts_ns, ts_off, sender_id, beneficiary_phone, beneficiary_account, beneficiary_city,
		beneficiary_birth_date, amount, currency, purpose`
	if opt.Recipient {
		cols += `, beneficiary_id, beneficiary_name, beneficiary_country`
	}
	query := `SELECT ` + cols + ` FROM transfers WHERE rowid >= ? AND rowid < ? ORDER BY rowid`
	rr := &RowReader{outs: make([]chan *TransferBatch, p), free: make(chan *TransferBatch, 3*p), done: make(chan struct{}), errs: make([]error, p)}
	chunks := int((maxRow + rowChunk - 1) / rowChunk)
	for k := range p {
		rr.outs[k] = make(chan *TransferBatch, 2)
		conn, err := db.db.Conn(ctx)
		if err != nil {
			rr.Close()
			return nil, err
		}
		rr.wg.Add(1)
		go func() {
			defer rr.wg.Done()
			defer close(rr.outs[k])
			defer conn.Close()
			if opt.CacheKiB > 0 {
				if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA cache_size = -%d", opt.CacheKiB)); err != nil {
					rr.errs[k] = err
					return
				}
				defer conn.ExecContext(context.Background(), defaultCachePragma)
			}
			rr.errs[k] = rr.read(ctx, conn, query, opt.Recipient, opt.SharedText, assign, k, p, chunks)
		}()
	}
	return rr, nil
}

// read runs on one connection: chunks k, k+p, k+2p … With mattn the
// rows are read through the C API, cRowsMax per cgo call (cRows); with
// modernc, without cgo, or when the C API cannot prepare the query,
// through the driver.
func (rr *RowReader) read(ctx context.Context, conn *sql.Conn, query string, recipient, shared bool, assign []int32, k, p, chunks int) error {
	return conn.Raw(func(dc any) error {
		ncol := 12
		if recipient {
			ncol = 15
		}
		var chunk func(bt *TransferBatch, lo int64) error
		if cr := prepareRows(dc, query, ncol); cr != nil {
			defer cr.close()
			chunk = func(bt *TransferBatch, lo int64) error { return rr.chunkC(cr, bt, lo, recipient, shared, assign) }
		} else {
			st, q, err := prepareRaw(ctx, dc, query)
			if err != nil {
				return err
			}
			defer st.Close()
			dest := make([]driver.Value, ncol)
			args := []driver.NamedValue{{Ordinal: 1}, {Ordinal: 2}}
			var v rowValues
			chunk = func(bt *TransferBatch, lo int64) error {
				args[0].Value, args[1].Value = lo, lo+rowChunk
				// A context without Done: the driver then steps without
				// watching for cancellation; the chunk loop checks ctx.
				rows, err := q.QueryContext(context.Background(), args)
				if err != nil {
					return err
				}
				defer rows.Close()
				for {
					if err := rows.Next(dest); err != nil {
						if err == io.EOF {
							return nil
						}
						return err
					}
					v.rowid, v.tsNS, v.tsOff = i64(dest[0]), i64(dest[2]), i64(dest[3])
					v.id, v.sender = str(dest[1]), str(dest[4])
					v.phone, v.account, v.city, v.birth = str(dest[5]), str(dest[6]), str(dest[7]), str(dest[8])
					v.amount, v.currency, v.purpose = i64(dest[9]), str(dest[10]), str(dest[11])
					if recipient {
						v.benID, v.benName, v.benCountry = str(dest[12]), str(dest[13]), str(dest[14])
					}
					if err := bt.add(&v, recipient, assign); err != nil {
						return err
					}
				}
			}
		}
		for c := k; c < chunks; c += p {
			if err := ctx.Err(); err != nil {
				return err
			}
			var bt *TransferBatch
			select {
			case bt = <-rr.free:
			default:
				bt = &TransferBatch{Transfers: make([]vigil.Transfer, 0, rowChunk), RowIDs: make([]int64, 0, rowChunk)}
			}
			bt.Transfers, bt.RowIDs, bt.Bens, bt.text, bt.spans = bt.Transfers[:0], bt.RowIDs[:0], bt.Bens[:0], bt.text[:0], bt.spans[:0]
			if err := chunk(bt, int64(c)*rowChunk+1); err != nil {
				return err
			}
			select {
			case rr.outs[k] <- bt:
			case <-rr.done:
				return nil
			}
		}
		return nil
	})
}

// chunkC reads the rows of rowids lo … lo+rowChunk-1 into bt through cr.
// Each row's texts are one string (a copy, never reused), which its
// fields slice: a string the graph keeps (a new sender's id, a city)
// keeps its row's texts alive, not a whole chunk's. With shared, the
// texts are appended to bt.text instead, and the strings are views of it.
func (rr *RowReader) chunkC(cr *cRows, bt *TransferBatch, lo int64, recipient, shared bool, assign []int32) error {
	if err := cr.query(lo, lo+rowChunk); err != nil {
		return err
	}
	var v rowValues
	for {
		n, err := cr.next()
		if err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		for i := range n {
			r := cr.row(i)
			var s string
			var base int64
			if shared {
				s, base = cr.rowTextInto(r, &bt.text)
			} else {
				s, base = cr.rowText(r)
			}
			v.rowid, v.tsNS, v.tsOff = cI64(r, 0), cI64(r, 2), cI64(r, 3)
			v.id, v.sender = cStr(r, 1, s, base), cStr(r, 4, s, base)
			v.phone, v.account, v.city, v.birth = cStr(r, 5, s, base), cStr(r, 6, s, base), cStr(r, 7, s, base), cStr(r, 8, s, base)
			v.amount, v.currency, v.purpose = cI64(r, 9), cStr(r, 10, s, base), cStr(r, 11, s, base)
			if recipient {
				v.benID, v.benName, v.benCountry = cStr(r, 12, s, base), cStr(r, 13, s, base), cStr(r, 14, s, base)
			}
			if err := bt.add(&v, recipient, assign); err != nil {
				return err
			}
			if shared {
				bt.spans = append(bt.spans, s)
			}
		}
	}
}

// rowValues are the columns of one row of ReadTransferRows' query, as
// str and i64 read them.
type rowValues struct {
	rowid, tsNS, tsOff, amount                                 int64
	id, sender, phone, account, city, birth, currency, purpose string
	benID, benName, benCountry                                 string
}

// add appends the transfer of one row (and its rowid and, with assign,
// its beneficiary).
func (bt *TransferBatch) add(v *rowValues, recipient bool, assign []int32) error {
	bt.Transfers = append(bt.Transfers, vigil.Transfer{})
	t := &bt.Transfers[len(bt.Transfers)-1]
	t.ID, t.SenderID = v.id, v.sender
	t.Timestamp = time.Unix(0, v.tsNS).In(zoneAt(int(v.tsOff)))
	t.BeneficiaryPhone, t.BeneficiaryAccount, t.BeneficiaryCity = v.phone, v.account, v.city
	if b := v.birth; b != "" {
		d, reason := vigil.ParseDate(b)
		if reason != "" {
			return vigil.Errorf(vigil.EINTERNAL, "stored transfer %s: beneficiary_birth_date %q: %s", t.ID, b, reason)
		}
		t.BeneficiaryBirthDate = d
	}
	t.Amount, t.Currency, t.Purpose = vigil.Amount(v.amount), v.currency, v.purpose
	if recipient {
		t.BeneficiaryID, t.BeneficiaryName, t.BeneficiaryCountry = v.benID, v.benName, v.benCountry
	}
	bt.RowIDs = append(bt.RowIDs, v.rowid)
	if assign != nil {
		ben := int32(-1)
		if v.rowid >= 1 && v.rowid <= int64(len(assign)) {
			ben = assign[v.rowid-1]
		}
		if ben < 0 {
			return vigil.Errorf(vigil.EINTERNAL, "stored transfer %s (rowid %d) has no beneficiary in the kept resolution", t.ID, v.rowid)
		}
		bt.Bens = append(bt.Bens, ben)
	}
	return nil
}

// Next returns the next batch in rowid order, false at the end. The
// batch is valid until the next call.
func (rr *RowReader) Next() (*TransferBatch, bool, error) {
	if rr.last != nil {
		select {
		case rr.free <- rr.last:
		default:
		}
		rr.last = nil
	}
	for {
		bt, ok := <-rr.outs[rr.next%len(rr.outs)]
		if !ok {
			rr.Close()
			for _, err := range rr.errs {
				if err != nil {
					return nil, false, err
				}
			}
			return nil, false, nil
		}
		rr.next++
		if len(bt.Transfers) == 0 {
			select {
			case rr.free <- bt:
			default:
			}
			continue
		}
		rr.last = bt
		return bt, true, nil
	}
}

// Close stops the reading and releases the connections.
func (rr *RowReader) Close() {
	if rr.closed {
		return
	}
	rr.closed = true
	close(rr.done)
	for _, ch := range rr.outs {
		if ch != nil {
			for range ch {
			}
		}
	}
	rr.wg.Wait()
}

func str(v driver.Value) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	}
	return ""
}

func i64(v driver.Value) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case float64:
		return int64(x)
	}
	return 0
}
