package graph

import (
	"context"
	"io"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/resolve"
)

// TransferReader is a source of transfers, such as csv.TransferReader:
// Read fills t and returns io.EOF at the end.
type TransferReader interface {
	Read(t *vigil.Transfer) error
}

// sharedReader is a TransferReader that can append each row to a buffer
// of the caller's and hand out strings that are views of it instead of a
// new string per row (csv.TransferReader.ReadShared).
type sharedReader interface {
	ReadShared(t *vigil.Transfer, buf *[]byte) error
}

const feedBatch = 4096

type feedBatchT struct {
	ts      []vigil.Transfer
	nodes   []int32
	senders []int32
	pays    []Payment
	rows    []byte // the rows the strings of ts are views of, with a sharedReader
}

// Feed reads every transfer of r into the builder on three goroutines —
// parsing with the per-transfer work that needs no recipient (sender
// index, flags, ids), beneficiary resolution, and filing under edges —
// handing batches of 4,096 along, so that both cores of a small machine
// work. With a reader that shares its rows (csv.TransferReader), the
// strings of a batch are views of the batch's rows until the batch is
// recycled: the Builder and the resolver copy what they keep (rows are
// shared only with the default resolver and no Scorer). reject is called (on the parsing goroutine) for every read error
// other than io.EOF; when it returns an error Feed stops with it. Feed
// returns the transfers added; after an error the Builder must not be
// built.
func (b *Builder) Feed(ctx context.Context, r TransferReader, reject func(error) error) (int64, error) {
	parsed := make(chan *feedBatchT, 4)
	resolved := make(chan *feedBatchT, 4)
	free := make(chan *feedBatchT, 10)
	errc := make(chan error, 1)
	done := make(chan struct{})
	defer close(done)
	// Rows are shared only with this package's resolver, which copies
	// what it keeps (as vigil scan relies on too), and without a Scorer:
	// another Resolver or a Scorer may keep the strings it is shown.
	sr, _ := r.(sharedReader)
	if _, ok := b.res.(*resolve.BeneficiaryResolver); !ok || b.scorer != nil {
		sr = nil
	}
	go func() {
		defer close(parsed)
		for {
			var bt *feedBatchT
			select {
			case bt = <-free:
			default:
				bt = &feedBatchT{ts: make([]vigil.Transfer, feedBatch), nodes: make([]int32, feedBatch),
					senders: make([]int32, feedBatch), pays: make([]Payment, feedBatch)}
			}
			bt.ts, bt.senders, bt.pays, bt.rows = bt.ts[:feedBatch], bt.senders[:feedBatch], bt.pays[:feedBatch], bt.rows[:0]
			n := 0
			var end error
			for n < feedBatch {
				bt.ts[n] = vigil.Transfer{}
				var err error
				if sr != nil {
					err = sr.ReadShared(&bt.ts[n], &bt.rows)
				} else {
					err = r.Read(&bt.ts[n])
				}
				if err == io.EOF {
					end = io.EOF
					break
				}
				if err != nil {
					if rerr := reject(err); rerr != nil {
						errc <- rerr
						return
					}
					continue
				}
				p, err := b.preparePayment(&bt.ts[n])
				if err != nil {
					errc <- err
					return
				}
				bt.pays[n] = p
				n++
			}
			// The senders are numbered in a loop of their own, in stream
			// order: there the table's cache misses of consecutive
			// transfers overlap instead of each being waited for between
			// two rows' parsing.
			for i := range n {
				bt.senders[i] = b.senders.index(bt.ts[i].SenderID)
			}
			bt.ts = bt.ts[:n]
			if n > 0 {
				select {
				case parsed <- bt:
				case <-done:
					return
				}
			}
			if end != nil {
				errc <- nil
				return
			}
			if ctx.Err() != nil {
				errc <- ctx.Err()
				return
			}
		}
	}()
	go func() {
		defer close(resolved)
		batch, _ := b.res.(BatchResolver)
		for bt := range parsed {
			bt.nodes = bt.nodes[:len(bt.ts)]
			if batch != nil {
				batch.ObserveBatch(bt.ts, bt.nodes, nil)
			} else {
				for i := range bt.ts {
					bt.nodes[i] = b.res.Observe(&bt.ts[i])
				}
			}
			select {
			case resolved <- bt:
			case <-done:
				return
			}
		}
	}()
	var n int64
	known := make([]int32, feedBatch)
	for bt := range resolved {
		b.placeBatch(bt.senders[:len(bt.ts)], bt.nodes, bt.pays[:len(bt.ts)], known)
		n += int64(len(bt.ts))
		select {
		case free <- bt:
		default:
		}
	}
	if err := <-errc; err != nil {
		return n, err
	}
	return n, nil
}
