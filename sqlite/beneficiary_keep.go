package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/vigilfiu/vigil/graph"
)

// keepInserts executes the inserts that keep a resolution (beneficiary
// blocks, assignment blocks, graph rows and tables) in the transaction
// their statements were prepared on: at once, or pipelined. Pipelined
// (keepPipelined), the blocks are packed on one goroutine while the
// goroutine that owns the transaction executes the inserts, so that
// packing (Go) and SQLite's writing (C) use both cores. The packers take
// their buffers from buf and hand them over with exec; a buffer is not
// touched after it was handed over.
type keepInserts struct {
	ctx  context.Context
	jobs chan keepInsert // nil: exec executes at once
	stop chan struct{}   // closed when an insert failed (pipelined)
	// free holds the buffers executed, for buf to reuse, by size:
	// free[i] those of capacity keepBufSizes[i] at least.
	free [len(keepBufSizes)]chan []byte
}

// keepBufSizes are the buffer sizes buf is asked for, ascending: an
// assignment block or a beneficiary block (grown when it needs), a block
// of transfer ids (likewise), a block of graph rows.
var keepBufSizes = [...]int{4 * assignBlock, 16 * assignBlock, graph.PreparedRowSize * assignBlock}

type keepInsert struct {
	st   *sql.Stmt
	args []any
}

// errKeepStopped is what exec returns to the packer once the writer
// failed; the writer's own error is the one reported.
var errKeepStopped = errors.New("keeping stopped")

func newKeepInserts(ctx context.Context) *keepInserts {
	k := &keepInserts{ctx: ctx}
	for i := range k.free {
		k.free[i] = make(chan []byte, 4)
	}
	return k
}

// buf returns an empty buffer of capacity n (one of keepBufSizes) at
// least: one executed before when there is one, so that a keep holds a
// few buffers of each kind, not one per block.
func (k *keepInserts) buf(n int) []byte {
	for i, size := range keepBufSizes {
		if size >= n {
			select {
			case b := <-k.free[i]:
				return b[:0]
			default:
			}
			break
		}
	}
	return make([]byte, 0, n)
}

// exec executes st with args, or hands it to the writer when pipelined.
// The []byte values of args came from buf and are the inserts' now.
func (k *keepInserts) exec(st *sql.Stmt, args ...any) error {
	if k.jobs == nil {
		if _, err := st.ExecContext(k.ctx, args...); err != nil {
			return err
		}
		k.recycle(args)
		return nil
	}
	select {
	case k.jobs <- keepInsert{st, args}:
		return nil
	case <-k.stop:
		return errKeepStopped
	}
}

func (k *keepInserts) recycle(args []any) {
	for _, a := range args {
		b, ok := a.([]byte)
		if !ok {
			continue
		}
		for i := len(keepBufSizes) - 1; i >= 0; i-- {
			if cap(b) >= keepBufSizes[i] {
				select {
				case k.free[i] <- b:
				default:
				}
				break
			}
		}
	}
}

// keepPipelined runs pack on a goroutine of its own, executing the
// inserts it hands over on the calling goroutine, in order, as they
// come; it returns when pack has returned and every insert it handed
// over was executed, with the first error (the writer's before pack's).
func keepPipelined(ctx context.Context, pack func(k *keepInserts) error) error {
	k := newKeepInserts(ctx)
	k.jobs, k.stop = make(chan keepInsert, 2), make(chan struct{})
	perr := make(chan error, 1)
	go func() {
		defer close(k.jobs)
		perr <- pack(k)
	}()
	var werr error
	for j := range k.jobs {
		if werr != nil {
			continue // drained until the packer sees stop
		}
		if _, err := j.st.ExecContext(ctx, j.args...); err != nil {
			werr = err
			close(k.stop)
			continue
		}
		k.recycle(j.args)
	}
	if err := <-perr; werr == nil {
		werr = err
	}
	return werr
}
