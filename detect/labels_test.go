package detect

import (
	"strings"
	"testing"

	"github.com/vigilfiu/vigil"
)

func TestReadLabels(t *testing.T) {
	good := "label,party_id\n1,P1\n0,P2\n1,P1\n"
	m, err := ReadLabels(strings.NewReader(good), "l.csv")
	if err != nil || len(m) != 2 || m["P1"] != 1 || m["P2"] != 0 {
		t.Fatalf("got %v, %v", m, err)
	}
	bad := map[string]string{
		"":                             "l.csv:1:1: empty file",
		"party_id,score\n":             "l.csv:1:2: unknown column",
		"party_id,label\nP1,yes\n":     "l.csv:2:4: label",
		"party_id,label\n,1\n":         "l.csv:2:1: party_id: empty",
		"party_id,label\nP1,1\nP1,0\n": "l.csv:3:1: party P1 is labelled both",
		"party_id,label\nP1,1,x\n":     "l.csv:2:1: 3 fields",
		"party_id,label\n\"P1,1\n":     "l.csv:2:",
	}
	for in, want := range bad {
		_, err := ReadLabels(strings.NewReader(in), "l.csv")
		if err == nil || !strings.HasPrefix(vigil.ErrorMessage(err), want) || vigil.ErrorCode(err) != vigil.EINVALID {
			t.Errorf("%q: got %v, want %q…", in, err, want)
		}
	}
}

func FuzzReadLabels(f *testing.F) {
	f.Add("party_id,label\nP1,1\nP2,0\n")
	f.Add("label,party_id\n0,X\n")
	f.Add("party_id,label\n\"a\"\"b\",1\n")
	f.Fuzz(func(t *testing.T, in string) {
		m, err := ReadLabels(strings.NewReader(in), "f.csv")
		if err != nil {
			if vigil.ErrorCode(err) != vigil.EINVALID || !strings.HasPrefix(vigil.ErrorMessage(err), "f.csv:") {
				t.Fatalf("error without position: %v", err)
			}
			return
		}
		for id, v := range m {
			if id == "" || (v != 0 && v != 1) {
				t.Fatalf("bad label %q=%v", id, v)
			}
		}
	})
}

func FuzzParsePack(f *testing.F) {
	f.Add(string(defaultPackYAML))
	f.Add("name: x\nversion: 1\nthreshold: 0.5\n")
	f.Add("name: x\nversion: '1'\nthreshold: 2\nindicators: {LSC-FREQUENCY: {weight: 1}}\n")
	f.Fuzz(func(t *testing.T, in string) {
		p, err := ParsePack([]byte(in), "p.yaml")
		if err != nil {
			if vigil.ErrorCode(err) != vigil.EINVALID {
				t.Fatalf("code %s: %v", vigil.ErrorCode(err), err)
			}
			return
		}
		if _, err := NewEngine(p, Options{}); err != nil {
			t.Fatalf("valid pack refused by the engine: %v", err)
		}
		b, err := p.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ParsePack(b, "again.yaml"); err != nil {
			t.Fatalf("marshalled pack does not parse: %v\n%s", err, b)
		}
	})
}
