package graph

import (
	"context"
	"io"

	"github.com/vigilfiu/vigil"
)

// TransferReader is a source of transfers, such as csv.TransferReader:
// Read fills t and returns io.EOF at the end.
type TransferReader interface {
	Read(t *vigil.Transfer) error
}

const feedBatch = 4096

type feedBatchT struct {
	ts      []vigil.Transfer
	nodes   []int32
	senders []int32
	pays    []Payment
}

// Feed reads every transfer of r into the builder on three goroutines —
// parsing with the per-transfer work that needs no recipient (sender
// index, flags, ids), beneficiary resolution, and filing under edges —
// handing batches of 4,096 along, so that both cores of a small machine
// work. reject is called (on the parsing goroutine) for every read error
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
			bt.ts, bt.senders, bt.pays = bt.ts[:feedBatch], bt.senders[:feedBatch], bt.pays[:feedBatch]
			n := 0
			var end error
			for n < feedBatch {
				bt.ts[n] = vigil.Transfer{}
				err := r.Read(&bt.ts[n])
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
				s, p, err := b.prepare(&bt.ts[n])
				if err != nil {
					errc <- err
					return
				}
				bt.senders[n], bt.pays[n] = s, p
				n++
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
	for bt := range resolved {
		for i := range bt.ts {
			b.place(bt.senders[i], bt.nodes[i], &bt.pays[i])
		}
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
