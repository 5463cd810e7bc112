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

// batchSize is the number of transfers handed from the parsing goroutine
// to the scoring goroutine at a time.
const batchSize = 4096

// FeedStats counts what Feed did.
type FeedStats struct {
	Transfers  int64 // observed
	Rejected   int64 // rows the reader rejected
	OutOfOrder int64 // transfers earlier than their sender's previous one
}

// Feed reads every transfer of r and observes it, parsing on a second
// goroutine while this one scores, so that both cores work. reject is
// called (on the parsing goroutine) for every error other than io.EOF;
// when it returns an error, Feed stops and returns it. also, when not nil,
// sees every transfer after the engine (e.g. the baseline rule of vigil
// eval). Transfer structs are recycled between batches; the engine keeps
// their strings (as evidence), which the reader must not modify.
func (e *Engine) Feed(ctx context.Context, r TransferReader, reject func(error) error, also func(*vigil.Transfer)) (FeedStats, error) {
	var st FeedStats
	full := make(chan []vigil.Transfer, 4)
	free := make(chan []vigil.Transfer, 6) // batches are recycled; the engine keeps strings, not structs
	errc := make(chan error, 1)
	done := make(chan struct{})
	defer close(done)
	go func() {
		defer close(full)
		for {
			var batch []vigil.Transfer
			select {
			case batch = <-free:
				batch = batch[:batchSize]
			default:
				batch = make([]vigil.Transfer, batchSize)
			}
			n := 0
			for n < batchSize {
				batch[n] = vigil.Transfer{} // a reader may leave absent fields untouched
				err := r.Read(&batch[n])
				if err == io.EOF {
					if n > 0 {
						select {
						case full <- batch[:n]:
						case <-done:
						}
					}
					errc <- nil
					return
				}
				if err != nil {
					st.Rejected++ // only this goroutine writes it until errc
					if rerr := reject(err); rerr != nil {
						errc <- rerr
						return
					}
					continue
				}
				n++
			}
			select {
			case full <- batch:
			case <-done:
				errc <- ctx.Err()
				return
			case <-ctx.Done():
				errc <- ctx.Err()
				return
			}
		}
	}()
	ooo := e.outOfOrder
	for batch := range full {
		for i := range batch {
			t := &batch[i]
			e.Observe(t)
			if also != nil {
				also(t)
			}
		}
		st.Transfers += int64(len(batch))
		select {
		case free <- batch:
		default:
		}
	}
	err := <-errc
	st.OutOfOrder = e.outOfOrder - ooo
	return st, err
}
