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
		// A city written as the other's initials.
		{foldCity("CDO"), foldCity("Cagayan De Oro City"), true},
		{foldCity("Cagayan de Oro"), foldCity("CDO"), true},
		{foldCity("QC"), foldCity("QUEZON CITY, METRO MANILA"), true},
		{foldCity("HCMC"), foldCity("Ho Chi Minh City"), true},
		// Initials that are another place's.
		{foldCity("CDO"), foldCity("Cebu City"), false},
		{foldCity("QC"), foldCity("Cagayan De Oro City"), false},
		{foldCity("CDO"), foldCity("Cagayan Dumaguete"), false},
	} {
		if got := closeCity(c.a, c.b); got != c.close {
			t.Errorf("closeCity(%q, %q) = %v, want %v", c.a, c.b, got, c.close)
		}
	}
}

func TestSameCityProvince(t *testing.T) {
	for _, c := range []struct {
		a, b string
		same bool
	}{
		{"Cebu", "LAPU-LAPU CITY, CEBU", false}, // a city of the province of Cebu
		{"Cebu City, Cebu", "LAPU-LAPU CITY, CEBU", false},
		{"Cebu City, Cebu", "CEBU CITY", true},
		{"Cebu", "Cebu City, Cebu", true},
		{"Manila", "Tondo, Manila", true}, // a district of Manila
		{"Angeles", "ANGELES CITY, PAMPANGA", true},
		{"San Fernando", "San Fernando, Pampanga", true},
		{"TAGUIG CITY, METRO MANILA", "Manila", false},
	} {
		if got := sameCity(foldCity(c.a), foldCity(c.b)); got != c.same {
			t.Errorf("sameCity(%q, %q) = %v, want %v", c.a, c.b, got, c.same)
		}
	}
}
