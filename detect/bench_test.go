package detect

import (
	"context"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"unsafe"

	"github.com/vigilfiu/vigil"
	vcsv "github.com/vigilfiu/vigil/csv"
	"github.com/vigilfiu/vigil/synth"
)

// scoreTail is how many of the dev world's last transfers the
// single-transfer benchmark and test replay.
const scoreTail = 2000

// BenchmarkObserveAndScore measures the API's single-transfer path: one
// transfer observed, its sender scored and the alert explained (details
// and transfer ids), on the 50,000-customer dev world (about 450,000
// transfers) with all but its last transfers already observed. The tail is
// replayed in a loop; a replayed transfer adds to its sender's state as a
// new one would.
func BenchmarkObserveAndScore(b *testing.B) {
	benchObserveAndScore(b, (*Engine).ObserveAndScore)
}

// BenchmarkObserveAndScoreOnly is BenchmarkObserveAndScore without the
// explanation: the API's path when the caller did not ask for details.
func BenchmarkObserveAndScoreOnly(b *testing.B) {
	benchObserveAndScore(b, (*Engine).ObserveAndScoreOnly)
}

func benchObserveAndScore(b *testing.B, score func(*Engine, *vigil.Transfer) (*vigil.Alert, error)) {
	w := benchWorld()
	e := tailEngine(b, w)
	tail := w.trs[len(w.trs)-scoreTail:]
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		if _, err := score(e, tail[i%len(tail)]); err != nil {
			b.Fatal(err)
		}
	}
	// CPU time of the process (collector included) per call: on a shared
	// machine it says more than the wall clock does.
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
}

// cpuTime is the user and system CPU time of the process in nanoseconds.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// tailEngine returns an engine that has observed all of w but its last
// scoreTail transfers.
func tailEngine(tb testing.TB, w *devWorld) *Engine {
	pack, _ := DefaultPack()
	e, err := NewEngine(pack, Options{})
	if err != nil {
		tb.Fatal(err)
	}
	for _, p := range w.parties {
		e.AddParty(p)
	}
	for _, t := range w.trs[:len(w.trs)-scoreTail] {
		e.Observe(t)
	}
	return e
}

// The single-transfer path gives, after each transfer, the same score,
// hits, details and evidence as scoring everyone in batch and explaining
// afterwards; and a scan's Explain after ScoreAll gives what Score gives.
func TestObserveAndScoreEqualsBatch(t *testing.T) {
	w := newDevWorld(3000, 3)
	stream := tailEngine(t, w)
	batch := tailEngine(t, w)
	tail := w.trs[len(w.trs)-scoreTail:]
	for i, tr := range tail {
		got, err := stream.ObserveAndScore(tr)
		if err != nil {
			t.Fatal(err)
		}
		batch.Observe(tr)
		if i%250 != 0 && i != len(tail)-1 {
			continue
		}
		var want *vigil.Alert
		for _, a := range batch.ScoreAll() {
			if a.PartyID == tr.SenderID {
				want = a
			}
		}
		batch.Explain(want)
		sameAlert(t, got, want)
	}
	for _, a := range batch.ScoreAll()[:50] {
		batch.Explain(a)
		one, err := batch.Score(a.PartyID)
		if err != nil {
			t.Fatal(err)
		}
		sameAlert(t, one, a)
	}
}

// The score-only path gives the explained path's score, typology and
// contributions, hit for hit, without details or transfer ids.
func TestObserveAndScoreOnly(t *testing.T) {
	w := newDevWorld(3000, 3)
	full := tailEngine(t, w)
	only := tailEngine(t, w)
	fired := 0
	for _, tr := range w.trs[len(w.trs)-scoreTail:] {
		want, err := full.ObserveAndScore(tr)
		if err != nil {
			t.Fatal(err)
		}
		got, err := only.ObserveAndScoreOnly(tr)
		if err != nil {
			t.Fatal(err)
		}
		if got.PartyID != want.PartyID || got.Score != want.Score || got.Typology != want.Typology || len(got.Hits) != len(want.Hits) {
			t.Fatalf("score only %+v\nexplained  %+v", got, want)
		}
		for h := range got.Hits {
			g, x := got.Hits[h], want.Hits[h]
			if g.Code != x.Code || g.Contribution != x.Contribution || g.Detail != "" || g.TransferIDs != nil {
				t.Fatalf("%s hit %d: score only %+v, explained %+v", got.PartyID, h, g, x)
			}
		}
		fired += len(got.Hits)
	}
	if fired == 0 {
		t.Fatal("no indicator fired on the tail: the comparison says nothing")
	}
	if _, err := only.ScoreOnly("no-such-party"); vigil.ErrorCode(err) != vigil.ENOTFOUND {
		t.Fatalf("unknown party: %v, want ENOTFOUND", err)
	}
}

func sameAlert(t *testing.T, got, want *vigil.Alert) {
	t.Helper()
	if want == nil || got.PartyID != want.PartyID || math.Abs(got.Score-want.Score) > 1e-12 || got.Typology != want.Typology || len(got.Hits) != len(want.Hits) {
		t.Fatalf("single %+v\nbatch  %+v", got, want)
	}
	for h := range got.Hits {
		g, x := got.Hits[h], want.Hits[h]
		if g.Code != x.Code || math.Abs(g.Contribution-x.Contribution) > 1e-12 || g.Detail != x.Detail || len(g.TransferIDs) != len(x.TransferIDs) {
			t.Fatalf("%s hit %d: single %+v, batch %+v", got.PartyID, h, g, x)
		}
		for k := range g.TransferIDs {
			if g.TransferIDs[k] != x.TransferIDs[k] {
				t.Fatalf("%s hit %s: single ids %v, batch %v", got.PartyID, g.Code, g.TransferIDs, x.TransferIDs)
			}
		}
	}
}

// ScoreSelected builds, for the senders it keeps, the alerts ScoreAll
// builds, with the same ranks; keeping everyone gives ScoreAll. With and
// without the propagation indicator (scored in one pass or two).
func TestScoreSelectedEqualsScoreAll(t *testing.T) {
	w := newDevWorld(3000, 5)
	scoreSelectedEqualsScoreAll(t, tailEngine(t, w))
	pack, _ := DefaultPack()
	delete(pack.Indicators, "LSC-PROPAGATION")
	e, err := NewEngine(pack, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if e.propagationIndex() >= 0 {
		t.Fatal("the pack still propagates")
	}
	for _, p := range w.parties {
		e.AddParty(p)
	}
	for _, tr := range w.trs {
		e.Observe(tr)
	}
	scoreSelectedEqualsScoreAll(t, e)
}

func scoreSelectedEqualsScoreAll(t *testing.T, e *Engine) {
	t.Helper()
	want := e.ScoreAll()
	every, scored := e.ScoreSelected(func(float64, vigil.Typology) bool { return true })
	if scored != len(want) || len(every) != len(want) {
		t.Fatalf("kept %d of %d scored, ScoreAll %d", len(every), scored, len(want))
	}
	for i := range want {
		if every[i].Rank != want[i].Rank {
			t.Fatalf("rank %d: %d, want %d", i, every[i].Rank, want[i].Rank)
		}
		sameAlert(t, every[i], want[i])
	}
	rep, _ := e.ScoreSelected(func(_ float64, ty vigil.Typology) bool { return ty != vigil.TypologyNone })
	j := 0
	for _, a := range want {
		if !Reported(a) {
			continue
		}
		if j >= len(rep) || rep[j].Rank != a.Rank {
			t.Fatalf("reported alert %d (rank %d) missing or out of place", j, a.Rank)
		}
		sameAlert(t, rep[j], a)
		j++
	}
	if j != len(rep) || j == 0 {
		t.Fatalf("kept %d reported alerts, ScoreAll has %d", len(rep), j)
	}
}

// sliceReader reads transfers from a slice, as a TransferReader.
type sliceReader struct {
	trs []*vigil.Transfer
	i   int
}

func (r *sliceReader) Read(t *vigil.Transfer) error {
	if r.i == len(r.trs) {
		return io.EOF
	}
	*t = *r.trs[r.i]
	r.i++
	return nil
}

// Feed's three goroutines give what observing the transfers one by one
// gives: the same alerts, ranks and explanations.
func TestFeedEqualsObserve(t *testing.T) {
	w := newDevWorld(3000, 7)
	pack, _ := DefaultPack()
	one, _ := NewEngine(pack, Options{})
	fed, _ := NewEngine(pack, Options{})
	for _, p := range w.parties {
		one.AddParty(p)
		fed.AddParty(p)
	}
	for _, tr := range w.trs {
		one.Observe(tr)
	}
	st, err := fed.Feed(context.Background(), &sliceReader{trs: w.trs}, func(err error) error { return err }, nil)
	if err != nil || st.Transfers != int64(len(w.trs)) {
		t.Fatalf("fed %d of %d transfers: %v", st.Transfers, len(w.trs), err)
	}
	want, got := one.ScoreAll(), fed.ScoreAll()
	if len(got) != len(want) {
		t.Fatalf("%d senders scored, want %d", len(got), len(want))
	}
	for i := range want {
		if i < 200 {
			one.Explain(want[i])
			fed.Explain(got[i])
		}
		sameAlert(t, got[i], want[i])
	}
}

// Transfer ids are kept inline up to 15 bytes and in the engine's table
// of long ids beyond: a world whose ids are lengthened (every other one
// past the inline size, one of exactly 15 bytes) gives the same alerts
// with the same ids, and the table holds no more than the evidence kept.
func TestLongTransferIDs(t *testing.T) {
	w := newDevWorld(3000, 7)
	const long = "TRANSFER-LONG-ID-"
	pack, _ := DefaultPack()
	short, _ := NewEngine(pack, Options{})
	longer, _ := NewEngine(pack, Options{})
	for _, p := range w.parties {
		short.AddParty(p)
		longer.AddParty(p)
	}
	rename := func(i int, id string) string {
		switch i % 3 {
		case 0:
			return long + id
		case 1:
			return fmt.Sprintf("%015s", id) // exactly the inline size
		}
		return id
	}
	for i, tr := range w.trs {
		a, b := *tr, *tr
		a.ID = rename(i, tr.ID)
		b.ID = a.ID
		if i%3 == 0 {
			a.ID = tr.ID // the short engine keeps the original id
		}
		short.Observe(&a)
		longer.Observe(&b)
	}
	want, got := short.ScoreAll(), longer.ScoreAll()
	if len(got) != len(want) {
		t.Fatalf("%d senders scored, want %d", len(got), len(want))
	}
	nLong := 0
	for i := range want {
		short.Explain(want[i])
		longer.Explain(got[i])
		for _, h := range got[i].Hits {
			for k, id := range h.TransferIDs {
				if strings.HasPrefix(id, long) {
					nLong++
					h.TransferIDs[k] = strings.TrimPrefix(id, long)
				}
			}
		}
		sameAlert(t, got[i], want[i])
	}
	if nLong == 0 {
		t.Fatal("no long transfer id in the evidence")
	}
	live := len(longer.longIDs) - len(longer.freeLong)
	if bound := len(longer.senders) * (ringSize + 2*maxSlots); live > bound || len(longer.longIDs) > bound {
		t.Fatalf("%d long ids live (table %d), more than the %d evidence places", live, len(longer.longIDs), bound)
	}
	t.Logf("%d transfers, %d long ids in the evidence, table of %d (%d free)", len(w.trs), nLong, len(longer.longIDs), len(longer.freeLong))
}

// TestSenderIndex checks the sender table through its growth, from a
// small table and after ReserveSenders: every id finds its own number,
// unknown ids (including near misses) find none, and numbers follow
// the order of first sight.
func TestSenderIndex(t *testing.T) {
	for _, reserve := range []int{0, 70000} {
		e, err := NewEngine(mustDefaultPack(t), Options{})
		if err != nil {
			t.Fatal(err)
		}
		e.ReserveSenders(reserve)
		const n = 60000
		for i := 0; i < n; i++ {
			if got := e.indexSender(fmt.Sprintf("P%07d", i)); got != int32(i) {
				t.Fatalf("reserve %d: new id %d numbered %d", reserve, i, got)
			}
			if i%7 == 0 { // seen again: same number
				if got := e.indexSender(fmt.Sprintf("P%07d", i/2)); got != int32(i/2) {
					t.Fatalf("reserve %d: id %d renumbered %d", reserve, i/2, got)
				}
			}
		}
		for i := 0; i < n; i++ {
			if got, ok := e.senderIndex(fmt.Sprintf("P%07d", i)); !ok || got != int32(i) {
				t.Fatalf("reserve %d: id %d found as %d, %v", reserve, i, got, ok)
			}
			for _, miss := range []string{fmt.Sprintf("P%07d ", i), fmt.Sprintf("Q%07d", i), fmt.Sprintf("P%07d", n+i)} {
				if got, ok := e.senderIndex(miss); ok {
					t.Fatalf("reserve %d: unknown id %q found as %d", reserve, miss, got)
				}
			}
		}
		if len(e.ids) != n || 2*n > len(e.senderTab) {
			t.Fatalf("reserve %d: %d ids, table of %d", reserve, len(e.ids), len(e.senderTab))
		}
	}
}

func mustDefaultPack(t *testing.T) *Pack {
	p, err := DefaultPack()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// scores computes each row once and finishes the score after propagation
// from a partial sum (finish), and its propagation rounds sum the
// co-senders' scores gathered in the first pass (coSenders): the scores
// and typologies must equal, bit for bit, those of the full rows with
// propagation through prepare (matrix), so that the scan's output is
// byte-identical.
func TestScoresEqualFullRows(t *testing.T) {
	e := tailEngine(t, newDevWorld(3000, 5))
	score, typ, _ := e.scores()
	x := e.matrix()
	k := len(e.inds)
	checked := 0
	for i := range e.senders {
		if e.senders[i].n == 0 {
			continue
		}
		row := x[i*k : (i+1)*k]
		want := sigmoid(e.logit(row))
		if math.Float64bits(score[i]) != math.Float64bits(want) || typ[i] != e.typology(row, want) {
			t.Fatalf("sender %s: score %v typology %q, the full row gives %v %q", e.ids[i], score[i], typ[i], want, e.typology(row, want))
		}
		checked++
	}
	if checked < 1000 {
		t.Fatalf("only %d senders scored", checked)
	}
}

// The senders are visited at random: a transfer should touch as few of
// a sender's cache lines as it can. Every transfer updates the fields in
// the first two lines only, and a sender is four whole lines in an
// aligned array (see sender).
func TestSenderLayout(t *testing.T) {
	var s sender
	if n := unsafe.Sizeof(s); n != 256 {
		t.Fatalf("sender is %d bytes, want 256", n)
	}
	every := []uintptr{ // what every transfer writes, and where it ends
		unsafe.Offsetof(s.changed) + 8, unsafe.Offsetof(s.firstT) + 8, unsafe.Offsetof(s.lastT) + 8,
		unsafe.Offsetof(s.sumEUR) + 8, unsafe.Offsetof(s.s2) + 8, unsafe.Offsetof(s.n) + 4,
		unsafe.Offsetof(s.slotAt) + 4, unsafe.Offsetof(s.slotClass) + 1,
		unsafe.Offsetof(s.ext) + unsafe.Offsetof(s.ext.s14) + 8,
	}
	for i, end := range every {
		if end > 128 {
			t.Errorf("field %d of every transfer ends at byte %d, beyond the second line", i, end)
		}
	}
	e, err := NewEngine(mustDefaultPack(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	e.ReserveSenders(100000)
	e.senderAt(0)
	if a := uintptr(unsafe.Pointer(&e.senders[0])); a%64 != 0 {
		t.Fatalf("senders' array at %#x, not on a cache line", a)
	}
}

// Each slot's key finds the slot's beneficiary as the forest does: the
// root it remembers is refreshed when that root was merged away (rootOf),
// and keys move with their slots when a sender's run grows. A synth world
// (recipients written differently from one transfer to the next) merges
// beneficiaries after senders' slots were made.
func TestSlotKeys(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a synth world")
	}
	dir := t.TempDir()
	if _, err := synth.Generate(synth.Config{Customers: 3000, Seed: 9}, dir); err != nil {
		t.Fatal(err)
	}
	parties, _, err := vcsv.ReadPartiesFile(filepath.Join(dir, "parties.csv"), vcsv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	trs, _, err := vcsv.ReadTransfersFile(filepath.Join(dir, "transfers.csv"), vcsv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewEngine(mustDefaultPack(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range parties {
		e.AddParty(&parties[i])
	}
	stale, checked := 0, 0
	check := func() {
		for i := range e.senders {
			s := &e.senders[i]
			slots, keys := e.slots.of(s), e.slots.keysOf(s)
			if len(slots) != len(keys) {
				t.Fatalf("sender %d: %d slots, %d keys", i, len(slots), len(keys))
			}
			for j := range keys {
				if keys[j].rec != slots[j].rec {
					t.Fatalf("sender %d slot %d: key of record %d, slot of %d", i, j, keys[j].rec, slots[j].rec)
				}
				if keys[j].root != e.find(keys[j].rec) {
					stale++
				}
				if got, want := e.rootOf(&keys[j]), e.find(slots[j].rec); got != want {
					t.Fatalf("sender %d slot %d: root %d, the forest says %d", i, j, got, want)
				}
				checked++
			}
		}
	}
	for i := range trs {
		e.Observe(&trs[i])
		if i == len(trs)/2 {
			check()
		}
	}
	check()
	t.Logf("%d slots checked, %d with a remembered root merged away", checked, stale)
	if checked < 1000 || stale == 0 {
		t.Fatalf("%d slots, %d stale roots: the world does not exercise the keys", checked, stale)
	}
}

// Expect only reserves: engines told to expect the stream's size, far
// less than it, or nothing give the same alerts, and the reserved
// arrays were made once at the expected size (not grown by Feed).
func TestExpectSameAlerts(t *testing.T) {
	w := newDevWorld(3000, 7)
	pack, _ := DefaultPack()
	var engines [3]*Engine
	for k, n := range []int{0, 8 << 10, len(w.trs)} {
		e, _ := NewEngine(pack, Options{})
		e.Expect(n)
		if n > 0 && (cap(e.bens) != n/8*3 || cap(e.parent) != n/8*3 || len(e.bens) != 0) {
			t.Fatalf("Expect(%d): bens len %d cap %d, parent cap %d", n, len(e.bens), cap(e.bens), cap(e.parent))
		}
		for _, p := range w.parties {
			e.AddParty(p)
		}
		if _, err := e.Feed(context.Background(), &sliceReader{trs: w.trs}, func(err error) error { return err }, nil); err != nil {
			t.Fatal(err)
		}
		if n == len(w.trs) && cap(e.bens) != n/8*3 {
			t.Fatalf("Expect(%d): bens grown to cap %d for %d records", n, cap(e.bens), len(e.bens))
		}
		engines[k] = e
	}
	want := engines[0].ScoreAll()
	for k := 1; k < 3; k++ {
		got := engines[k].ScoreAll()
		if len(got) != len(want) {
			t.Fatalf("engine %d: %d senders scored, want %d", k, len(got), len(want))
		}
		for i := range want {
			if i < 100 {
				engines[0].Explain(want[i])
				engines[k].Explain(got[i])
			}
			sameAlert(t, got[i], want[i])
		}
	}
}
