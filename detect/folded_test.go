package detect

import (
	"testing"
)

// A party added with its name folded beforehand (AddPartyFolded, as
// vigil scan's parties reader does) must score exactly as one added with
// AddParty, whose name the engine folds the first time the sender opens
// a slot: the same family ties, self-transfers and typing-error ties.
// The folded name must not share the party's strings either: a reader
// overwrites its row buffer with the next batch.
func TestAddPartyFolded(t *testing.T) {
	w := newDevWorld(4000, 7)
	pack, _ := DefaultPack()
	lazy, _ := NewEngine(pack, Options{})
	folded, _ := NewEngine(pack, Options{})
	for _, p := range w.parties {
		lazy.AddParty(p)
		row := []byte(p.FullName) // the reader's row the name is a view of
		q := *p
		q.FullName = string(row)
		n := FoldSenderName(q.FullName)
		for i := range row {
			row[i] = 'X' // the next batch overwrites the row
		}
		folded.AddPartyFolded(&q, n)
	}
	for _, tr := range w.trs {
		a, b := *tr, *tr
		lazy.Observe(&a)
		folded.Observe(&b)
	}
	ties := 0
	for si := range folded.senders {
		s := &folded.senders[si]
		for _, sl := range folded.slots.of(s) {
			if sl.tie || sl.self {
				ties++
			}
		}
	}
	if ties == 0 {
		t.Fatal("no slot has a name tie or a self-transfer: the test compares nothing")
	}
	want, got := lazy.ScoreAll(), folded.ScoreAll()
	if len(got) != len(want) {
		t.Fatalf("%d senders scored, want %d", len(got), len(want))
	}
	for i := range want {
		if i < 300 {
			lazy.Explain(want[i])
			folded.Explain(got[i])
		}
		sameAlert(t, got[i], want[i])
	}
}
