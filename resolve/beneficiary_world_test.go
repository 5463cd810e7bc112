package resolve_test

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"sync"
	"testing"
	"time"
	"unsafe"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/csv"
	"github.com/vigilfiu/vigil/resolve"
	"github.com/vigilfiu/vigil/synth"
)

// benRecipient is what the resolver reads of a transfer: the ends of its
// seven fields (transfer id, party id, name, phone, account, city,
// country) in benWorldBytes, and the birth date. Kept without pointers so
// that a 5M-transfer world in memory costs the collector nothing and does
// not distort the resolver's figures.
type benRecipient struct {
	end   [8]uint32 // end[0] is the start of the first field
	birth vigil.Date
}

// benWorldBytes holds the recipients' fields, one after the other.
var benWorldBytes []byte

func (r *benRecipient) transfer(t *vigil.Transfer) {
	f := func(i int) string {
		if r.end[i+1] == r.end[i] {
			return ""
		}
		return unsafe.String(&benWorldBytes[r.end[i]], int(r.end[i+1]-r.end[i]))
	}
	*t = vigil.Transfer{ID: f(0), BeneficiaryID: f(1), BeneficiaryName: f(2), BeneficiaryPhone: f(3),
		BeneficiaryAccount: f(4), BeneficiaryCity: f(5), BeneficiaryCountry: f(6), BeneficiaryBirthDate: r.birth}
}

// readBenRecipients reads the recipients of dir/transfers.csv in file
// order into benWorldBytes (the fields of every transfer are copied, as
// a reader hands out a fresh row each time).
func readBenRecipients(tb testing.TB, dir string) []benRecipient {
	f, err := os.Open(filepath.Join(dir, "transfers.csv"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	rd, err := csv.NewTransferReader(f, "transfers.csv", csv.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	var out []benRecipient
	for {
		var t vigil.Transfer
		err := rd.Read(&t)
		if err == io.EOF {
			return out
		}
		var re *csv.RowError
		if errors.As(err, &re) {
			continue
		}
		if err != nil {
			tb.Fatal(err)
		}
		var r benRecipient
		r.end[0] = uint32(len(benWorldBytes))
		for i, v := range [...]string{t.ID, t.BeneficiaryID, t.BeneficiaryName, t.BeneficiaryPhone, t.BeneficiaryAccount, t.BeneficiaryCity, t.BeneficiaryCountry} {
			benWorldBytes = append(benWorldBytes, v...)
			r.end[i+1] = uint32(len(benWorldBytes))
		}
		r.birth = t.BeneficiaryBirthDate
		out = append(out, r)
	}
}

var (
	benWorldOnce sync.Once
	benWorldDir  string
	benWorldRecs []benRecipient
)

// world returns the recipients of the world in $VIGIL_RESOLVER_WORLD (a
// directory written by vigil synth, e.g. /tmp/ds/big), or of a synth
// world of 20,000 customers (seed 1) generated once per test binary.
func benWorld(tb testing.TB) []benRecipient {
	benWorldOnce.Do(func() {
		dir := os.Getenv("VIGIL_RESOLVER_WORLD")
		if dir == "" {
			d, err := os.MkdirTemp("", "vigil-resolver-world")
			if err != nil {
				tb.Fatal(err)
			}
			defer os.RemoveAll(d)
			if _, err := synth.Generate(synth.Config{Customers: 20000, Seed: 1}, d); err != nil {
				tb.Fatal(err)
			}
			dir = d
		}
		benWorldDir = dir
		benWorldRecs = readBenRecipients(tb, dir)
	})
	if len(benWorldRecs) == 0 {
		tb.Fatalf("no transfers in %s", benWorldDir)
	}
	return benWorldRecs
}

// benObserver is what both resolvers offer.
type benObserver interface {
	Observe(t *vigil.Transfer) int32
	ID(n int32) string
	Beneficiaries() []vigil.Beneficiary
	Links() []vigil.BeneficiaryLink
	Clusters() int
	Nodes() int
}

func benObserveAll(r benObserver, recs []benRecipient) []int32 {
	return benObserveAt(r, recs, new(int))
}

// benObserveAt is benObserveAll that sets *at to the index of the
// transfer being observed.
func benObserveAt(r benObserver, recs []benRecipient, at *int) []int32 {
	nodes := make([]int32, len(recs))
	var t vigil.Transfer
	for i := range recs {
		*at = i
		recs[i].transfer(&t)
		nodes[i] = r.Observe(&t)
	}
	return nodes
}

// benLiveHeap is the heap in use after a full collection.
func benLiveHeap() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// benchWorld measures a resolver on the world's recipients: the whole
// stream once (ns per transfer, the resolver's live heap), then a second
// pass over the same transfers, where every transfer repeats a known
// record (the repeat path); the new-record path is what the first pass
// spent beyond the repeats.
func benchWorld(b *testing.B, fresh func() benObserver, observe func(benObserver, []benRecipient) []int32) {
	recs := benWorld(b)
	b.ReportAllocs()
	var streamNs, repeatNs, records, heap, allocs, cpu float64
	for i := 0; i < b.N; i++ {
		before := benLiveHeap()
		var ms0, ms1 runtime.MemStats
		runtime.ReadMemStats(&ms0)
		r := fresh()
		t0, c0 := time.Now(), resolve.CPUTime()
		observe(r, recs)
		d := time.Since(t0)
		cpu += float64(resolve.CPUTime() - c0)
		runtime.ReadMemStats(&ms1)
		heap += float64(benLiveHeap() - before)
		allocs += float64(ms1.Mallocs - ms0.Mallocs)
		t1 := time.Now()
		observe(r, recs)
		rd := time.Since(t1)
		streamNs += float64(d.Nanoseconds())
		repeatNs += float64(rd.Nanoseconds())
		records += float64(r.Nodes())
		runtime.KeepAlive(r)
	}
	n := float64(b.N)
	per := float64(len(recs))
	rep := repeatNs / n / per
	b.ReportMetric(streamNs/n/per, "ns/transfer")
	b.ReportMetric(per/(streamNs/n/1e9), "transfers/s")
	b.ReportMetric(cpu/n/per, "cpu-ns/transfer")
	b.ReportMetric(rep, "ns/repeat")
	b.ReportMetric((streamNs/n-rep*(per-records/n))/(records/n), "ns/new-record")
	b.ReportMetric(allocs/n/(records/n), "allocs/new-record")
	b.ReportMetric(records/n, "records")
	b.ReportMetric(heap/n/1e6, "MB-live")
}

// benObserveBatches feeds recs to ObserveBatch in batches of 4,096, as
// the pipelines of detect and graph hand them along.
func benObserveBatches(r benObserver, recs []benRecipient) []int32 {
	nodes := make([]int32, len(recs))
	ts := make([]vigil.Transfer, 4096)
	for lo := 0; lo < len(recs); lo += len(ts) {
		hi := min(lo+len(ts), len(recs))
		for i := lo; i < hi; i++ {
			recs[i].transfer(&ts[i-lo])
		}
		r.(*resolve.BeneficiaryResolver).ObserveBatch(ts[:hi-lo], nodes[lo:hi], nil)
	}
	return nodes
}

// BenchmarkResolverWorld: the reference resolver (session 3 start), the
// current one transfer by transfer, and ObserveBatch on 1 and 2
// goroutines, over the recipients of a synth world:
//
//	VIGIL_RESOLVER_WORLD=/tmp/ds/big go test -run '^$' -bench ResolverWorld -benchtime 1x -count 3 ./resolve
func BenchmarkResolverWorld(b *testing.B) {
	b.Run("reference", func(b *testing.B) {
		benchWorld(b, func() benObserver { return resolve.NewRefResolver() }, benObserveAll)
	})
	b.Run("sequential", func(b *testing.B) {
		benchWorld(b, func() benObserver { return resolve.NewBeneficiaryResolver() }, benObserveAll)
	})
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("batch-%d", w), func(b *testing.B) {
			benchWorld(b, func() benObserver {
				r := resolve.NewBeneficiaryResolver()
				r.Workers = w
				return r
			}, benObserveBatches)
		})
	}
}

// BenchmarkResolverBeneficiaries measures Beneficiaries() after the
// world's stream, reference and current.
func BenchmarkResolverBeneficiaries(b *testing.B) {
	recs := benWorld(b)
	for _, c := range []struct {
		name  string
		fresh func() benObserver
	}{{"reference", func() benObserver { return resolve.NewRefResolver() }}, {"current", func() benObserver { return resolve.NewBeneficiaryResolver() }}} {
		b.Run(c.name, func(b *testing.B) {
			r := c.fresh()
			benObserveAll(r, recs)
			b.ReportAllocs()
			b.ResetTimer()
			c0 := resolve.CPUTime()
			for i := 0; i < b.N; i++ {
				r.Beneficiaries()
			}
			b.ReportMetric(float64(resolve.CPUTime()-c0)/float64(b.N), "cpu-ns/op")
		})
	}
}

// benRun is what a resolver made of a stream: the node and beneficiary id
// of every transfer, the merges in order, the beneficiaries and links.
type benRun struct {
	nodes    []int32
	ids      []string
	merges   [][3]int32 // index of the transfer, into, from
	bens     []vigil.Beneficiary
	links    []vigil.BeneficiaryLink
	clusters int
}

func (a *benRun) diff(t *testing.T, what string, b *benRun) {
	t.Helper()
	for i := range a.nodes {
		if a.nodes[i] != b.nodes[i] || a.ids[i] != b.ids[i] {
			t.Fatalf("%s: transfer %d: node %d id %s, reference node %d id %s", what, i, b.nodes[i], b.ids[i], a.nodes[i], a.ids[i])
		}
	}
	if !reflect.DeepEqual(a.merges, b.merges) {
		t.Fatalf("%s: %d merges differ from the reference's %d", what, len(b.merges), len(a.merges))
	}
	if a.clusters != b.clusters || len(a.bens) != len(b.bens) {
		t.Fatalf("%s: %d clusters, %d beneficiaries; reference %d, %d", what, b.clusters, len(b.bens), a.clusters, len(a.bens))
	}
	for i := range a.bens {
		if !reflect.DeepEqual(a.bens[i], b.bens[i]) {
			t.Fatalf("%s: beneficiary %d\n got %+v\nwant %+v", what, i, b.bens[i], a.bens[i])
		}
	}
	if !reflect.DeepEqual(a.links, b.links) {
		t.Fatalf("%s: links differ (%d, reference %d)", what, len(b.links), len(a.links))
	}
}

func finishRun(run *benRun, r benObserver) *benRun {
	for _, n := range run.nodes {
		run.ids = append(run.ids, r.ID(n))
	}
	run.bens, run.links, run.clusters = r.Beneficiaries(), r.Links(), r.Clusters()
	return run
}

// TestResolverMatchesReference resolves the recipients of a 20,000-
// customer synth world with the session-3-start resolver (the reference,
// beneficiary_ref_test.go) and with the current one, one by one and in
// parallel batches of several sizes: nodes, ids, merges, beneficiaries
// and links must be identical.
func TestResolverMatchesReference(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a 20,000-customer world")
	}
	recs := benWorld(t)
	ref := resolve.NewRefResolver()
	want := &benRun{}
	var at int
	ref.OnMerge = func(into, from int32) { want.merges = append(want.merges, [3]int32{int32(at), into, from}) }
	want.nodes = benObserveAt(ref, recs, &at)
	finishRun(want, ref)
	t.Logf("%d transfers, %d records, %d beneficiaries, %d merges, %d links", len(recs), ref.Nodes(), want.clusters, len(want.merges), len(want.links))

	seq := resolve.NewBeneficiaryResolver()
	got := &benRun{}
	seq.OnMerge = func(into, from int32) { got.merges = append(got.merges, [3]int32{int32(at), into, from}) }
	got.nodes = benObserveAt(seq, recs, &at)
	want.diff(t, "Observe", finishRun(got, seq))

	for _, c := range []struct{ workers, size int }{{2, 4096}, {3, 777}} {
		r := resolve.NewBeneficiaryResolver()
		r.Workers = c.workers
		got := &benRun{nodes: make([]int32, len(recs))}
		ts := make([]vigil.Transfer, c.size)
		for lo := 0; lo < len(recs); lo += c.size {
			hi := min(lo+c.size, len(recs))
			for i := lo; i < hi; i++ {
				recs[i].transfer(&ts[i-lo])
			}
			r.ObserveBatch(ts[:hi-lo], got.nodes[lo:hi], func(at int, into, from int32) {
				got.merges = append(got.merges, [3]int32{int32(lo + at), into, from})
			})
		}
		want.diff(t, fmt.Sprintf("ObserveBatch(workers %d, batches of %d)", c.workers, c.size), finishRun(got, r))
	}
}
