package graph

import "testing"

// TestNamePartsClash: a recipient's variant that shares words with the
// seed but, read either way, gives her no given name and family name
// together names another person (SeedNamePartsClash). Must not: her name
// shortened, reordered, written with a comma, misspelt or abbreviated.
func TestNamePartsClash(t *testing.T) {
	for _, c := range []struct {
		seed, variant string
		clash         bool
	}{
		// Another given name with her family name.
		{"DIZON JOSEPHINE GARCIA", "Benjie Garcia Dizon", true},
		// Read given name first, both are Dizon Garcia, with other
		// middle names.
		{"DIZON JOSEPHINE GARCIA", "DIZON BENJIE GARCIA", true},
		{"MAGBANUA DIVINA SANTOS", "Magbanua, Divina Bautista", true},
		{"Lovely G. MERCADO", "Lovely M. Mercado", true},
		// Her middle name (her mother's family name) as the family name.
		{"DIZON JOSEPHINE GARCIA", "Josephine Garcia", true},
		{"MAGBANUA DIVINA SANTOS", "Divina Santos", true},
		{"MAGBANUA DIVINA SANTOS", "SANTOS DIVINA", true},
		{"MAGBANUA DIVINA SANTOS", "Divina de los Santos", true},
		{"MAGBANUA DIVINA SANTOS", "DE LOS SANTOS DIVINA", true},
		{"DE LOS SANTOS ROWENA BAUTISTA", "Bautista, Rowena", true},
		// Her family name as a middle name of another family's.
		{"CRUZ, Maria Cristina", "DOMINGO MARIA CRISTINA CRUZ", true},
		{"CRUZ, Maria Cristina", "Maria Cristina Cruz Domingo", true},
		{"OCAMPO MARY JANE RAMOS", "Aguilar, Mary Jane Ramos", true},

		{"DIZON JOSEPHINE GARCIA", "Josephine Garcia Dizon", false},
		{"DIZON JOSEPHINE GARCIA", "Josephine Dizon", false},
		{"DIZON JOSEPHINE GARCIA", "JOSEPHINE DIZON", false},
		{"DIZON JOSEPHINE GARCIA", "Dizon, Josephine G.", false},
		{"DIZON JOSEPHINE GARCIA", "J. Dizon", false},
		{"MAGBANUA DIVINA SANTOS", "Divina Magbanua", false},
		{"MAGBANUA DIVINA SANTOS", "Diina Magbanua", false},
		{"MAGBANUA DIVINA SANTOS", "Divina Santos Magbanua", false},
		{"VILLANUEVA MARIA THERESA", "Ma. Theresa Villanueva", false},
		{"VILLANUEVA MARIA THERESA", "Marai Theresa Villanueva", false},
		{"CATAPANG, Rodel", "Roel Catapang", false},
		{"CATAPANG, Rodel", "Rodel R. Catapang", false},
		{"CATAPANG, Rodel", "Rodel Reyes Cattapang", false},
		{"Lovely G. MERCADO", "Lvely Mercado", false},
		{"Lovely G. MERCADO", "Mercado, Lovely Garcia", false},
		{"Lovely G. MERCADO", "Lovely Garcia Mecrado", false},
		{"Lovely G. MERCADO", "Lovely Mercado", false},
		{"OCAMPO MARY JANE RAMOS", "Mary Jane Ramos Ocaampo", false},
		{"OCAMPO MARY JANE RAMOS", "Mary Jane Ocampo", false},
		{"Angelica G. DEL ROSARIO", "DEL ROSARIO ANGELICA", false},
		{"Angelica G. DEL ROSARIO", "Angelica Garcia del Rosario", false},
		{"DE LOS SANTOS ROWENA BAUTISTA", "Rowena de lso Santos", false},
		{"DE LOS SANTOS ROWENA BAUTISTA", "Rowena Bautista de los Santos", false},
		// A single word has no parts to compare.
		{"Madonna", "Madonna Louise Ciccone", false},
		{"SANTOS, Maria", "Santos", false},
	} {
		if got := namePartsClash(nameReadings(c.seed), nameReadings(c.variant)); got != c.clash {
			t.Errorf("namePartsClash(%q, %q) = %v, want %v (readings %+v, %+v)", c.seed, c.variant, got, c.clash, nameReadings(c.seed), nameReadings(c.variant))
		}
	}
}
