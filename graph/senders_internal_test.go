package graph

import (
	"fmt"
	"testing"
)

// TestSenderTableIsExact numbers short, long and empty ids through several
// growths and checks every look-up against a map.
func TestSenderTableIsExact(t *testing.T) {
	var tab senderTable
	want := map[string]int32{}
	id := func(i int) string {
		switch i % 3 {
		case 0:
			return fmt.Sprintf("P%07d", i)
		case 1:
			return fmt.Sprintf("customer-with-a-long-id-%d", i) // > 15 bytes
		}
		return fmt.Sprintf("%015d", i) // exactly 15 bytes
	}
	for round := range 2 {
		for i := range 5000 {
			got := tab.index(id(i))
			if w, ok := want[id(i)]; ok && got != w {
				t.Fatalf("round %d: %q index %d, first given %d", round, id(i), got, w)
			}
			want[id(i)] = got
		}
	}
	if got := tab.index(""); got != int32(len(want)) {
		t.Fatalf("empty id got %d, want %d", got, len(want))
	}
	want[""] = int32(len(want))
	if len(tab.ids) != len(want) {
		t.Fatalf("%d ids, want %d", len(tab.ids), len(want))
	}
	for k, w := range want {
		if got, ok := tab.find(k); !ok || got != w || tab.ids[got] != k {
			t.Fatalf("find(%q) = %d, %v; want %d", k, got, ok, w)
		}
	}
	for _, absent := range []string{"P9999999", "customer-with-a-long-id-x", "P000000", "P00000000"} {
		if _, ok := tab.find(absent); ok {
			t.Fatalf("find(%q) found an absent id", absent)
		}
	}
	// Short ids that pack to the same bits but differ in length.
	for _, k := range []string{"A", "A\x00", "A\x00\x00\x00\x00\x00\x00\x00", "\x00", "\xff\xff\xff\xff\xff\xff\xff\xff", "12345678", "1234567"} {
		got := tab.index(k)
		if w, ok := want[k]; ok && got != w {
			t.Fatalf("%q index %d, first given %d", k, got, w)
		}
		want[k] = got
	}
	for k, w := range want {
		if got, ok := tab.find(k); !ok || got != w || tab.ids[got] != k {
			t.Fatalf("find(%q) = %d, %v; want %d", k, got, ok, w)
		}
	}
	if len(tab.ids) != len(want) {
		t.Fatalf("%d ids, want %d", len(tab.ids), len(want))
	}
	var empty senderTable
	if _, ok := empty.find("P1"); ok {
		t.Fatal("empty table found an id")
	}
}

// BenchmarkSenderTableIndex looks up 400,000 senders of 8-byte ids in a
// random stream order, as Feed does over a 5M-transfer world.
func BenchmarkSenderTableIndex(b *testing.B) {
	const n = 400000
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("P%07d", i)
	}
	stream := make([]string, 1<<20)
	x := uint64(88172645463325252)
	for i := range stream {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		stream[i] = ids[x%n]
	}
	tab := newSenderTable(n / 2)
	for _, id := range ids {
		tab.index(id)
	}
	b.ResetTimer()
	var sum int32
	for i := range b.N {
		sum += tab.index(stream[i&(len(stream)-1)])
	}
	_ = sum
}
