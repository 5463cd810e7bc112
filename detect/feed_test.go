package detect

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/vigilfiu/vigil"
)

// signalReader is a sliceReader that closes at when it has handed out
// its first n transfers (or reached the end).
type signalReader struct {
	sliceReader
	n  int
	at chan struct{}
}

func (r *signalReader) Read(t *vigil.Transfer) error {
	err := r.sliceReader.Read(t)
	if r.at != nil && (r.i >= r.n || err != nil) {
		close(r.at)
		r.at = nil
	}
	return err
}

// FeedAfter, with the parties added on their goroutine while the first
// batches are read and resolved, gives what adding them and then Feed
// gives: the same sender numbers, alerts, ranks and explanations. The
// parties wait until the reader has read every transfer (all batches
// early), or more batches than maxEarly (the reader then waits for them).
func TestFeedAfterEqualsFeed(t *testing.T) {
	w := newDevWorld(3000, 7)
	pack, _ := DefaultPack()
	want, _ := NewEngine(pack, Options{})
	for _, p := range w.parties {
		want.AddParty(p)
	}
	if _, err := want.Feed(context.Background(), &sliceReader{trs: w.trs}, func(err error) error { return err }, nil); err != nil {
		t.Fatal(err)
	}
	wantAlerts := want.ScoreAll()
	for _, tc := range []struct {
		name           string
		waitFor, early int
	}{
		{"parties after the last transfer", len(w.trs), maxEarly},
		{"more early batches than kept", 3 * batchSize, 2},
		{"parties at once", 0, maxEarly},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func(n int) { maxEarly = n }(maxEarly)
			maxEarly = tc.early
			if len(w.trs) < tc.waitFor || len(w.trs) < 4*batchSize {
				t.Fatalf("the world has %d transfers, too few", len(w.trs))
			}
			r := &signalReader{sliceReader: sliceReader{trs: w.trs}, n: tc.waitFor, at: make(chan struct{})}
			at := r.at
			if tc.waitFor == 0 {
				close(at)
				r.at = nil
			}
			eng, _ := NewEngine(pack, Options{})
			added := false
			st, err := eng.FeedAfter(context.Background(), func() error {
				<-at
				eng.ReserveSenders(len(w.parties))
				for _, p := range w.parties {
					eng.AddParty(p)
				}
				added = true
				return nil
			}, r, func(err error) error { return err }, nil)
			if err != nil || st.Transfers != int64(len(w.trs)) || !added {
				t.Fatalf("fed %d of %d transfers (parties added: %v): %v", st.Transfers, len(w.trs), added, err)
			}
			if !slices.Equal(eng.ids, want.ids) {
				t.Fatalf("sender numbers differ from adding the parties first")
			}
			got := eng.ScoreAll()
			if len(got) != len(wantAlerts) {
				t.Fatalf("%d senders scored, want %d", len(got), len(wantAlerts))
			}
			for i := range wantAlerts {
				if i < 100 {
					want.Explain(wantAlerts[i])
					eng.Explain(got[i])
				}
				sameAlert(t, got[i], wantAlerts[i])
			}
		})
	}
}

// When adding the parties fails, FeedAfter returns that error, whether
// the failure comes before or after the transfers were all read, and
// observes nothing.
func TestFeedAfterPartiesError(t *testing.T) {
	w := newDevWorld(1000, 3)
	pack, _ := DefaultPack()
	bad := errors.New("parties.csv: broken")
	for _, waitFor := range []int{0, len(w.trs)} {
		r := &signalReader{sliceReader: sliceReader{trs: w.trs}, n: waitFor, at: make(chan struct{})}
		at := r.at
		if waitFor == 0 {
			close(at)
			r.at = nil
		}
		eng, _ := NewEngine(pack, Options{})
		st, err := eng.FeedAfter(context.Background(), func() error { <-at; return bad }, r, func(err error) error { return err }, nil)
		if !errors.Is(err, bad) {
			t.Fatalf("waiting for %d transfers: error %v, want %v", waitFor, err, bad)
		}
		if eng.Observed() != 0 || st.Transfers != 0 {
			t.Fatalf("waiting for %d transfers: %d observed after the parties failed", waitFor, eng.Observed())
		}
	}
}
