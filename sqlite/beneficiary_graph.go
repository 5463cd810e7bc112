package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"io"
	"sync"
	"time"
	"unsafe"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/graph"
)

// GraphOptions configure LoadGraph.
type GraphOptions struct {
	// Graph configures the builder. Its Resolver must be nil: the store's
	// graph is resolved by resolve.BeneficiaryResolver (the version
	// graph.ResolverVersion names) or by the resolution it keeps.
	Graph graph.Options
	// Parties are the domestic parties (names for the honest-tie check);
	// nil reads their ids and names from the store.
	Parties []vigil.Party
	// PartiesLater, when set and Parties is nil, gives the domestic
	// parties instead: it is called on a goroutine of its own while the
	// transfers are read, and may wait for a read the caller started (the
	// caller reads them anyway, so the graph need not read them again).
	PartiesLater func() ([]vigil.Party, error)
	// Log, when set, is told whether the kept resolution was used or made
	// (and why), with its cost.
	Log io.Writer
	// Readers is the number of connections reading transfers (default 2).
	Readers int
	// KeepLater, when the resolution is made here, keeps it on a
	// goroutine of its own after LoadGraph returned, so that the caller's
	// work on the graph (a trace, writing its output) overlaps the keep,
	// which is mostly SQLite writing on one core. The caller must then
	// call GraphReport.WaitKeep before it closes the store or exits (a
	// keep cut short is rolled back: the next build resolves again), and
	// must not use the store meanwhile: the keep may hold it alone.
	KeepLater bool
}

// GraphReport says how LoadGraph built the graph.
type GraphReport struct {
	// Resolved is true when the recipients were resolved in this build
	// (and the resolution kept), false when the kept one was used.
	Resolved bool
	// Why says why it was resolved: "none kept", "N transfers added", "made
	// by another resolver".
	Why string
	// Run is the resolution the graph was built on (nil when it was
	// resolved but could not be kept: KeepErr says why).
	Run     *ResolutionRun
	KeepErr error
	// Build is the time to read and build; Keep the time to store the
	// resolution (0 when not resolved).
	Build, Keep time.Duration

	// With GraphOptions.KeepLater: closed when the keep has ended (Run,
	// KeepErr and Keep are set then); log is where WaitKeep reports it.
	kept chan struct{}
	log  io.Writer
	n    int64
	nben int
}

// WaitKeep waits for a keep LoadGraph left running (GraphOptions.
// KeepLater), reports it as LoadGraph reports a keep of its own (on
// GraphOptions.Log), and returns KeepErr. Without one it returns KeepErr
// at once. Safe to call more than once (it reports once).
func (r *GraphReport) WaitKeep() error {
	if r == nil {
		return nil
	}
	if r.kept != nil {
		<-r.kept
		r.kept = nil
		r.logKeep()
	}
	return r.KeepErr
}

// logKeep says on r.log whether the resolution was kept, and its cost.
func (r *GraphReport) logKeep() {
	if r.log == nil {
		return
	}
	if r.KeepErr != nil {
		fmt.Fprintf(r.log, "vigil: the beneficiary resolution could not be kept in the store (the next trace resolves again): %v\n", r.KeepErr)
		return
	}
	fmt.Fprintf(r.log, "vigil: %d transfers resolved into %d beneficiaries and the graph built in %s; kept in the store in %s\n",
		r.n, r.nben, r.Build.Round(time.Millisecond), r.Keep.Round(time.Millisecond))
}

// LoadGraph builds the payment network of the stored transfers, in the
// order they were loaded (rowid order, the order of their files, so that
// the graph is the one `vigil trace --parties --transfers` builds from
// the same files). It resolves recipients into beneficiaries only when
// the store keeps no resolution covering every stored transfer made by
// this binary's resolver; it then keeps the resolution it made, so that
// the next build reads it instead. A resolution that does not cover the
// store (transfers were added, or the resolver changed) is made again
// over every transfer: the resolver's state is not kept, so the new
// transfers cannot be resolved alone with the same result.
func (db *DB) LoadGraph(ctx context.Context, opt GraphOptions) (*graph.Graph, *GraphReport, error) {
	if opt.Graph.Resolver != nil {
		return nil, nil, vigil.Errorf(vigil.EINTERNAL, "sqlite: LoadGraph resolves with the default resolver; Options.Resolver must be nil")
	}
	start := time.Now()
	var maxRow int64
	if err := db.db.QueryRowContext(ctx, `SELECT coalesce(max(rowid), 0) FROM transfers`).Scan(&maxRow); err != nil {
		return nil, nil, err
	}
	// The count of the transfers scans an index of them (5M: ~0.25 CPU
	// s), so it runs beside the build and is checked where it is needed:
	// the build itself reads by rowid up to maxRow.
	type counted struct {
		n   int64
		err error
	}
	cc := make(chan counted, 1)
	go func() {
		var n int64
		err := db.onePass(ctx, func(conn *sql.Conn) error {
			return conn.QueryRowContext(ctx, `SELECT count(*) FROM transfers`).Scan(&n)
		})
		cc <- counted{n, err}
	}()
	count := sync.OnceValues(func() (int64, error) { c := <-cc; return c.n, c.err })
	// covers says why the kept resolution run does not cover the stored
	// transfers ("" when it does: transfers are never deleted, so new
	// ones show in both figures).
	covers := func(run *ResolutionRun) (string, error) {
		n, err := count()
		if err != nil || (run.MaxRowID == maxRow && run.Transfers == n) {
			return "", err
		}
		return fmt.Sprintf("the kept resolution covers %d transfers and the store now holds %d", run.Transfers, n), nil
	}
	run, err := db.ResolutionRun(ctx)
	if err != nil {
		return nil, nil, err
	}
	version := keptVersion()
	rep := &GraphReport{}
	switch {
	case run == nil:
		rep.Why = "the store keeps no beneficiary resolution yet"
	case run.Resolver != version:
		rep.Why = fmt.Sprintf("the kept resolution was made by another resolver (%s; this binary's is %s)", run.Resolver, version)
	case run.MaxRowID != maxRow:
		if rep.Why, err = covers(run); err != nil {
			return nil, nil, err
		}
	}
	// A hint: the count when no rowid was left unused (always, as loads
	// only append).
	opt.Graph.SizeHint = int(maxRow)
	parties := func(b *graph.Builder) error {
		ps := opt.Parties
		if ps == nil && opt.PartiesLater != nil {
			var err error
			if ps, err = opt.PartiesLater(); err != nil {
				return err
			}
		}
		if ps != nil {
			for i := range ps {
				b.AddParty(&ps[i])
			}
			return nil
		}
		return db.eachPartyName(ctx, b.AddParty)
	}
	if rep.Why == "" {
		rows, err := db.keptGraphRows(ctx)
		if err != nil {
			return nil, nil, err
		}
		if !rows {
			// vigil scan kept the resolution but not the graph's rows.
			if rep.Why, err = covers(run); err != nil {
				return nil, nil, err
			}
			if rep.Why == "" {
				return db.assignedGraph(ctx, run, opt, parties, maxRow, start)
			}
		} else {
			// The rows are replayed while the transfers are counted: a
			// count the run does not cover (transfers deleted, by hand)
			// drops the replay and resolves.
			g, err := db.keptGraph(ctx, run, opt, parties)
			why, cerr := covers(run)
			if cerr != nil {
				return nil, nil, cerr
			}
			if why == "" {
				if err != nil {
					return nil, nil, err
				}
				rep.Run, rep.Build = run, time.Since(start)
				if opt.Log != nil {
					fmt.Fprintf(opt.Log, "vigil: beneficiary resolution kept in the store used (run %d, %d transfers, %d beneficiaries, made %s)\n",
						run.ID, run.Transfers, run.Beneficiaries, run.Finished.UTC().Format(time.RFC3339))
				}
				return g, rep, nil
			}
			rep.Why = why
		}
	}

	if opt.Log != nil {
		fmt.Fprintf(opt.Log, "vigil: resolving the recipients of every stored transfer into beneficiaries: %s; the resolution is kept in the store for the next trace\n", rep.Why)
	}
	rep.Resolved = true
	opt.Graph.KeepAssignment = true
	b := graph.NewBuilder(opt.Graph)
	// The parties' names are read and prepared on a goroutine of their
	// own while the transfers are fed (as vigil trace does from files);
	// the builder takes them after.
	type namesRead struct {
		pn  *graph.PartyNames
		err error
	}
	nc := make(chan namesRead, 1)
	go func() {
		ps, err := db.graphParties(ctx, opt)
		var pn *graph.PartyNames
		if err == nil {
			pn = graph.NewPartyNames(ps)
		}
		nc <- namesRead{pn, err}
	}()
	// The rows' texts are shared (no string per row) and copied into the
	// feed's own buffers (batchTransfers.ReadShared), which graph.Feed
	// uses with its default resolver and no Scorer; otherwise Read gives
	// each row strings of its own.
	rr, err := db.ReadTransferRows(ctx, RowsOptions{Recipient: true, MaxRowID: maxRow, Readers: opt.Readers, SharedText: true, CacheKiB: onePassCacheKiB})
	if err != nil {
		return nil, nil, err
	}
	defer rr.Close()
	src := &batchTransfers{rr: rr, rowids: make([]int64, 0, maxRow), shared: true}
	n, err := b.Feed(ctx, src, func(err error) error { return err })
	if err != nil {
		return nil, nil, err
	}
	nr := <-nc
	if nr.err != nil {
		return nil, nil, nr.err
	}
	b.AddPartyNames(nr.pn)
	g := b.Build()
	rep.Build = time.Since(start)
	newRun := &ResolutionRun{Resolver: version, MaxRowID: maxRow, Transfers: n, Started: start}
	stored, err := count()
	if err != nil {
		return nil, nil, err
	}
	if n != int64(len(src.rowids)) || n != stored {
		// Transfers were added while reading: keep what was read.
		newRun.Transfers = int64(len(src.rowids))
	}
	k0 := time.Now()
	newRun.Finished = k0
	newRun.Seconds = k0.Sub(start).Seconds()
	rep.log, rep.n, rep.nben = opt.Log, n, len(g.Beneficiaries)
	keep := func() {
		if err := db.SaveResolution(ctx, newRun, g, src.rowids); err != nil {
			rep.KeepErr = err
		} else {
			rep.Run = newRun
		}
		rep.Keep = time.Since(k0)
	}
	if opt.KeepLater {
		rep.kept = make(chan struct{})
		go func() {
			defer close(rep.kept)
			keep()
		}()
		return g, rep, nil
	}
	keep()
	rep.logKeep()
	return g, rep, nil
}

// onePassCacheKiB is the page cache of a connection that reads a table
// or an index once, in order (the transfers' rows and count, the parties'
// names of a build that resolves): each page is read once, so the usual
// 64 MiB would only be memory the process touches for nothing (5M: four
// connections, ~250 MB, each page of it a fault).
const onePassCacheKiB = 2048

// onePass runs fn on a connection of its own whose page cache is
// onePassCacheKiB for the call (the usual size is restored after).
func (db *DB) onePass(ctx context.Context, fn func(conn *sql.Conn) error) error {
	conn, err := db.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA cache_size = -%d", onePassCacheKiB)); err != nil {
		return err
	}
	defer conn.ExecContext(context.Background(), defaultCachePragma)
	return fn(conn)
}

// batchTransfers serves a RowReader's batches one transfer at a time
// (graph.TransferReader), noting the rowid of each. With shared, the
// reader's strings are views of its batch (RowsOptions.SharedText): Read
// copies them into a string of the row's own, ReadShared into the
// caller's buffer.
type batchTransfers struct {
	rr     *RowReader
	bt     *TransferBatch
	i      int
	rowids []int64
	shared bool
}

// Read fills t with the next transfer, its strings its own.
func (s *batchTransfers) Read(t *vigil.Transfer) error {
	if !s.shared {
		return s.next(t)
	}
	var b []byte
	return s.ReadShared(t, &b)
}

// ReadShared fills t with the next transfer, appending its texts to *buf
// and making its strings views of them (as csv.TransferReader.ReadShared
// does, for graph.Feed): valid while the caller leaves that part of *buf
// unchanged.
func (s *batchTransfers) ReadShared(t *vigil.Transfer, buf *[]byte) error {
	if err := s.next(t); err != nil {
		return err
	}
	fields := [...]*string{&t.ID, &t.SenderID, &t.SenderAccount, &t.BeneficiaryID, &t.BeneficiaryName, &t.BeneficiaryPhone,
		&t.BeneficiaryAccount, &t.BeneficiaryCity, &t.BeneficiaryCountry, &t.Currency, &t.Purpose, &t.Provider, &t.Source}
	// The row's texts lie together in one span (RowReader's C read): it
	// is copied at once and the strings moved onto the copy, instead of
	// a copy per string.
	if i := s.i - 1; i < len(s.bt.spans) {
		if span := s.bt.spans[i]; span != "" && within(fields[:], span) {
			from := uintptr(unsafe.Pointer(unsafe.StringData(span)))
			off := len(*buf)
			*buf = append(*buf, span...)
			to := unsafe.Pointer(&(*buf)[off])
			for _, f := range fields {
				if n := len(*f); n > 0 {
					at := uintptr(unsafe.Pointer(unsafe.StringData(*f))) - from
					*f = unsafe.String((*byte)(unsafe.Add(to, at)), n)
				}
			}
			return nil
		}
	}
	var lens [len(fields)]int
	off := len(*buf)
	for i, f := range fields {
		lens[i] = len(*f)
		*buf = append(*buf, *f...)
	}
	if len(*buf) == off {
		return nil
	}
	b := (*buf)[off:]
	all := unsafe.String(&b[0], len(b))
	at := 0
	for i, f := range fields {
		*f = all[at : at+lens[i]]
		at += lens[i]
	}
	return nil
}

// within reports whether every non-empty string of fields is a view of
// span.
func within(fields []*string, span string) bool {
	lo := uintptr(unsafe.Pointer(unsafe.StringData(span)))
	for _, f := range fields {
		if n := len(*f); n > 0 {
			at := uintptr(unsafe.Pointer(unsafe.StringData(*f)))
			if at < lo || n > len(span) || at-lo > uintptr(len(span)-n) {
				return false
			}
		}
	}
	return true
}

func (s *batchTransfers) next(t *vigil.Transfer) error {
	for s.bt == nil || s.i == len(s.bt.Transfers) {
		bt, ok, err := s.rr.Next()
		if err != nil {
			return err
		}
		if !ok {
			return io.EOF
		}
		s.bt, s.i = bt, 0
	}
	*t = s.bt.Transfers[s.i]
	s.rowids = append(s.rowids, s.bt.RowIDs[s.i])
	s.i++
	return nil
}

// graphParties returns the domestic parties the graph takes names from,
// as LoadGraph's parties gives them: opt.Parties, else opt.PartiesLater's
// when it gives some, else the store's ids and names.
func (db *DB) graphParties(ctx context.Context, opt GraphOptions) ([]vigil.Party, error) {
	if opt.Parties != nil {
		return opt.Parties, nil
	}
	if opt.PartiesLater != nil {
		if ps, err := opt.PartiesLater(); err != nil || ps != nil {
			return ps, err
		}
	}
	return db.partyNames(ctx)
}

// eachPartyName calls fn with every stored party's id and full name.
func (db *DB) eachPartyName(ctx context.Context, fn func(*vigil.Party)) error {
	var p vigil.Party
	return db.rawRows(ctx, `SELECT party_id, full_name FROM parties`, nil, 2, func(v []driver.Value) error {
		p.ID, p.FullName = str(v[0]), str(v[1])
		fn(&p)
		return nil
	})
}

// keptGraph builds the graph from what the store keeps: the
// beneficiaries, the tables and the prepared rows, read while the
// beneficiaries are decoded.
func (db *DB) keptGraph(ctx context.Context, run *ResolutionRun, opt GraphOptions, parties func(*graph.Builder) error) (*graph.Graph, error) {
	// The blocks are read and decoded from their compact coding
	// (graph_rows_compact.go) on another goroutine, into fixed rows and
	// ids, while this one replays them; their buffers come back through
	// free.
	type block struct {
		first, n int64
		rows     []byte   // n fixed rows (graph.PreparedRowSize bytes each)
		ids      []byte   // the n transfer ids, one after another
		idEnd    []uint32 // where each id ends in ids
	}
	blocks := make(chan *block, 4)
	free := make(chan *block, 6)
	stop := make(chan struct{})
	defer close(stop)
	errc := make(chan error, 1)
	go func() {
		defer close(blocks)
		errc <- func() error {
			rows, err := db.db.QueryContext(ctx, `SELECT first_row, n, rows, ids FROM graph_rows ORDER BY first_row`)
			if err != nil {
				return err
			}
			defer rows.Close()
			var next int64
			var c rowCoder
			for rows.Next() {
				var bl *block
				select {
				case bl = <-free:
				default:
					bl = new(block)
				}
				var crows, cids sql.RawBytes
				if err := rows.Scan(&bl.first, &bl.n, &crows, &cids); err != nil {
					return err
				}
				if bl.first != next || bl.n < 0 {
					return vigil.Errorf(vigil.EINTERNAL, "store %s: kept graph rows from %d: expected row %d (damaged)", db.path, bl.first, next)
				}
				c = rowCoder{id: c.id[:0]} // each block decodes alone
				bl.rows, bl.ids, bl.idEnd = bl.rows[:0], bl.ids[:0], bl.idEnd[:0]
				for k := int64(0); k < bl.n; k++ {
					var row, id []byte
					var err error
					if row, crows, err = c.nextRow(crows); err == nil {
						id, cids, err = c.nextID(cids)
					}
					if err != nil {
						return vigil.Errorf(vigil.EINTERNAL, "store %s: kept graph row %d: %v", db.path, next+k, err)
					}
					bl.rows = append(bl.rows, row...)
					bl.ids = append(bl.ids, id...)
					bl.idEnd = append(bl.idEnd, uint32(len(bl.ids)))
				}
				if len(crows) != 0 || len(cids) != 0 {
					return vigil.Errorf(vigil.EINTERNAL, "store %s: kept graph rows from %d: bytes past row %d (damaged)", db.path, bl.first, next+bl.n)
				}
				next += bl.n
				select {
				case blocks <- bl:
				case <-stop:
					return nil
				}
			}
			return rows.Err()
		}()
	}()
	var tables [4][]string
	for i, kind := range []string{"senders", "currencies", "purposes", "cities"} {
		var list []byte
		if err := db.db.QueryRowContext(ctx, `SELECT list FROM graph_tables WHERE kind = ?`, kind).Scan(&list); err != nil {
			return nil, vigil.Errorf(vigil.EINTERNAL, "store %s: kept graph table %s: %v", db.path, kind, err)
		}
		var err error
		if tables[i], err = unpackList(list); err != nil {
			return nil, vigil.Errorf(vigil.EINTERNAL, "store %s: kept graph table %s: %v", db.path, kind, err)
		}
	}
	// The beneficiaries are read on another goroutine while the rows
	// are replayed: the builder takes them before Build.
	type bensRead struct {
		bens []vigil.Beneficiary
		err  error
	}
	bc := make(chan bensRead, 1)
	go func() {
		bens, err := db.Beneficiaries(ctx)
		bc <- bensRead{bens, err}
	}()
	opt.Graph.Resolver = graph.FixedResolution(nil)
	b := graph.NewBuilder(opt.Graph)
	if err := b.SetTables(tables[0], tables[1], tables[2], tables[3]); err != nil {
		return nil, err
	}
	// Parties' names go into the builder's own map on a third goroutine
	// (AddPrepared does not touch it); joined before Build.
	pc := make(chan error, 1)
	go func() { pc <- parties(b) }()
	var p graph.Payment
	var next int64
	for bl := range blocks {
		var from uint32
		for k := int64(0); k < bl.n; k++ {
			s, ben := graph.DecodePrepared(bl.rows[k*graph.PreparedRowSize:], &p)
			if err := b.AddPrepared(s, ben, &p, bl.ids[from:bl.idEnd[k]]); err != nil {
				return nil, err
			}
			from = bl.idEnd[k]
		}
		next += bl.n
		select {
		case free <- bl:
		default:
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	if err := <-errc; err != nil {
		return nil, err
	}
	if next != run.Transfers {
		return nil, vigil.Errorf(vigil.EINTERNAL, "store %s: the kept graph has %d rows, its run record %d transfers (damaged)", db.path, next, run.Transfers)
	}
	if err := <-pc; err != nil {
		return nil, err
	}
	br := <-bc
	if br.err != nil {
		return nil, br.err
	}
	if len(br.bens) != run.Beneficiaries {
		return nil, vigil.Errorf(vigil.EINTERNAL, "store %s: the kept resolution lists %d beneficiaries, its run record %d (damaged)", db.path, len(br.bens), run.Beneficiaries)
	}
	if err := b.SetResolution(br.bens); err != nil {
		return nil, err
	}
	return b.Build(), nil
}
