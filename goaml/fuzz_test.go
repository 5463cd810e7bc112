package goaml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"testing"
)

// FuzzGoAML feeds arbitrary reports to the reader: it must not panic or
// loop, must end with io.EOF or an error repeated on the next call, and every
// record it returns must satisfy vigil's invariants. Seeds are in
// testdata/fuzz/FuzzGoAML (an exported STR and hostile documents).
func FuzzGoAML(f *testing.F) {
	f.Fuzz(func(t *testing.T, doc []byte) {
		rd := NewReaderLimits(bytes.NewReader(doc), "fuzz.xml", Limits{MaxToken: 4096, MaxDepth: 32, MaxNodes: 500})
		for i := 0; ; i++ {
			if i > len(doc)+10 {
				t.Fatal("more records than bytes: the reader loops")
			}
			rec, err := rd.Next()
			if err == io.EOF {
				return
			}
			var re *RecordError
			if errors.As(err, &re) {
				continue
			}
			if err != nil {
				if _, err2 := rd.Next(); err2 != err {
					t.Fatalf("fatal error %v not repeated: %v", err, err2)
				}
				return
			}
			switch rec.Kind {
			case KindParty:
				if err := rec.Party.Validate(); err != nil {
					t.Fatalf("invalid party: %v", err)
				}
			case KindTransfer:
				if err := rec.Transfer.Validate(); err != nil {
					t.Fatalf("invalid transfer: %v", err)
				}
			default:
				t.Fatalf("record kind %d", rec.Kind)
			}
		}
	})
}

// FuzzProfile feeds arbitrary profile files to ParseProfile: it must not
// panic, and a profile it accepts must write the test report either as
// well-formed XML or with an error, never panic. Seeds are in
// testdata/fuzz/FuzzProfile (the embedded profiles and broken variants).
func FuzzProfile(f *testing.F) {
	ent := &Entity{ID: 47, LocalCurrency: "EUR", Person: Person{FirstName: "Eva", LastName: "Lind"}}
	f.Fuzz(func(t *testing.T, doc []byte) {
		p, err := ParseProfile(doc, "fuzz.yaml")
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := Write(&buf, ent, testReport(), p); err != nil {
			return
		}
		dec := xml.NewDecoder(&buf)
		for {
			_, err := dec.Token()
			if err == io.EOF {
				return
			}
			if err != nil {
				t.Fatalf("profile accepted but output is not well-formed XML: %v", err)
			}
		}
	})
}
