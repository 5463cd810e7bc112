package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"runtime/debug"
	"time"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/detect"
	"github.com/vigilfiu/vigil/sqlite"
)

// feedStoreKeep feeds eng the parties and the stored transfers in time
// order; with keepResolution it keeps the engine's beneficiary
// resolution in the store for the graph (sqlite.SaveScanResolution).
func feedStoreKeep(ctx context.Context, e *env, eng *detect.Engine, also func(*vigil.Transfer), keepResolution bool) (detect.FeedStats, error) {
	var st detect.FeedStats
	if _, err := os.Stat(e.db); err != nil {
		return st, vigil.Errorf(vigil.ENOTFOUND, "no store at %s: run vigil ingest first, or give --parties and --transfers", e.db)
	}
	db, err := sqlite.Open(e.db)
	if err != nil {
		return st, err
	}
	defer db.Close()
	for off := 0; ; {
		ps, _, err := db.FindParties(ctx, vigil.PartyFilter{Offset: off, Limit: 10000})
		if err != nil {
			return st, err
		}
		for _, p := range ps {
			eng.AddParty(p)
		}
		if len(ps) < 10000 {
			break
		}
		off += len(ps)
	}
	// The engine resolves every recipient with the resolver the graph
	// uses; unless the store already keeps a resolution this binary's
	// graph can use, each transfer's record node is noted to be kept.
	var keep *sqlite.ScanResolution
	if keepResolution {
		kept, err := db.KeepsResolution(ctx)
		if err != nil {
			return st, err
		}
		if !kept {
			n, _, err := db.TransferExtent(ctx)
			if err != nil {
				return st, err
			}
			keep = sqlite.NewScanResolution(int(n))
			// What is kept (a record node per transfer) is not the
			// engine's state: the soft memory limit, if any, grows by it
			// so that the collector works no harder for the engine.
			if lim := debug.SetMemoryLimit(-1); lim < math.MaxInt64 {
				defer debug.SetMemoryLimit(debug.SetMemoryLimit(lim + 4*n))
			}
		}
	}
	err = db.EachTransferRow(ctx, func(rowid int64, t *vigil.Transfer) error {
		c := *t // t is reused; the engine keeps the strings
		eng.Observe(&c)
		if keep != nil {
			keep.Observed(rowid, eng.LastRecord())
		}
		if also != nil {
			also(&c)
		}
		st.Transfers++
		return nil
	})
	if err != nil || keep == nil {
		return st, err
	}
	k0 := time.Now()
	run, why, err := db.SaveScanResolution(ctx, keep, eng.Resolver())
	switch {
	case err != nil:
		fmt.Fprintf(e.stderr, "vigil: the beneficiary resolution could not be kept in the store (the next trace resolves): %v\n", err)
	case run == nil:
		fmt.Fprintf(e.stderr, "vigil: the beneficiary resolution was not kept in the store (the next trace resolves): %s\n", why)
	default:
		fmt.Fprintf(e.stderr, "vigil: the beneficiary resolution (%d transfers, %d beneficiaries) kept in the store for vigil trace and correlate in %s\n",
			run.Transfers, run.Beneficiaries, time.Since(k0).Round(time.Millisecond))
		// The graph's rows too, so that the first trace after the scan
		// replays them as later ones do. They are prepared in a stream
		// (a block at a time), beside the engine's state.
		k1 := time.Now()
		if err := db.KeepScanGraphRows(ctx, run); err != nil {
			fmt.Fprintf(e.stderr, "vigil: the graph's rows could not be kept in the store (the next trace prepares them): %v\n", err)
		} else {
			fmt.Fprintf(e.stderr, "vigil: the graph's rows kept in the store in %s\n", time.Since(k1).Round(time.Millisecond))
		}
	}
	return st, nil
}
