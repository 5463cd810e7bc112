package graph

import "testing"

// TestReasonArenasTake: a call's arenas are those of the calls before it,
// in order, each at least as large as asked (a kept arena too small is
// passed over, not grown), and empty when handed out; new ones are made
// only past the kept ones.
func TestReasonArenasTake(t *testing.T) {
	a := new(reasonArenas)
	first, second := a.take(100), a.take(4096)
	if cap(first) < 100 || cap(second) < 4096 || len(first) != 0 || len(second) != 0 {
		t.Fatalf("new arenas: len %d cap %d, len %d cap %d", len(first), cap(first), len(second), cap(second))
	}
	first = append(first, reason{kind: rPhone, s1: "+63 917 000 0000"})
	a.used = 0 // as release leaves it
	again := a.take(100)
	if len(again) != 0 || cap(again) != cap(first) || &again[:1][0] != &first[0] {
		t.Fatalf("the first kept arena was not handed out again, empty")
	}
	big := a.take(1000) // the next kept one
	if &big[:1][0] != &second[:1][0] {
		t.Fatalf("the second kept arena (cap %d) was not handed out for 1000 reasons", cap(second))
	}
	a.used = 0
	if c := a.take(200); &c[:1][0] != &second[:1][0] {
		t.Fatalf("an arena of 200 was not the second kept one (the first holds %d)", cap(first))
	}
	if c := a.take(10); len(a.chunks) != 3 || cap(c) < 10 {
		t.Fatalf("past the kept arenas a new one is made: %d arenas, cap %d", len(a.chunks), cap(c))
	}
}
