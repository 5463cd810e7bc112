package detect

import (
	"slices"
	"strings"
	"testing"

	"github.com/vigilfiu/vigil/resolve"
)

var nameSeeds = []string{
	"", "Maria Santos", "SANTOS, Maria Cristina", "de la Cruz, Juan", "O'Brien  Patrick", "Jean-Luc  PICARD",
	",Ana Reyes", "Mr. John SMITH", "ana  ", "  , , ", "x", "D`Souza, R.", "van der Berg Anna", "12 Main St Ltd",
	"José Rizal", "REYES Ma. Luisa", "a,b,c", "''", "Ng\tLi", "MUÑOZ, Pía",
	"Łukasz Wiśniewski", "NGUYỄN Thị Hồng", "Đặng Văn Ưng", "D`Souza, Zoë", "Straße ½ Æsir", "é,x", "\u00a0Ana\u00adé", "Ḑ\xffé",
}

// FuzzSenderName checks the one-pass ASCII path of senderName against the
// path through resolve.FoldName: same tokens, same surname, for every
// ASCII name; a name with any other byte must leave the ASCII path, and
// the Latin path (senderNameLatin), when it takes it, must agree too.
func FuzzSenderName(f *testing.F) {
	for _, s := range nameSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		toks, sur, ok := senderNameASCII(name)
		ascii := true
		for i := 0; i < len(name); i++ {
			if name[i] >= 0x80 {
				ascii = false
			}
		}
		if ok != ascii {
			t.Fatalf("senderNameASCII(%q) ok=%v, ascii=%v", name, ok, ascii)
		}
		if !ok {
			// A name with non-ASCII letters: the Latin path, when it
			// takes the name, must agree with the general one too.
			toks, sur, ok = senderNameLatin(name)
		}
		if !ok || name == "" {
			return
		}
		wantToks, wantSur := senderNameFold(name)
		if !slices.Equal(toks, wantToks) || (toks == nil) != (wantToks == nil) || sur != wantSur {
			t.Fatalf("senderNameASCII(%q) = %q, %q; senderNameFold = %q, %q", name, toks, sur, wantToks, wantSur)
		}
	})
}

// TestNameMemo checks the engine's memo of recipient names: every name put
// is found with what was put, through the table's growth, and a name never
// put is not found.
func TestNameMemo(t *testing.T) {
	m := newNameMemo()
	names := make([]string, 5000)
	for i := range names {
		names[i] = "name " + string(rune('a'+i%26)) + string(rune('A'+i/26%26)) + string(rune('0'+i/676))
	}
	for i, s := range names {
		h1, tag := m.hashes(s)
		if _, ok := m.get(h1, tag); ok {
			t.Fatalf("%q found before it was put", s)
		}
		m.put(h1, tag, recName{org: i%3 == 0, surname: uint32(i * 7)})
	}
	if len(m.slots) < 2*len(names) {
		t.Fatalf("table of %d slots for %d names: more than half full", len(m.slots), len(names))
	}
	for i, s := range names {
		h1, tag := m.hashes(s)
		nm, ok := m.get(h1, tag)
		if !ok || nm.org != (i%3 == 0) || nm.surname != uint32(i*7) {
			t.Fatalf("%q: got %+v %v, want org %v surname %d", s, nm, ok, i%3 == 0, i*7)
		}
	}
	if _, ok := m.get(m.hashes("never put")); ok {
		t.Fatal("a name never put was found")
	}
}

// FuzzRecipientName checks the ASCII path of recipientName against the
// general one (resolve.FoldName, strings.Fields, recipientSurname): the
// same organisation test and the same surname, for every ASCII name; a
// name with any other byte must leave the ASCII path, and the Latin path
// (recipientNameLatin), when it takes it, must agree too.
func FuzzRecipientName(f *testing.F) {
	for _, s := range nameSeeds {
		f.Add(s)
	}
	for _, s := range []string{"St. Luke's Foundation Inc", "REYES maria", "A B", "SANTOS Maria CRUZ", "x,", "'", "Ana 'o'", "DELA CRUZ, Ma. Theresa"} {
		f.Add(s)
	}
	pack, err := DefaultPack()
	if err != nil {
		f.Fatal(err)
	}
	e, err := NewEngine(pack, Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, name string) {
		org, sur, ok := e.recipientNameASCII(name)
		ascii := true
		for i := 0; i < len(name); i++ {
			if name[i] >= 0x80 {
				ascii = false
			}
		}
		if ok != ascii {
			t.Fatalf("recipientNameASCII(%q) ok=%v, ascii=%v", name, ok, ascii)
		}
		if !ok {
			org, sur, ok = e.recipientNameLatin(name)
		}
		if !ok {
			return
		}
		wantOrg := false
		for _, w := range strings.Fields(resolve.FoldName(name)) {
			if e.orgWords[w] {
				wantOrg = true
			}
		}
		if wantSur := recipientSurname(name); org != wantOrg || string(sur) != wantSur {
			t.Fatalf("recipientName paths (%q) = %v, %q; general path %v, %q", name, org, sur, wantOrg, wantSur)
		}
	})
}

// TestRecipientNameLatin: names with accented Latin letters take the Latin
// path and come out as the general path makes them, whether the surname
// is before a comma, a word in capitals (with a capital accented letter,
// or a one-letter word of two bytes) or the last word; a name with a
// letter outside the Latin table (Cyrillic) or a byte that is not UTF-8
// is left to the general path.
func TestRecipientNameLatin(t *testing.T) {
	pack, err := DefaultPack()
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewEngine(pack, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, sur string }{
		{"MUÑOZ, Pía", "munoz"},
		{"José Rizal", "rizal"},
		{"NGUYỄN Thị Hồng", "nguyen"},
		{"Ana ÑUÑEZ Cruz", "nunez"},
		{"Zoë É Marín", "e"},     // "É" is two bytes in capitals: the word picked
		{"ana é marín", "marin"}, // no capitals: the last word
		{"Straße Stiftung", "stiftung"},
		{"STRAßE maria", "strasse"}, // ß has no capital of its own: the word counts as capitals
		{"O'Briën, Seán", "obrien"},
		{",Łukasz Wiśniewski", "wisniewski"},
	} {
		org, sur, ok := e.recipientNameLatin(c.name)
		if !ok {
			t.Fatalf("%q: not taken by the Latin path", c.name)
		}
		wantOrg := false
		for _, w := range strings.Fields(resolve.FoldName(c.name)) {
			wantOrg = wantOrg || e.orgWords[w]
		}
		if string(sur) != c.sur || string(sur) != recipientSurname(c.name) || org != wantOrg {
			t.Errorf("%q: Latin path %v, %q; want %q (general path %v, %q)", c.name, org, sur, c.sur, wantOrg, recipientSurname(c.name))
		}
	}
	for _, name := range []string{"Иван Петров", "Ana \xff Cruz", "李 Wei"} {
		if _, _, ok := e.recipientNameLatin(name); ok {
			t.Errorf("%q: taken by the Latin path", name)
		}
	}
}
