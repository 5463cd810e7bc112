package iso20022

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// FuzzISO20022 feeds arbitrary documents to the reader: it must never panic
// or loop, must end with io.EOF or an error, and every record it returns
// must satisfy vigil's invariants. The seed corpus is in
// testdata/fuzz/FuzzISO20022 (the synthetic messages of testdata and hostile
// documents).
func FuzzISO20022(f *testing.F) {
	f.Fuzz(func(t *testing.T, doc []byte) {
		rd := NewReaderLimits(bytes.NewReader(doc), "fuzz.xml", Limits{MaxToken: 4096, MaxDepth: 32, MaxEntryTransactions: 50})
		for i := 0; ; i++ {
			if i > len(doc)+10 {
				t.Fatalf("more records than bytes: the reader loops")
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
					t.Fatalf("invalid party returned: %v", err)
				}
			case KindTransfer:
				if err := rec.Transfer.Validate(); err != nil {
					t.Fatalf("invalid transfer returned: %v", err)
				}
			default:
				t.Fatalf("record kind %d", rec.Kind)
			}
		}
	})
}
