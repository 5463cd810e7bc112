package detect

import (
	"context"
	"io"

	"github.com/vigilfiu/vigil"
)

// TransferReader is a source of transfers, such as csv.TransferReader:
// Read fills t and returns io.EOF at the end. Other errors are passed to
// the caller's reject function, which decides whether reading goes on.
type TransferReader interface {
	Read(t *vigil.Transfer) error
}

// sharedReader is a TransferReader that can append each row to a buffer
// of the caller's and hand out strings that are views of it, instead of
// allocating a string per row (csv.TransferReader.ReadShared).
type sharedReader interface {
	ReadShared(t *vigil.Transfer, buf *[]byte) error
}

// batchSize is the number of transfers handed from the parsing goroutine
// to the scoring goroutine at a time.
const batchSize = 4096

// FeedStats counts what Feed did.
type FeedStats struct {
	Transfers  int64 // observed
	Rejected   int64 // rows the reader rejected
	OutOfOrder int64 // transfers earlier than their sender's previous one
}

// batch is a run of transfers on its way through Feed's stages, with
// what the resolving stage found for each.
type batch struct {
	ts      []vigil.Transfer
	senders []int32    // sender number of each transfer
	nodes   []int32    // record node of each transfer
	toks    [][]string // the resolver's name tokens of the records first seen, in order
	merges  []merge    // the resolver's merges, in order
	rows    []byte     // the rows the strings of ts are views of, with a sharedReader
}

// merge is one OnMerge of the resolver, made while resolving transfer at
// of a batch.
type merge struct{ at, into, from int32 }

// Feed reads every transfer of r and observes it on three goroutines, so
// that both cores work: one parses and numbers the senders, one resolves recipients into
// beneficiaries, and this one updates the senders' state, applying the
// resolver's merges in stream order (the result is the same as observing
// the transfers one by one). reject is called (on the parsing goroutine)
// for every error other than io.EOF; when it returns an error, Feed stops
// and returns it. also, when not nil, sees every transfer after the
// engine (e.g. the baseline rule of vigil eval). Transfer structs are
// recycled between batches.
func (e *Engine) Feed(ctx context.Context, r TransferReader, reject func(error) error, also func(*vigil.Transfer)) (FeedStats, error) {
	var st FeedStats
	parsed := make(chan *batch, 4)
	resolved := make(chan *batch, 4)
	free := make(chan *batch, 12)
	errc := make(chan error, 1)
	done := make(chan struct{})
	defer close(done)
	// With a reader that shares its rows, the strings of a batch's
	// transfers are views of the batch's rows, overwritten when the batch
	// is recycled: nothing that sees them may keep them (the engine and
	// the resolver copy what they keep), so not when also is given.
	sr, _ := r.(sharedReader)
	if also != nil {
		sr = nil
	}
	// number gives the senders of a batch's first n transfers their
	// numbers, in stream order, after the batch is read: in a loop of its
	// own (interleaved with the reader, each miss was waited alone), and
	// each run of touchRun ids hashed and their home slots touched before
	// they are probed (touchSenders), so the index's misses overlap.
	var hs [touchRun]uint64
	number := func(b *batch, n int) {
		for lo := 0; lo < n; lo += touchRun {
			hi := min(lo+touchRun, n)
			e.touchSenders(b.ts[lo:hi], hs[:hi-lo])
			for i := lo; i < hi; i++ {
				b.senders[i] = e.indexSenderHashed(b.ts[i].SenderID, hs[i-lo])
			}
		}
	}
	go func() { // parse
		defer close(parsed)
		for {
			var b *batch
			select {
			case b = <-free:
				b.ts, b.rows = b.ts[:batchSize], b.rows[:0]
			default:
				b = &batch{ts: make([]vigil.Transfer, batchSize), senders: make([]int32, batchSize), nodes: make([]int32, batchSize)}
			}
			n := 0
			for n < batchSize {
				b.ts[n] = vigil.Transfer{} // a reader may leave absent fields untouched
				var err error
				if sr != nil {
					err = sr.ReadShared(&b.ts[n], &b.rows)
				} else {
					err = r.Read(&b.ts[n])
				}
				if err == io.EOF {
					if n > 0 {
						number(b, n)
						b.ts = b.ts[:n]
						select {
						case parsed <- b:
						case <-done:
						}
					}
					errc <- nil
					return
				}
				if err != nil {
					st.Rejected++ // only this goroutine writes it until errc
					if rerr := reject(err); rerr != nil {
						number(b, n) // as if numbered while read
						errc <- rerr
						return
					}
					continue
				}
				n++
			}
			number(b, n)
			select {
			case parsed <- b:
			case <-done:
				errc <- ctx.Err()
				return
			case <-ctx.Done():
				errc <- ctx.Err()
				return
			}
		}
	}()
	// The resolver belongs to the resolving goroutine until Feed returns;
	// its merges are recorded with the batch and applied here in order.
	resDone := make(chan struct{})
	go func() { // resolve
		defer close(resDone)
		defer close(resolved)
		recs := e.recs.len()
		for b := range parsed {
			b.toks, b.merges = b.toks[:0], b.merges[:0]
			// ObserveBatch spreads the per-transfer hashing and the
			// normalisation of new records over both cores; look-ups and
			// joins stay in stream order.
			e.res.ObserveBatch(b.ts, b.nodes, func(at int, into, from int32) {
				b.merges = append(b.merges, merge{int32(at), into, from})
			})
			for i := range b.ts {
				if rn := b.nodes[i]; int(rn) == recs {
					b.toks = append(b.toks, e.res.Tokens(rn)) // the record is derived below
					recs++
				}
			}
			select {
			case resolved <- b:
			case <-done:
				return
			}
		}
	}()
	ooo := e.outOfOrder
	for b := range resolved {
		mi, ri := 0, 0
		for i := range b.ts {
			if i%touchRun == 0 {
				e.touch(b, i, min(i+touchRun, len(b.ts)))
			}
			t := &b.ts[i]
			e.version++
			rn := b.nodes[i]
			isNew := int(rn) == e.recs.len()
			if isNew {
				e.growRoots(int(rn) + 1)
			}
			for ; mi < len(b.merges) && b.merges[mi].at == int32(i); mi++ {
				e.mergeBeneficiaries(b.merges[mi].into, b.merges[mi].from)
			}
			var nr record
			if isNew {
				nr.setTokens(b.toks[ri])
				ri++
				h := &e.nameHashes[i%touchRun]
				e.completeRecordHashed(&nr, t, h[0], h[1])
			}
			e.observeResolved(t, b.senders[i], rn, isNew, &nr)
			if also != nil {
				also(t)
			}
		}
		st.Transfers += int64(len(b.ts))
		select {
		case free <- b:
		default:
		}
	}
	<-resDone
	err := <-errc
	if n := len(e.ids); n > 0 { // senders numbered in batches that were not observed (an error)
		e.senderAt(int32(n - 1))
	}
	st.OutOfOrder = e.outOfOrder - ooo
	return st, err
}
