package graph

import "testing"

func TestCloseCity(t *testing.T) {
	for _, c := range []struct {
		a, b  string
		close bool
	}{
		{"gen santos", "general santos", true},
		{foldCity("GENSAN"), foldCity("Gen. Santos City"), true},
		{foldCity("Taguig City"), foldCity("Dumaguete"), false},
		{foldCity("Bacolod City"), foldCity("QUEZON CITY, METRO MANILA"), false},
	} {
		if got := closeCity(c.a, c.b); got != c.close {
			t.Errorf("closeCity(%q, %q) = %v, want %v", c.a, c.b, got, c.close)
		}
	}
}
