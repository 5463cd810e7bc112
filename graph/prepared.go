package graph

import (
	"context"
	"encoding/binary"
	"hash/fnv"
	"io"
	"math"
	"strconv"

	"github.com/vigilfiu/vigil"
)

// Prepared rows: the per-transfer part of a build (sender index, the
// payment row with its flags, identifier keys, tables' indices, and the
// transfer id) is the same for every build over the same transfers, so a
// store keeps it beside the beneficiary resolution and the next build
// replays it (Builder.AddPrepared) instead of reading and preparing every
// transfer again. The graph built is the same.

// Tables returns the graph's lookup tables, which prepared rows index:
// sender party ids by sender index, currencies, purposes and cities (the
// last two with "" at 0).
func (g *Graph) Tables() (senders, currencies, purposes, cities []string) {
	senders = make([]string, len(g.Senders))
	for i := range g.Senders {
		senders[i] = g.Senders[i].ID
	}
	return senders, g.currencies, g.purposes, g.cities
}

// EachPrepared calls fn for every transfer in input order with its
// sender index, its beneficiary (index into Beneficiaries), its payment
// row and its id (valid during the call only).
func (g *Graph) EachPrepared(fn func(sender, ben int32, p *Payment, id []byte) error) error {
	n := len(g.payments)
	pos := make([]int32, n)  // row → index in g.payments
	edge := make([]int32, n) // row → edge
	for e := range g.Edges {
		ed := &g.Edges[e]
		for k := ed.start; k < ed.start+ed.Count; k++ {
			r := g.payments[k].Row
			pos[r], edge[r] = k, int32(e)
		}
	}
	var from uint32
	for r := range n {
		ed := &g.Edges[edge[r]]
		to := g.idEnd[r]
		if err := fn(ed.Sender, ed.Beneficiary, &g.payments[pos[r]], g.ids[from:to]); err != nil {
			return err
		}
		from = to
	}
	return nil
}

// SetTables gives a Builder the tables of the graph whose prepared rows
// it will replay (Graph.Tables). It must come before any transfer.
func (b *Builder) SetTables(senders, currencies, purposes, cities []string) error {
	if len(b.rows) > 0 || len(b.senders.ids) > 0 {
		return vigil.Errorf(vigil.EINTERNAL, "graph: SetTables after transfers were added")
	}
	if len(currencies) > 255 || len(purposes) == 0 || len(purposes) > 1<<16 || len(cities) == 0 || purposes[0] != "" || cities[0] != "" {
		return vigil.Errorf(vigil.EINVALID, "graph: kept tables are not a graph's (%d currencies, %d purposes, %d cities)", len(currencies), len(purposes), len(cities))
	}
	if b.senders.slots == nil {
		b.senders = newSenderTable(len(senders))
	}
	for i, id := range senders {
		if got := b.senders.index(id); got != int32(i) {
			return vigil.Errorf(vigil.EINVALID, "graph: kept sender %q listed twice", id)
		}
	}
	b.curs, b.purs, b.cities = currencies, purposes, cities
	clear(b.curIdx)
	for i, c := range currencies {
		b.curIdx[c] = uint8(i)
	}
	clear(b.purIdx)
	for i, p := range purposes {
		if i > 0 {
			b.purIdx[p] = uint16(i)
		}
	}
	clear(b.cityIdx)
	for i, c := range cities {
		if i > 0 {
			b.cityIdx[c] = uint32(i)
		}
	}
	return nil
}

// AddPrepared replays one prepared row (Graph.EachPrepared) of a graph
// whose tables were given by SetTables; rows must come in their input
// order. The beneficiaries may be given after the rows, by
// SetResolution. p.Row is set here.
func (b *Builder) AddPrepared(sender, ben int32, p *Payment, id []byte) error {
	nb := int32(1<<31 - 1)
	if f, ok := b.res.(FixedResolution); ok && f != nil {
		nb = int32(len(f))
	}
	if sender < 0 || int(sender) >= len(b.senders.ids) || ben < 0 || ben >= nb ||
		int(p.Currency) >= len(b.curs) || int(p.Purpose) >= len(b.purs) || int(p.City) >= len(b.cities) || len(id) == 0 {
		return vigil.Errorf(vigil.EINVALID, "graph: kept row %d does not fit the kept tables (sender %d of %d, beneficiary %d of %d)", len(b.rows), sender, len(b.senders.ids), ben, nb)
	}
	if len(b.idEnd) >= 1<<31-1 || len(b.ids)+len(id) > 1<<32-1 {
		return vigil.Errorf(vigil.EINVALID, "graph: too many transfers for one graph")
	}
	b.ids = append(b.ids, id...)
	b.idEnd = append(b.idEnd, uint32(len(b.ids)))
	b.place(sender, ben, p)
	return nil
}

// SetResolution gives the Builder the kept resolution its prepared rows
// (AddPrepared) refer to, when it was read after them: every beneficiary
// a row named must be in it.
func (b *Builder) SetResolution(f FixedResolution) error {
	if b.nodes > int32(len(f)) {
		return vigil.Errorf(vigil.EINVALID, "graph: kept rows name beneficiary %d of a resolution of %d (the kept resolution does not match)", b.nodes-1, len(f))
	}
	b.res = f
	return nil
}

// PreparedRowSize is the size of a payment row as AppendPrepared
// encodes it.
const PreparedRowSize = 4 + 4 + 8 + 8 + 2 + 1 + 1 + 2 + 4 + 4 + 4 + 4 + 4

// AppendPrepared appends a prepared row in a fixed little-endian layout
// of PreparedRowSize bytes (the transfer id is kept apart).
func AppendPrepared(b []byte, sender, ben int32, p *Payment) []byte {
	b = binary.LittleEndian.AppendUint32(b, uint32(sender))
	b = binary.LittleEndian.AppendUint32(b, uint32(ben))
	b = binary.LittleEndian.AppendUint64(b, uint64(p.At))
	b = binary.LittleEndian.AppendUint64(b, uint64(p.Amount))
	b = binary.LittleEndian.AppendUint16(b, uint16(p.Offset))
	b = append(b, p.Currency, p.Flags)
	b = binary.LittleEndian.AppendUint16(b, p.Purpose)
	b = binary.LittleEndian.AppendUint32(b, math.Float32bits(p.Suspicion))
	b = binary.LittleEndian.AppendUint32(b, p.Ident[0])
	b = binary.LittleEndian.AppendUint32(b, p.Ident[1])
	b = binary.LittleEndian.AppendUint32(b, p.City)
	b = binary.LittleEndian.AppendUint32(b, p.Birth)
	return b
}

// DecodePrepared decodes a row AppendPrepared wrote (len(b) ≥
// PreparedRowSize).
func DecodePrepared(b []byte, p *Payment) (sender, ben int32) {
	_ = b[PreparedRowSize-1]
	sender = int32(binary.LittleEndian.Uint32(b))
	ben = int32(binary.LittleEndian.Uint32(b[4:]))
	*p = Payment{
		At:        int64(binary.LittleEndian.Uint64(b[8:])),
		Amount:    vigil.Amount(binary.LittleEndian.Uint64(b[16:])),
		Offset:    int16(binary.LittleEndian.Uint16(b[24:])),
		Currency:  b[26],
		Flags:     b[27],
		Purpose:   binary.LittleEndian.Uint16(b[28:]),
		Suspicion: math.Float32frombits(binary.LittleEndian.Uint32(b[30:])),
		Ident:     [2]uint32{binary.LittleEndian.Uint32(b[34:]), binary.LittleEndian.Uint32(b[38:])},
		City:      binary.LittleEndian.Uint32(b[42:]),
		Birth:     binary.LittleEndian.Uint32(b[46:]),
	}
	return sender, ben
}

// preparedFingerprint hashes the prepared rows of a graph built over the
// fingerprint transfers: a change in how a transfer is prepared (flags,
// identifier keys, dates, tables) changes it.
func preparedFingerprint() string {
	b := NewBuilder(Options{NoSeedIndex: true})
	ts := fingerprintTransfers()
	i := 0
	if _, err := b.Feed(context.Background(), readerFunc(func(t *vigil.Transfer) error {
		if i == len(ts) {
			return io.EOF
		}
		*t = ts[i]
		i++
		return nil
	}), func(err error) error { return err }); err != nil {
		return "error"
	}
	g := b.Build()
	h := fnv.New64a()
	var row []byte
	g.EachPrepared(func(s, ben int32, p *Payment, id []byte) error {
		row = AppendPrepared(row[:0], s, ben, p)
		h.Write(row)
		h.Write(id)
		return nil
	})
	ss, cs, ps, cts := g.Tables()
	for _, l := range [][]string{ss, cs, ps, cts} {
		for _, s := range l {
			h.Write([]byte(s))
			h.Write([]byte{0})
		}
	}
	return strconv.FormatUint(h.Sum64(), 36)
}

type readerFunc func(t *vigil.Transfer) error

func (f readerFunc) Read(t *vigil.Transfer) error { return f(t) }
