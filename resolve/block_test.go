package resolve_test

import (
	"fmt"
	"testing"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/resolve"
)

// Pairs that only the name-word keys bring together, hidden in a
// population large enough that every weak key of theirs is shared by
// more than 50 records (so that only a strong key can join them).
func TestBlockingNameWords(t *testing.T) {
	recs := world(6000, 11)
	entity := make([]string, len(recs))
	for i := range recs {
		entity[i] = recs[i].ID
		recs[i].Email = "" // no email keys: the names must do it
		recs[i].Phone = ""
	}
	add := func(id string, a, b resolve.Record) {
		a.ID, b.ID = id+"a", id+"b"
		recs = append(recs, a, b)
		entity = append(entity, id, id)
	}
	// a surname written alone in the given-name column, with the city
	add("lone", resolve.Record{Given: "Thomas", Surname: "Rylands", City: "Leeds"},
		resolve.Record{Given: "Rylands", City: "Leeds"})
	// the given name only in the full name ("hon." in the given-name column)
	add("title", resolve.Record{Name: "Hon. Jonathan Collier", Given: "Hon.", Surname: "Collier", BirthDate: vigil.Date{Year: 1850}},
		resolve.Record{Given: "Jonathan", BirthDate: vigil.Date{Year: 1850, Month: 1, Day: 27}})
	// the same words, in another order, in the full name
	add("order", resolve.Record{Name: "Wilhelmina Tessaro Blanch", Given: "Wilhelmina", Surname: "Blanch"},
		resolve.Record{Given: "Tessaro", Surname: "Wilhelmina"})
	// an occupation and a common surname (250 Marchands), nothing else
	add("occupation", resolve.Record{Given: "Ebenezer", Surname: "Marchand", Occupation: "entomologist"},
		resolve.Record{Given: "Marchand", Occupation: "Entomologist"})
	rep := resolve.BlockingRecall(recs, entity, resolve.Options{})
	if rep.TruePairs != 4 {
		t.Fatalf("%d true pairs, want 4", rep.TruePairs)
	}
	if rep.Found != 4 {
		for _, p := range rep.Missed {
			t.Errorf("not blocked: %+v / %+v", recs[p[0]], recs[p[1]])
		}
	}
}

// Pairs whose every shared value carries a typo: only the keys of one
// edit (a name or email word with a letter deleted) bring them together.
// Hidden in a population large enough that the weak keys of common
// values are not compared.
func TestBlockingOneEdit(t *testing.T) {
	recs := world(6000, 13)
	entity := make([]string, len(recs))
	for i := range recs {
		entity[i] = recs[i].ID
		recs[i].Email = ""
		recs[i].Phone = ""
	}
	add := func(id string, a, b resolve.Record) {
		a.ID, b.ID = id+"a", id+"b"
		recs = append(recs, a, b)
		entity = append(entity, id, id)
	}
	// a digit for a letter in the one name word they have
	add("digit", resolve.Record{Given: "Richard", Surname: "Quinton", BirthDate: vigil.Date{Year: 1849, Month: 1, Day: 1}, City: "Enniskillen"},
		resolve.Record{Given: "Richard", Surname: "1uinton", Gender: "M"})
	// two letters swapped
	add("swap", resolve.Record{Given: "Nancy", Surname: "Wilkinsom", BirthDate: vigil.Date{Year: 1972, Month: 1, Day: 18}},
		resolve.Record{Surname: "Wilkisnom", BirthDate: vigil.Date{Year: 1981, Month: 12, Day: 17}})
	// a letter doubled against a letter dropped
	add("double", resolve.Record{Given: "Charlotte", Surname: "Harpenden"},
		resolve.Record{Surname: "Harppenen", BirthDate: vigil.Date{Year: 2018, Month: 2, Day: 12}})
	// the surname only in an email, with a typo in the name
	add("email", resolve.Record{Given: "Isaac", Email: "isaac.jonesworth54@bradford.net"},
		resolve.Record{Surname: "Jnesworth", BirthDate: vigil.Date{Year: 2018, Month: 1, Day: 21}})
	rep := resolve.BlockingRecall(recs, entity, resolve.Options{})
	if rep.TruePairs != 4 {
		t.Fatalf("%d true pairs, want 4", rep.TruePairs)
	}
	if rep.Found != 4 {
		for _, p := range rep.Missed {
			t.Errorf("not blocked: %+v / %+v", recs[p[0]], recs[p[1]])
		}
	}
	// and two edits apart is not one edit: "Wilkinsom" / "Wilkisnmo"
	far := []resolve.Record{{ID: "x", Surname: "Wilkinsom"}, {ID: "y", Surname: "Wilkisnmo"}}
	if rep := resolve.BlockingRecall(far, []string{"1", "1"}, resolve.Options{}); rep.Found != 0 {
		t.Errorf("two edits apart blocked together")
	}
}

// A nickname and its formal name, or two nicknames of one name, share a
// word: with the birth year or the city they block together where the
// year or the city alone is too common.
func TestBlockingNicknames(t *testing.T) {
	recs := world(6000, 17)
	entity := make([]string, len(recs))
	for i := range recs {
		entity[i] = recs[i].ID
		recs[i].Email = ""
		recs[i].Phone = ""
	}
	add := func(id string, a, b resolve.Record) {
		a.ID, b.ID = id+"a", id+"b"
		recs = append(recs, a, b)
		entity = append(entity, id, id)
	}
	add("year", resolve.Record{Given: "Alfred", Surname: "Bigland", BirthDate: vigil.Date{Year: recs[0].BirthDate.Year, Month: 1, Day: 1}},
		resolve.Record{Given: "Fred", BirthDate: vigil.Date{Year: recs[0].BirthDate.Year}, Gender: "F"})
	add("city", resolve.Record{Given: "Dickie", Surname: "Quintin", City: recs[0].City},
		resolve.Record{Given: "Rick", City: recs[0].City, Postcode: "BT74 4GP"})
	rep := resolve.BlockingRecall(recs, entity, resolve.Options{})
	if rep.TruePairs != 2 {
		t.Fatalf("%d true pairs, want 2", rep.TruePairs)
	}
	if rep.Found != 2 {
		for _, p := range rep.Missed {
			t.Errorf("not blocked: %+v / %+v", recs[p[0]], recs[p[1]])
		}
	}
}

// An email that does not parse still blocks and compares as written.
func TestBlockingBrokenEmail(t *testing.T) {
	recs := []resolve.Record{
		{ID: "a", Given: "Oliver", Surname: "Jones", Email: "oliverjones82@bond.biz"},
		{ID: "b", Email: "oliverjones82bond.biz", City: "London"},
		{ID: "c", Email: "j.t@pierce.biz"},
		{ID: "d", Email: "j.t@pierceeib.z"},
	}
	rep := resolve.BlockingRecall(recs, []string{"1", "1", "2", "2"}, resolve.Options{})
	if rep.Found != 2 {
		t.Errorf("blocked %d of 2 pairs sharing the start of an email", rep.Found)
	}
	m := resolve.NewMatcher(recs[3:], resolve.Options{})
	c := m.Candidates(resolve.Record{ID: "x", Email: "J.T@PierceEIB.z"})
	if len(c) == 0 || c[0].Fields["email"].Level != "same" {
		t.Errorf("unparsable email not compared as written: %+v", c)
	}
}

// Occupation is compared, and a rare occupation weighs more than a
// common one (term-frequency adjustment).
func TestOccupationTermFrequency(t *testing.T) {
	var recs []resolve.Record
	for i := 0; i < 200; i++ {
		occ := "politician"
		if i == 0 {
			occ = "entomologist"
		}
		recs = append(recs, resolve.Record{ID: fmt.Sprint(i), Given: "G" + fmt.Sprint(i), Surname: "Smith", Occupation: occ})
	}
	m := resolve.NewMatcher(recs, resolve.Options{})
	rare := m.Candidates(resolve.Record{Given: "G0", Surname: "Smith", Occupation: "Entomologist"})
	common := m.Candidates(resolve.Record{Given: "G1", Surname: "Smith", Occupation: "politician"})
	if len(rare) == 0 || len(common) == 0 {
		t.Fatal("no candidates")
	}
	r, c := rare[0].Fields["occupation"], common[0].Fields["occupation"]
	if r.Level != "same" || c.Level != "same" {
		t.Fatalf("levels %q %q", r.Level, c.Level)
	}
	if r.Bits <= c.Bits || r.TF >= c.TF {
		t.Errorf("rare occupation %+v should weigh more than common %+v", r, c)
	}
}
