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
	early   bool       // read before the parties were added: senders numbered once they are (see FeedAfter)
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
	return e.FeedAfter(ctx, nil, r, reject, also)
}

// maxEarly bounds the batches FeedAfter reads and resolves while the
// parties are still being added (about 1.7 MB each with the 5M world's
// rows): enough to keep the second core busy while the first reads a
// parties file of 441,225 rows.
var maxEarly = 96 // a variable for the tests

// FeedAfter is Feed for senders whose party records are still to be
// added: parties (when not nil) runs on a goroutine of its own at once,
// adding them (AddParty, ReserveSenders), while Feed already reads the
// first transfers and resolves their recipients; no sender is numbered
// and no state updated until it returns, so that the result is that of
// adding the parties and then calling Feed. If parties returns an error,
// FeedAfter stops and returns it. Nothing else may use the engine until
// FeedAfter returns.
func (e *Engine) FeedAfter(ctx context.Context, parties func() error, r TransferReader, reject func(error) error, also func(*vigil.Transfer)) (FeedStats, error) {
	var st FeedStats
	parsed := make(chan *batch, 4)
	resolved := make(chan *batch, 4)
	free := make(chan *batch, 12)
	errc := make(chan error, 1)
	done := make(chan struct{})
	defer close(done)
	// ready is closed when the parties are added (partiesErr then holds
	// what parties returned); early when the batches read before that are
	// numbered, earlyOK then saying whether they were (not after an error).
	ready, early := make(chan struct{}), make(chan struct{})
	var partiesErr error
	var earlyOK bool
	if parties != nil {
		go func() {
			defer close(ready)
			partiesErr = parties()
		}()
	} else {
		close(ready)
	}
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
	// own the index's cache misses of consecutive transfers overlap
	// (interleaved with the reader, each waited alone).
	number := func(b *batch, n int) {
		for i := range n {
			b.senders[i] = e.indexSender(b.ts[i].SenderID)
		}
	}
	go func() { // parse
		defer close(parsed)
		// Until the parties are added, batches go on unnumbered (early)
		// and are kept here; once they are, the parsing goroutine numbers
		// them, in order, before any later batch.
		var pending []*batch
		waiting := ready // nil once the early batches are numbered
		endEarly := func() error {
			waiting = nil
			err := partiesErr
			if err == nil {
				for _, b := range pending {
					number(b, len(b.ts))
				}
				earlyOK = true
			}
			pending = nil
			close(early)
			return err
		}
		defer func() {
			if waiting != nil { // stopped before the parties were added
				close(early)
			}
		}()
		// settle waits for the parties when batches are pending, so that
		// the sender numbers follow the stream before Feed ends.
		settle := func() error {
			if waiting == nil {
				return nil
			}
			select {
			case <-ready:
				return endEarly()
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		// hand numbers b's n transfers (or keeps b pending) and sends it on.
		hand := func(b *batch, n int) error {
			if waiting != nil {
				select {
				case <-ready:
					if err := endEarly(); err != nil {
						return err
					}
				default:
					if len(pending) >= maxEarly {
						if err := settle(); err != nil {
							return err
						}
					}
				}
			}
			b.early = waiting != nil
			if b.early {
				pending = append(pending, b)
			} else {
				number(b, n)
			}
			for {
				select {
				case parsed <- b:
					return nil
				case <-waiting:
					if err := endEarly(); err != nil {
						return err
					}
				case <-done:
					return ctx.Err()
				case <-ctx.Done():
					return ctx.Err()
				}
			}
		}
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
						b.ts = b.ts[:n]
						if err := hand(b, n); err != nil {
							errc <- err
							return
						}
					}
					errc <- settle()
					return
				}
				if err != nil {
					st.Rejected++ // only this goroutine writes it until errc
					if rerr := reject(err); rerr != nil {
						if err := settle(); err != nil {
							errc <- err
							return
						}
						number(b, n) // as if numbered while read
						errc <- rerr
						return
					}
					continue
				}
				n++
			}
			if err := hand(b, n); err != nil {
				errc <- err
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
		// Early batches are held here rather than queued on resolved, so
		// that the resolver can run ahead while this goroutine waits for
		// the parties.
		var held []*batch
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
			if b.early {
				held = append(held, b)
				for len(held) > 0 {
					select {
					case resolved <- held[0]:
						held = held[1:]
						continue
					default:
					}
					break
				}
				continue
			}
			for _, h := range append(held, b) {
				select {
				case resolved <- h:
				case <-done:
					return
				}
			}
			held = nil
		}
		for _, h := range held {
			select {
			case resolved <- h:
			case <-done:
				return
			}
		}
	}()
	ooo := e.outOfOrder
	for b := range resolved {
		if b.early {
			<-early
			if !earlyOK {
				continue // the parties failed: Feed returns their error
			}
		}
		mi, ri := 0, 0
		for i := range b.ts {
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
				e.completeRecord(&nr, t)
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
