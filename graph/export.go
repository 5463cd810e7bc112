package graph

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"
)

// Network is the part of the payment network an investigator exports: the
// seeds' beneficiaries, the traced senders and the recipients they share.
type Network struct {
	Title string
	Nodes []NetNode
	Edges []NetEdge
}

// NetNode is a sender (kind "party") or a beneficiary (kind "beneficiary").
type NetNode struct {
	ID       string // "party:<party_id>" or "beneficiary:<beneficiary_id>"
	Label    string
	Kind     string
	Seed     bool // a beneficiary picked for a seed
	Score    float64
	Rank     int    // trace rank of a party, 0 for beneficiaries
	Relation string // direct_payer, second_degree, relative; "" for beneficiaries
	Country  string
}

// NetEdge is the aggregate of one sender's payments to one beneficiary.
type NetEdge struct {
	Source, Target string // node ids: party → beneficiary
	Count          int
	Total          string // exact decimal
	Currency       string // "" when mixed
	First, Last    time.Time
	Typology       float64
	Tie            string
	Weight         float64
}

// TraceNetwork selects the network around a trace: the picked
// beneficiaries, the first maxParties ranked parties (0: all) and every
// beneficiary that is a seed or is paid by at least two of those parties,
// with the edges between them.
func (g *Graph) TraceNetwork(res *TraceResult, maxParties int) *Network {
	n := &Network{Title: "vigil trace"}
	parties := res.Parties
	if maxParties > 0 && len(parties) > maxParties {
		parties = parties[:maxParties]
	}
	isSeed := map[int32]bool{}
	for _, b := range res.SeedBeneficiaries {
		isSeed[b] = true
	}
	in := map[int32]bool{}
	paidBy := map[int32]int{}
	var senders []int32
	for _, p := range parties {
		s, ok := g.SenderIndex(p.PartyID)
		if !ok {
			continue
		}
		senders = append(senders, s)
		for _, e := range g.SenderEdges(s) {
			paidBy[e.Beneficiary]++
		}
	}
	for b, c := range paidBy {
		if c >= 2 || isSeed[b] {
			in[b] = true
		}
	}
	for b := range isSeed {
		in[b] = true
	}
	var bens []int32
	for b := range in {
		bens = append(bens, b)
	}
	slices.Sort(bens)
	for _, b := range bens {
		be := &g.Beneficiaries[b]
		n.Nodes = append(n.Nodes, NetNode{ID: "beneficiary:" + be.ID, Label: be.Name, Kind: "beneficiary", Seed: isSeed[b], Country: be.Country})
	}
	for _, p := range parties {
		label := p.Name
		if label == "" {
			label = p.PartyID
		}
		n.Nodes = append(n.Nodes, NetNode{ID: "party:" + p.PartyID, Label: label, Kind: "party", Score: p.Score, Rank: p.Rank, Relation: p.Evidence.Relation})
	}
	for _, s := range senders {
		for i := range g.SenderEdges(s) {
			e := &g.SenderEdges(s)[i]
			if !in[e.Beneficiary] {
				continue
			}
			ps := g.Payments(e)
			n.Edges = append(n.Edges, NetEdge{
				Source: "party:" + g.Senders[s].ID, Target: "beneficiary:" + g.Beneficiaries[e.Beneficiary].ID,
				Count: int(e.Count), Total: e.Total.String(), Currency: g.EdgeCurrency(e),
				First: ps[0].Time(), Last: ps[len(ps)-1].Time(),
				Typology: round6(float64(e.Typology)), Tie: e.Tie.String(), Weight: round6(float64(e.Weight)),
			})
		}
	}
	return n
}

type xmlWriter struct {
	w   *bufio.Writer
	err error
}

func (x *xmlWriter) raw(s string) {
	if x.err == nil {
		_, x.err = x.w.WriteString(s)
	}
}

func (x *xmlWriter) esc(s string) {
	if x.err == nil {
		x.err = xml.EscapeText(x.w, []byte(s))
	}
}

// attr writes ` name="value"` with the value escaped.
func (x *xmlWriter) attr(name, value string) {
	x.raw(" " + name + `="`)
	x.esc(value)
	x.raw(`"`)
}

type attrDef struct{ id, title, typ string }

var (
	nodeAttrs = []attrDef{{"kind", "kind", "string"}, {"seed", "seed", "boolean"}, {"score", "score", "double"}, {"rank", "rank", "integer"}, {"relation", "relation", "string"}, {"country", "country", "string"}}
	edgeAttrs = []attrDef{{"count", "transfers", "integer"}, {"total", "total", "string"}, {"currency", "currency", "string"}, {"first", "first", "string"}, {"last", "last", "string"}, {"typology", "typology", "double"}, {"tie", "tie", "string"}}
)

func (nd *NetNode) values() []string {
	return []string{nd.Kind, strconv.FormatBool(nd.Seed), strconv.FormatFloat(nd.Score, 'g', -1, 64), strconv.Itoa(nd.Rank), nd.Relation, nd.Country}
}

func (e *NetEdge) values() []string {
	return []string{strconv.Itoa(e.Count), e.Total, e.Currency, e.First.Format(time.RFC3339), e.Last.Format(time.RFC3339), strconv.FormatFloat(e.Typology, 'g', -1, 64), e.Tie}
}

// WriteGEXF writes the network as GEXF 1.3 (gexf.net/1.3), directed from
// party to beneficiary, with the trace's scores and the edges' figures as
// attributes, so that Gephi can size and partition by them.
func (n *Network) WriteGEXF(w io.Writer) error {
	x := &xmlWriter{w: bufio.NewWriter(w)}
	x.raw(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	x.raw(`<gexf xmlns="http://gexf.net/1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">` + "\n")
	x.raw(`  <meta lastmodifieddate="` + time.Now().UTC().Format("2006-01-02") + `"><creator>vigil</creator><description>`)
	x.esc(n.Title + ": payment network, metadata only")
	x.raw("</description></meta>\n")
	x.raw(`  <graph defaultedgetype="directed" mode="static">` + "\n")
	for _, c := range []struct {
		class string
		defs  []attrDef
	}{{"node", nodeAttrs}, {"edge", edgeAttrs}} {
		x.raw(`    <attributes class="` + c.class + `">` + "\n")
		for _, d := range c.defs {
			x.raw("      <attribute")
			x.attr("id", d.id)
			x.attr("title", d.title)
			x.attr("type", d.typ)
			x.raw("/>\n")
		}
		x.raw("    </attributes>\n")
	}
	x.raw(fmt.Sprintf("    <nodes count=\"%d\">\n", len(n.Nodes)))
	for i := range n.Nodes {
		nd := &n.Nodes[i]
		x.raw("      <node")
		x.attr("id", nd.ID)
		x.attr("label", token(nd.Label))
		x.raw("><attvalues>")
		for j, v := range nd.values() {
			if v == "" {
				continue
			}
			x.raw("<attvalue")
			x.attr("for", nodeAttrs[j].id)
			x.attr("value", v)
			x.raw("/>")
		}
		x.raw("</attvalues></node>\n")
	}
	x.raw("    </nodes>\n")
	x.raw(fmt.Sprintf("    <edges count=\"%d\">\n", len(n.Edges)))
	for i := range n.Edges {
		e := &n.Edges[i]
		x.raw("      <edge")
		x.attr("id", strconv.Itoa(i))
		x.attr("source", e.Source)
		x.attr("target", e.Target)
		x.attr("weight", strconv.FormatFloat(e.Weight, 'g', -1, 64))
		x.raw("><attvalues>")
		for j, v := range e.values() {
			if v == "" {
				continue
			}
			x.raw("<attvalue")
			x.attr("for", edgeAttrs[j].id)
			x.attr("value", v)
			x.raw("/>")
		}
		x.raw("</attvalues></edge>\n")
	}
	x.raw("    </edges>\n  </graph>\n</gexf>\n")
	if x.err != nil {
		return x.err
	}
	return x.w.Flush()
}

// WriteGraphML writes the network as GraphML 1.0 with typed keys.
func (n *Network) WriteGraphML(w io.Writer) error {
	x := &xmlWriter{w: bufio.NewWriter(w)}
	x.raw(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	x.raw(`<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">` + "\n")
	gtype := map[string]string{"string": "string", "boolean": "boolean", "double": "double", "integer": "int"}
	x.raw(`  <key id="label" for="node" attr.name="label" attr.type="string"/>` + "\n")
	for _, d := range nodeAttrs {
		x.raw("  <key")
		x.attr("id", "n_"+d.id)
		x.raw(` for="node"`)
		x.attr("attr.name", d.title)
		x.attr("attr.type", gtype[d.typ])
		x.raw("/>\n")
	}
	x.raw(`  <key id="weight" for="edge" attr.name="weight" attr.type="double"/>` + "\n")
	for _, d := range edgeAttrs {
		x.raw("  <key")
		x.attr("id", "e_"+d.id)
		x.raw(` for="edge"`)
		x.attr("attr.name", d.title)
		x.attr("attr.type", gtype[d.typ])
		x.raw("/>\n")
	}
	x.raw(`  <graph id="G" edgedefault="directed">` + "\n")
	for i := range n.Nodes {
		nd := &n.Nodes[i]
		x.raw("    <node")
		x.attr("id", nd.ID)
		x.raw(`><data key="label">`)
		x.esc(nd.Label)
		x.raw("</data>")
		for j, v := range nd.values() {
			if v == "" {
				continue
			}
			x.raw(`<data key="n_` + nodeAttrs[j].id + `">`)
			x.esc(v)
			x.raw("</data>")
		}
		x.raw("</node>\n")
	}
	for i := range n.Edges {
		e := &n.Edges[i]
		x.raw("    <edge")
		x.attr("id", "e"+strconv.Itoa(i))
		x.attr("source", e.Source)
		x.attr("target", e.Target)
		x.raw(`><data key="weight">` + strconv.FormatFloat(e.Weight, 'g', -1, 64) + "</data>")
		for j, v := range e.values() {
			if v == "" {
				continue
			}
			x.raw(`<data key="e_` + edgeAttrs[j].id + `">`)
			x.esc(v)
			x.raw("</data>")
		}
		x.raw("</edge>\n")
	}
	x.raw("  </graph>\n</graphml>\n")
	if x.err != nil {
		return x.err
	}
	return x.w.Flush()
}

// token makes a label an xs:token: no leading, trailing or repeated
// spaces and no line breaks or tabs.
func token(s string) string {
	b := make([]byte, 0, len(s))
	space := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			if !space {
				b = append(b, ' ')
				space = true
			}
			continue
		}
		b = append(b, c)
		space = false
	}
	for len(b) > 0 && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	return string(b)
}
