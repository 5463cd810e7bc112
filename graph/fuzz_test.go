package graph_test

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/graph"
)

// FuzzExportLabels checks that any party or beneficiary text gives
// well-formed GEXF and GraphML.
func FuzzExportLabels(f *testing.F) {
	for _, s := range []string{"Maria Cristina Santos", "a & b <c> \"d\"", "line\nbreak\ttab", "\x00\x01\xff", "  spaced  ", "]]>", "Ñoño Müller"} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, party, ben string) {
		n := &graph.Network{
			Title: party,
			Nodes: []graph.NetNode{{ID: "party:" + party, Label: party, Kind: "party", Relation: ben}, {ID: "beneficiary:" + ben, Label: ben, Kind: "beneficiary", Country: ben}},
			Edges: []graph.NetEdge{{Source: "party:" + party, Target: "beneficiary:" + ben, Count: 1, Total: "1", Currency: ben, First: time.Unix(0, 0), Last: time.Unix(0, 0), Tie: ben}},
		}
		for _, write := range []func(io.Writer) error{n.WriteGEXF, n.WriteGraphML} {
			var buf bytes.Buffer
			if err := write(&buf); err != nil {
				t.Fatal(err)
			}
			d := xml.NewDecoder(&buf)
			for {
				_, err := d.Token()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatalf("not well-formed for %q, %q: %v", party, ben, err)
				}
			}
		}
	})
}

// FuzzResolveSeed checks that any seed text gives candidates with scores
// in [0,1], best first, picked exactly above the threshold.
func FuzzResolveSeed(f *testing.F) {
	f.Add("SANTOS, Maria Cristina", "+63 917 123 4567", "", "PH", "Cebu")
	f.Add("Ma. Cristina", "09171234567", "PH-1234", "", "")
	f.Add("", "", "acct", "XX", "")
	f.Add("ÀÉÎ ØÜ ß", "+", "---", "ph", "\x00")
	w := newWorld(f)
	g := w.graph(f)
	f.Fuzz(func(t *testing.T, name, phone, account, country, city string) {
		l := vigil.Lead{ID: "x", FullName: name, Phone: phone, Account: account, Country: country, City: city}
		cs := g.ResolveSeed(&l, graph.DefaultSeedThreshold, 0)
		for i, c := range cs {
			if c.Score < 0 || c.Score > 1 || (c.Score >= graph.DefaultSeedThreshold) != c.Picked {
				t.Fatalf("candidate %+v", c)
			}
			if i > 0 && c.Score > cs[i-1].Score {
				t.Fatal("candidates not best first")
			}
		}
	})
}

// FuzzIdentKey checks that an identifier's key does not depend on the
// spaces, dashes, dots and plus signs it is written with, nor on case.
func FuzzIdentKey(f *testing.F) {
	for _, s := range []string{"+63 929 099 6416", "09290996416", "bear.ariel1", "", "12345", "PH-12 34/56", "\xff\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k := graph.IdentKey(s)
		var b []byte
		for i := 0; i < len(s); i++ {
			b = append(b, s[i])
			if i%3 == 0 {
				b = append(b, " -.+"[i%4])
			}
		}
		if k2 := graph.IdentKey(string(b)); k2 != k {
			t.Fatalf("IdentKey(%q) = %d, IdentKey(%q) = %d", s, k, b, k2)
		}
		if k3 := graph.IdentKey(strings.ToUpper(s)); k3 != k && isASCII(s) {
			t.Fatalf("IdentKey(%q) = %d, upper case %d", s, k, k3)
		}
	})
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
