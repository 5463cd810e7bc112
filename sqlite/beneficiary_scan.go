package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/graph"
)

// The resolution vigil scan keeps. A scan of the store resolves every
// stored transfer's recipient with the same resolver as the graph
// (detect.Engine.Resolver, resolve.BeneficiaryResolver). When it observes
// the transfers in rowid order (the order LoadGraph resolves in; true
// when they were loaded in time order) and this binary's graph resolves
// with the same resolver (graph.KeptVersion), its clustering is the one
// the first trace would make, so it is kept (SaveScanResolution): the
// beneficiaries and each transfer's beneficiary; then the graph's
// prepared rows, made in a stream after the scan (KeepScanGraphRows), so
// that the first LoadGraph replays them as later ones do. When the rows
// could not be kept, LoadGraph builds from the kept assignment without
// resolving, and keeps the prepared rows it makes.

// ScanResolution collects, transfer by transfer as a scan observes them,
// the record node the resolver gave each, to be kept.
type ScanResolution struct {
	nodes       []int32
	first, last int64   // rowids of the first and the last transfer observed
	rowids      []int64 // every rowid once one was not the last + 1; nil before (5M rowids need no 40 MB)
	inOrder     bool
	started     time.Time
}

// NewScanResolution starts collecting for a scan of n transfers (a hint).
func NewScanResolution(n int) *ScanResolution {
	return &ScanResolution{nodes: make([]int32, 0, n), inOrder: true, started: time.Now()}
}

// Observed notes that the transfer with rowid was resolved to record
// node (detect.Engine.LastRecord after it was observed).
func (s *ScanResolution) Observed(rowid int64, node int32) {
	n := len(s.nodes)
	if n == 0 {
		s.first = rowid
	} else if rowid <= s.last {
		s.inOrder = false
	}
	if s.rowids == nil && n > 0 && rowid != s.last+1 {
		s.rowids = make([]int64, n, cap(s.nodes))
		for i := range s.rowids {
			s.rowids[i] = s.first + int64(i)
		}
	}
	if s.rowids != nil {
		s.rowids = append(s.rowids, rowid)
	}
	s.last = rowid
	s.nodes = append(s.nodes, node)
}

// rowID returns the rowid of the i-th transfer observed.
func (s *ScanResolution) rowID(i int) int64 {
	if s.rowids != nil {
		return s.rowids[i]
	}
	return s.first + int64(i)
}

// InOrder reports whether every transfer so far came in rowid order.
func (s *ScanResolution) InOrder() bool { return s.inOrder }

// EachTransferRow calls fn for every stored transfer in the order
// EachTransfer gives them (time, then id) with its rowid. t is reused
// between calls: fn copies what it keeps.
func (db *DB) EachTransferRow(ctx context.Context, fn func(rowid int64, t *vigil.Transfer) error) error {
	rows, err := db.db.QueryContext(ctx, `SELECT `+transferCols+`, transfers.rowid FROM `+transferFrom+` ORDER BY ts_ns, transfer_id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	t := new(vigil.Transfer)
	var rowid int64
	sc := newTransferScanner(t)
	sc.dest = append(sc.dest, &rowid)
	for rows.Next() {
		*t = vigil.Transfer{}
		if err := sc.scan(rows, t); err != nil {
			return err
		}
		if err := fn(rowid, t); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ScanResolver is what SaveScanResolution reads of the scan's resolver
// (resolve.BeneficiaryResolver).
type ScanResolver interface {
	ID(node int32) string
	Beneficiaries() []vigil.Beneficiary
}

// KeepsResolution reports whether the store already keeps a resolution
// that this binary's graph can use over every stored transfer (so a scan
// need not keep one).
func (db *DB) KeepsResolution(ctx context.Context) (bool, error) {
	count, maxRow, err := db.TransferExtent(ctx)
	if err != nil {
		return false, err
	}
	run, err := db.ResolutionRun(ctx)
	if err != nil || run == nil {
		return false, err
	}
	return run.Resolver == keptVersion() && run.MaxRowID == maxRow && run.Transfers == count, nil
}

// SaveScanResolution keeps the resolution a scan made (s, with the scan
// resolver r after the last transfer) when it covers every stored
// transfer in rowid order; it returns the run kept, or nil and why not.
// Only a binary whose graph resolves with the same resolver may call it
// (vigil scan: detect.Engine and graph both use
// resolve.BeneficiaryResolver; the run is marked keptVersion()).
func (db *DB) SaveScanResolution(ctx context.Context, s *ScanResolution, r ScanResolver) (*ResolutionRun, string, error) {
	if !s.inOrder {
		return nil, "the scan did not read the transfers in the order they were loaded", nil
	}
	count, maxRow, err := db.TransferExtent(ctx)
	if err != nil {
		return nil, "", err
	}
	if int64(len(s.nodes)) != count || (count > 0 && s.last != maxRow) {
		return nil, fmt.Sprintf("the scan read %d transfers and the store now holds %d", len(s.nodes), count), nil
	}
	if count == 0 {
		return nil, "no transfers", nil
	}
	bens := r.Beneficiaries()
	index := make(map[string]int32, len(bens))
	for i := range bens {
		index[bens[i].ID] = int32(i)
	}
	if len(index) != len(bens) {
		return nil, "", vigil.Errorf(vigil.EINTERNAL, "save scan resolution: the resolver lists %d beneficiaries under %d ids", len(bens), len(index))
	}
	// Each record node's final beneficiary, looked up once per node
	// (record nodes are numbered from 0 as the resolver makes them).
	var maxNode int32 = -1
	for _, node := range s.nodes {
		if node < 0 {
			return nil, "", vigil.Errorf(vigil.EINTERNAL, "save scan resolution: record node %d", node)
		}
		maxNode = max(maxNode, node)
	}
	memo := make([]int32, maxNode+1)
	for i := range memo {
		memo[i] = -1
	}
	assign := make([]int32, len(s.nodes))
	for i, node := range s.nodes {
		b := memo[node]
		if b < 0 {
			id := r.ID(node)
			k, found := index[id]
			if !found {
				return nil, "", vigil.Errorf(vigil.EINTERNAL, "save scan resolution: beneficiary %s of record %d is not listed", id, node)
			}
			b = k
			memo[node] = b
		}
		assign[i] = b
	}
	run := &ResolutionRun{Resolver: keptVersion(), MaxRowID: maxRow, Transfers: count, Started: s.started, Finished: time.Now()}
	run.Seconds = run.Finished.Sub(run.Started).Seconds()
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, "", err
	}
	defer tx.Rollback()
	if err := saveAssignment(ctx, tx, len(bens), func(i int) *vigil.Beneficiary { return &bens[i] }, assign, s.rowID); err != nil {
		return nil, "", err
	}
	if err := saveRun(ctx, tx, run, len(bens)); err != nil {
		return nil, "", err
	}
	return run, "", tx.Commit()
}

// keptGraphRows reports whether the kept resolution has its graph rows
// (a scan keeps the resolution without them).
func (db *DB) keptGraphRows(ctx context.Context) (bool, error) {
	var n int64
	err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM graph_tables`).Scan(&n)
	return n > 0, err
}

// assignedGraph builds the graph from the stored transfers and the kept
// assignment (a resolution vigil scan kept), without resolving, and
// keeps the graph's prepared rows so that the next build replays them.
func (db *DB) assignedGraph(ctx context.Context, run *ResolutionRun, opt GraphOptions, parties func(*graph.Builder) error, maxRow int64, start time.Time) (*graph.Graph, *GraphReport, error) {
	if opt.Log != nil {
		fmt.Fprintf(opt.Log, "vigil: the beneficiary resolution kept by vigil scan used (run %d, %d transfers, %d beneficiaries); the graph's rows are prepared and kept for the next trace\n",
			run.ID, run.Transfers, run.Beneficiaries)
	}
	bens, err := db.Beneficiaries(ctx)
	if err != nil {
		return nil, nil, err
	}
	if len(bens) != run.Beneficiaries {
		return nil, nil, vigil.Errorf(vigil.EINTERNAL, "store %s: the kept resolution lists %d beneficiaries, its run record %d (damaged)", db.path, len(bens), run.Beneficiaries)
	}
	opt.Graph.Resolver = graph.FixedResolution(bens)
	b := graph.NewBuilder(opt.Graph)
	rr, err := db.ReadTransferRows(ctx, RowsOptions{Assigned: true, MaxRowID: maxRow, Readers: opt.Readers})
	if err != nil {
		return nil, nil, err
	}
	defer rr.Close()
	pc := make(chan error, 1)
	go func() { pc <- parties(b) }()
	var ab graph.AssignedBatch
	n, err := b.FeedAssigned(ctx, func() (*graph.AssignedBatch, bool, error) {
		bt, ok, err := rr.Next()
		if !ok || err != nil {
			return nil, ok, err
		}
		ab.Transfers, ab.Bens = bt.Transfers, bt.Bens
		return &ab, true, nil
	})
	if perr := <-pc; err == nil {
		err = perr
	}
	if err != nil {
		return nil, nil, err
	}
	if n != run.Transfers {
		return nil, nil, vigil.Errorf(vigil.EINTERNAL, "store %s: %d transfers read for a kept resolution of %d (damaged)", db.path, n, run.Transfers)
	}
	g := b.Build()
	rep := &GraphReport{Run: run, Build: time.Since(start)}
	k0 := time.Now()
	rep.KeepErr = db.keepGraphRows(ctx, run, g)
	rep.Keep = time.Since(k0)
	if opt.Log != nil {
		if rep.KeepErr != nil {
			fmt.Fprintf(opt.Log, "vigil: the graph's rows could not be kept in the store (the next trace prepares them again): %v\n", rep.KeepErr)
		} else {
			fmt.Fprintf(opt.Log, "vigil: graph of %d transfers built in %s; its rows kept in the store in %s\n", n, rep.Build.Round(time.Millisecond), rep.Keep.Round(time.Millisecond))
		}
	}
	return g, rep, nil
}

// keepGraphRows adds g's prepared rows to the kept resolution run, in one
// transaction, unless another resolution was kept meanwhile.
func (db *DB) keepGraphRows(ctx context.Context, run *ResolutionRun, g *graph.Graph) error {
	tx, err := db.beginGraphRows(ctx, run)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := saveGraphRows(ctx, tx, g); err != nil {
		return err
	}
	return tx.Commit()
}

// beginGraphRows begins the transaction that replaces the graph rows of
// the kept resolution run, and empties them; it fails with ECONFLICT when
// another resolution was kept meanwhile.
func (db *DB) beginGraphRows(ctx context.Context, run *ResolutionRun) (*sql.Tx, error) {
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	var id int64
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(run_id), 0) FROM beneficiary_runs`).Scan(&id); err != nil {
		tx.Rollback()
		return nil, err
	}
	if id != run.ID {
		tx.Rollback()
		return nil, vigil.Errorf(vigil.ECONFLICT, "another resolution (run %d) was kept while the graph was built on run %d", id, run.ID)
	}
	for _, q := range []string{`DELETE FROM graph_rows`, `DELETE FROM graph_tables`} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			tx.Rollback()
			return nil, err
		}
	}
	return tx, nil
}

// KeepScanGraphRows prepares the graph's rows over the stored transfers
// with the resolution run a scan kept (SaveScanResolution) and keeps them
// beside it, as the first LoadGraph after the scan would (the same bytes):
// the first trace or correlate after the scan then replays them as the
// later ones do, instead of reading and preparing every transfer. It
// reads the transfers in rowid order through ReadTransferRows and
// prepares them in a stream (graph.RowPreparer), so it holds a block of
// rows and the tables, not a graph; it runs after the scan's own work.
func (db *DB) KeepScanGraphRows(ctx context.Context, run *ResolutionRun) error {
	rr, err := db.ReadTransferRows(ctx, RowsOptions{Assigned: true, MaxRowID: run.MaxRowID, CacheKiB: scanRowsCacheKiB})
	if err != nil {
		return err
	}
	defer rr.Close()
	tx, err := db.beginGraphRows(ctx, run)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// The writer's cache too: the rows are appended once, never read back.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA cache_size = -%d", scanRowsCacheKiB)); err != nil {
		return err
	}
	committed := false
	defer func() {
		if !committed {
			tx.ExecContext(context.Background(), defaultCachePragma)
		}
	}()
	st, err := prepareKeep(ctx, tx)
	if err != nil {
		return err
	}
	defer st.close()
	// The rows are read and prepared on another goroutine while this one
	// writes the blocks.
	err = keepPipelined(ctx, func(k *keepInserts) error {
		w := newGraphRowsWriter(k, st)
		rp := graph.NewRowPreparer(int(run.Transfers))
		var n int64
		for {
			bt, ok, err := rr.Next()
			if err != nil {
				return err
			}
			if !ok {
				break
			}
			for i := range bt.Transfers {
				if err := rp.Prepare(&bt.Transfers[i], bt.Bens[i], w.add); err != nil {
					return err
				}
			}
			n += int64(len(bt.Transfers))
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if n != run.Transfers {
			return vigil.Errorf(vigil.EINTERNAL, "store %s: %d transfers read for a kept resolution of %d (damaged)", db.path, n, run.Transfers)
		}
		return w.finish(rp.Tables())
	})
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, defaultCachePragma); err != nil {
		return err
	}
	committed = true
	return tx.Commit()
}

// scanRowsCacheKiB is the page cache of each connection KeepScanGraphRows
// reads or writes with, beside the scan's engine (64 MiB each otherwise).
const scanRowsCacheKiB = 2048
