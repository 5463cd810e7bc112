package graph

import (
	"reflect"
	"slices"
	"testing"
)

// appendNameReadings into reused buffers and a kept map of word parts
// reads each name as it reads alone, whatever the buffers and the map
// held before: resolveSeed reuses them across a seed's variants.
func TestAppendNameReadingsReusedBuffers(t *testing.T) {
	names := []string{
		"Josephine Garcia Dizon", "DIZON, Josephine Ma. Garcia", "Bautista, Rowena",
		"Rowena de lso Santos", "Dizon", ", Josephine", "Aguilar, Mary Jane Ramos",
		"DIZON BENJIE GARCIA", "Ana", "Ma Cristina R Lopez Santos",
	}
	want := make([][]nameReading, len(names))
	for i, n := range names {
		want[i], _ = appendNameReadings(nil, nil, nil, n)
	}
	var rs []nameReading
	var ws []string
	parts := map[string][]string{}
	for round := 0; round < 3; round++ {
		for i, n := range names {
			rs, ws = appendNameReadings(rs[:0], ws[:0], parts, n)
			if len(rs) != len(want[i]) {
				t.Fatalf("%q: %d readings, alone %d", n, len(rs), len(want[i]))
			}
			for j := range rs {
				if !sameReading(rs[j], want[i][j]) {
					t.Errorf("%q reading %d: %+v, alone %+v", n, j, rs[j], want[i][j])
				}
			}
		}
	}
	// Two readings without a comma, one with; none for a single word.
	if r := nameReadings("Josephine Garcia Dizon"); len(r) != 2 || r[0].given != "josephine" || r[1].given != "garcia" ||
		!reflect.DeepEqual(r[0].family, []string{"dizon"}) || !reflect.DeepEqual(r[0].rest, []string{"garcia"}) {
		t.Errorf("Josephine Garcia Dizon: %+v", r)
	}
	if r := nameReadings("Rowena de lso Santos"); len(r) != 2 || len(r[0].rest) != 0 {
		t.Errorf("Rowena de lso Santos: a three-letter middle word is compared: %+v", r)
	}
	if r := nameReadings("Dizon"); r != nil {
		t.Errorf("Dizon: %+v, want none", r)
	}
}

func sameReading(a, b nameReading) bool {
	return a.given == b.given && slices.Equal(a.family, b.family) && slices.Equal(a.rest, b.rest)
}
