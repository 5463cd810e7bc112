package resolve_test

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strings"
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
	benWorldOnce  sync.Once
	benWorldDir   string
	benWorldRecs  []benRecipient
	benWorldTruth *synth.Truth // nil when the world has no truth/ or it was not read yet
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
		if os.Getenv("VIGIL_RESOLVER_WORLD") == "" { // read now: the directory goes
			benWorldTruth, _ = synth.ReadTruth(dir)
		}
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
// parallel batches of several sizes.
//
// Every batch layout must give exactly what Observe gives one by one
// (nodes, ids, merges with the transfer that caused each, beneficiaries,
// links). Against the reference, the only differences allowed are the
// namesake splits of session 4 (beneficiary_namesake.go): the record
// nodes are identical, the current clustering is a refinement of the
// reference's (no two transfers together now that the reference kept
// apart), no join the current resolver records is one the reference
// refused (same transfer and key), and every reference
// beneficiary that is split has a refusal on record for one of its
// parts.
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
	t.Logf("reference: %d transfers, %d records, %d beneficiaries, %d merges, %d links", len(recs), ref.Nodes(), want.clusters, len(want.merges), len(want.links))

	seq := resolve.NewBeneficiaryResolver()
	got := &benRun{}
	seq.OnMerge = func(into, from int32) { got.merges = append(got.merges, [3]int32{int32(at), into, from}) }
	got.nodes = benObserveAt(seq, recs, &at)
	finishRun(got, seq)
	t.Logf("current: %d beneficiaries, %d merges, %d links", got.clusters, len(got.merges), len(got.links))
	benOnlyNamesakeSplits(t, want, got)

	// Expect sizes the tables for about that many transfers: exactly the
	// stream's, or a tenth of it (the tables then grow from there).
	for _, c := range []struct{ workers, size, expect int }{{2, 4096, 0}, {3, 777, 0}, {2, 4096, len(recs)}, {2, 1000, len(recs) / 10}} {
		r := resolve.NewBeneficiaryResolver()
		r.Workers = c.workers
		r.Expect(c.expect)
		b := &benRun{nodes: make([]int32, len(recs))}
		ts := make([]vigil.Transfer, c.size)
		for lo := 0; lo < len(recs); lo += c.size {
			hi := min(lo+c.size, len(recs))
			for i := lo; i < hi; i++ {
				recs[i].transfer(&ts[i-lo])
			}
			r.ObserveBatch(ts[:hi-lo], b.nodes[lo:hi], func(at int, into, from int32) {
				b.merges = append(b.merges, [3]int32{int32(lo + at), into, from})
			})
		}
		got.diff(t, fmt.Sprintf("ObserveBatch(workers %d, batches of %d, expecting %d)", c.workers, c.size, c.expect), finishRun(b, r))
	}
}

// benOnlyNamesakeSplits checks that run got differs from the reference
// run want only by splits (see TestResolverMatchesReference).
func benOnlyNamesakeSplits(t *testing.T, want, got *benRun) {
	t.Helper()
	if !reflect.DeepEqual(want.nodes, got.nodes) {
		t.Fatal("record nodes differ from the reference's")
	}
	refOf := map[string]string{}   // current beneficiary → reference beneficiary
	parts := map[string][]string{} // reference beneficiary → current beneficiaries
	for i := range got.ids {
		g, w := got.ids[i], want.ids[i]
		if r, ok := refOf[g]; !ok {
			refOf[g] = w
			parts[w] = append(parts[w], g)
		} else if r != w {
			t.Fatalf("transfer %d: beneficiary %s holds transfers of the reference's %s and %s: not a split", i, g, r, w)
		}
	}
	// A join the reference did not record is allowed when the reference
	// had the two records together already (through a name-only bridge);
	// never one the reference refused.
	type join struct{ transfer, via string }
	refRefused := map[join]bool{}
	for _, l := range want.links {
		if strings.HasPrefix(l.Reason, "not joined") {
			refRefused[join{l.TransferID, l.Via}] = true
		}
	}
	refused := map[string]bool{} // current beneficiaries named by a refusal
	idOfTransfer := map[string]string{}
	for _, l := range got.links {
		if strings.HasPrefix(l.Reason, "not joined") {
			refused[l.BeneficiaryID] = true
			idOfTransfer[l.TransferID] = ""
			continue
		}
		if refRefused[join{l.TransferID, l.Via}] {
			t.Fatalf("join %+v is one the reference refused", l)
		}
	}
	for i := range got.ids { // the refused records' own beneficiaries
		if _, ok := idOfTransfer[benTransferID(&benWorldRecs[i])]; ok {
			refused[got.ids[i]] = true
		}
	}
	split, extra := 0, 0
	for w, ps := range parts {
		if len(ps) == 1 {
			continue
		}
		split++
		extra += len(ps) - 1
		found := false
		for _, g := range ps {
			found = found || refused[g]
		}
		if !found {
			t.Fatalf("reference beneficiary %s split into %v with no refusal on record", w, ps)
		}
	}
	t.Logf("%d of the reference's %d beneficiaries split, into %d more", split, len(parts), extra)
}

// benTransferID returns the transfer id of recipient i.
func benTransferID(r *benRecipient) string {
	return string(benWorldBytes[r.end[0]:r.end[1]])
}

// benAccuracy is the pairwise precision and recall of a clustering of the
// world's transfers (one beneficiary id per transfer) against synth's
// truth, and the pairs behind them.
func benAccuracy(recs []benRecipient, ids []string, truth *synth.Truth) (p, r float64) {
	got := make(map[string]string, len(recs))
	for i := range recs {
		got[benTransferID(&recs[i])] = ids[i]
	}
	return resolve.PairwiseAccuracy(got, truth.Recipient)
}

// TestResolverWorldAccuracy resolves the recipients of the world (the
// 20,000-customer synth world, or $VIGIL_RESOLVER_WORLD) and compares the
// clustering with the world's truth: pairwise precision and recall of
// transfers put together, for the resolver and the session-3-start
// reference (which merged namesakes through name-only records).
func TestResolverWorldAccuracy(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a 20,000-customer world")
	}
	recs := benWorld(t)
	if benWorldTruth == nil {
		// Read only here: kept live during a benchmark, the truth's maps
		// would add to every collection's work (and to cpu-ns/transfer).
		benWorldTruth, _ = synth.ReadTruth(benWorldDir)
	}
	if benWorldTruth == nil {
		t.Skipf("%s has no truth/ directory", benWorldDir)
	}
	run := func(r benObserver) (float64, float64, int) {
		nodes := benObserveAll(r, recs)
		ids := make([]string, len(nodes))
		for i, n := range nodes {
			ids[i] = r.ID(n)
		}
		p, rc := benAccuracy(recs, ids, benWorldTruth)
		frag, mixed := benFragments(recs, ids, benWorldTruth)
		t.Logf("%T: %.3f beneficiaries per true recipient, %.3f true recipients per beneficiary", r, frag, mixed)
		if os.Getenv("VIGIL_RESOLVER_DIAG") != "" {
			benDiagBens = r.Beneficiaries()
			benRefusalDiag(t, recs, ids, r.Links(), benWorldTruth)
		}
		return p, rc, r.Clusters()
	}
	rp, rr, rn := run(resolve.NewRefResolver())
	p, r, n := run(resolve.NewBeneficiaryResolver())
	t.Logf("%s: %d transfers; reference: precision %.4f recall %.4f, %d beneficiaries; current: precision %.4f recall %.4f, %d beneficiaries",
		benWorldDir, len(recs), rp, rr, rn, p, r, n)
	if p < rp {
		t.Errorf("precision %.4f below the reference's %.4f", p, rp)
	}
	if r < rr-0.02 {
		t.Errorf("recall %.4f more than 0.02 below the reference's %.4f", r, rr)
	}
}

// benFragments returns how many beneficiaries a true recipient is split
// into and how many true recipients a beneficiary holds, on average.
func benFragments(recs []benRecipient, ids []string, truth *synth.Truth) (perTrue, perBen float64) {
	type pair struct{ t, b string }
	pairs := map[pair]bool{}
	ts, bs := map[string]bool{}, map[string]bool{}
	for i := range recs {
		tr, ok := truth.Recipient[benTransferID(&recs[i])]
		if !ok {
			continue
		}
		pairs[pair{tr, ids[i]}] = true
		ts[tr], bs[ids[i]] = true, true
	}
	return float64(len(pairs)) / float64(len(ts)), float64(len(pairs)) / float64(len(bs))
}

// benRefusalDiag logs, per reason of a refusal, how many refused a
// record of the same true recipient as the beneficiary it was kept from.
func benRefusalDiag(t *testing.T, recs []benRecipient, ids []string, links []vigil.BeneficiaryLink, truth *synth.Truth) {
	inBen := map[string]map[string]bool{}
	for i := range recs {
		tr := truth.Recipient[benTransferID(&recs[i])]
		if inBen[ids[i]] == nil {
			inBen[ids[i]] = map[string]bool{}
		}
		inBen[ids[i]][tr] = true
	}
	same, diff := map[string]int{}, map[string]int{}
	for _, b := range benDiagBens {
		benDescs[b.ID] = fmt.Sprintf("%q %v %v %q", b.Name, b.Phones, b.Accounts, b.City)
	}
	idOf := map[string]string{}
	for i := range recs {
		idOf[benTransferID(&recs[i])] = ids[i]
	}
	for _, l := range links {
		if !strings.HasPrefix(l.Reason, "not joined") || idOf[l.TransferID] == l.BeneficiaryID {
			continue
		}
		if inBen[l.BeneficiaryID][truth.Recipient[l.TransferID]] {
			if same[l.Reason] < 12 && strings.Contains(l.Reason, "namesakes") {
				for i := range recs {
					if benTransferID(&recs[i]) == l.TransferID {
						var tr vigil.Transfer
						recs[i].transfer(&tr)
						t.Logf("    %q %q %q %q -> %s", tr.BeneficiaryName, tr.BeneficiaryPhone, tr.BeneficiaryAccount, tr.BeneficiaryCity, benDescribe(l.BeneficiaryID))
					}
				}
			}
			same[l.Reason]++
		} else {
			diff[l.Reason]++
		}
	}
	for k := range same {
		t.Logf("  %6d same person, %6d other: %s", same[k], diff[k], k)
	}
	for k := range diff {
		if same[k] == 0 {
			t.Logf("  %6d same person, %6d other: %s", 0, diff[k], k)
		}
	}
}

var (
	benDiagBens []vigil.Beneficiary
	benDescs    = map[string]string{}
)

func benDescribe(id string) string { return benDescs[id] }

// TestResolverMemory logs the resolver's structures by size after the
// world's stream (ObserveBatch, as detect and graph feed it):
//
//	VIGIL_RESOLVER_WORLD=/tmp/ds/big go test -run TestResolverMemory -v ./resolve
func TestResolverMemory(t *testing.T) {
	if os.Getenv("VIGIL_RESOLVER_WORLD") == "" {
		t.Skip("set VIGIL_RESOLVER_WORLD to a synth world directory")
	}
	recs := benWorld(t)
	before := benLiveHeap()
	r := resolve.NewBeneficiaryResolver()
	benObserveBatches(r, recs)
	live := benLiveHeap() - before
	m := r.MemoryBreakdown()
	keys := make([]string, 0, len(m))
	sum := 0
	for k, v := range m {
		keys = append(keys, k)
		sum += v
	}
	sort.Slice(keys, func(i, j int) bool { return m[keys[i]] > m[keys[j]] })
	t.Logf("%d transfers, %d records, %d beneficiaries: live heap of the resolver %.1f MB, listed %.1f MB", len(recs), r.Nodes(), r.Clusters(), float64(live)/1e6, float64(sum)/1e6)
	for _, k := range keys {
		t.Logf("  %-24s %8.1f MB", k, float64(m[k])/1e6)
	}
	runtime.KeepAlive(r)
}

// TestResolverDump writes the full result of the world's stream (the
// beneficiary id of every transfer, every beneficiary and every link,
// each record's raw name, country and tokens, and the merges in order) to
// $VIGIL_RESOLVER_DUMP, so that two builds can be compared byte for byte
// (cmp) after a change that must not change results:
//
//	VIGIL_RESOLVER_DUMP=/tmp/a go test -run TestResolverDump ./resolve
func TestResolverDump(t *testing.T) {
	out := os.Getenv("VIGIL_RESOLVER_DUMP")
	if out == "" {
		t.Skip("set VIGIL_RESOLVER_DUMP to a file")
	}
	recs := benWorld(t)
	r := resolve.NewBeneficiaryResolver()
	var merges []string
	r.OnMerge = func(into, from int32) { merges = append(merges, fmt.Sprintf("merge %d %d", into, from)) }
	nodes := benObserveBatches(r, recs)
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	for i, n := range nodes {
		fmt.Fprintf(w, "%s %d %s\n", benTransferID(&recs[i]), n, r.ID(n))
	}
	for _, b := range r.Beneficiaries() {
		fmt.Fprintf(w, "%+v\n", b)
	}
	for _, l := range r.Links() {
		fmt.Fprintf(w, "%+v\n", l)
	}
	for n := 0; n < r.Nodes(); n++ {
		fmt.Fprintf(w, "%d %q %q %v\n", n, r.RawName(int32(n)), r.Country(int32(n)), r.Tokens(int32(n)))
	}
	for _, m := range merges {
		fmt.Fprintln(w, m)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
}
