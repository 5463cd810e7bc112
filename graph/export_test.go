package graph_test

import (
	"bytes"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/graph"
)

func traceNetwork(t *testing.T) *graph.Network {
	w := newWorld(t)
	// Names that need escaping reach the export.
	w.parties[0].FullName = "John \"JJ\" Miller & <Sons>\nLtd"
	g := w.graph(t)
	res, err := g.Trace([]vigil.Lead{w.seed}, graph.TraceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	n := g.TraceNetwork(res, 0)
	if len(n.Nodes) != len(res.Parties)+2 { // F and G
		t.Fatalf("%d nodes, want %d parties and 2 beneficiaries", len(n.Nodes), len(res.Parties))
	}
	return n
}

func TestGEXFValidatesAgainstSchema(t *testing.T) {
	n := traceNetwork(t)
	var buf bytes.Buffer
	if err := n.WriteGEXF(&buf); err != nil {
		t.Fatal(err)
	}
	xsd := filepath.Join("..", "..", "shared", "formats", "graph-exchange", "gexf-1.3", "gexf.xsd")
	if _, err := os.Stat(xsd); err != nil {
		t.Skipf("GEXF 1.3 schema not found at %s (the shared formats are read from ../shared relative to the repository root)", xsd)
	}
	if _, err := exec.LookPath("xmllint"); err != nil {
		t.Skip("xmllint not installed (apt-get install libxml2-utils; CI installs it): GEXF not validated")
	}
	file := filepath.Join(t.TempDir(), "net.gexf")
	if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("xmllint", "--noout", "--nonet", "--schema", xsd, file).CombinedOutput()
	if err != nil {
		t.Fatalf("GEXF does not validate: %v\n%s", err, out)
	}
	if !strings.Contains(buf.String(), `label="John &#34;JJ&#34; Miller &amp; &lt;Sons&gt; Ltd"`) {
		t.Errorf("label not escaped as expected:\n%s", buf.String()[:min(2000, buf.Len())])
	}
	// A broken document must fail the same check, or the check proves nothing.
	bad := strings.Replace(buf.String(), `version="1.3"`, `version="9.9"`, 1)
	if err := os.WriteFile(file, []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := exec.Command("xmllint", "--noout", "--nonet", "--schema", xsd, file).Run(); err == nil {
		t.Fatal("xmllint accepted a GEXF with a wrong version")
	}
}

func TestGraphMLRoundTrip(t *testing.T) {
	n := traceNetwork(t)
	var buf bytes.Buffer
	if err := n.WriteGraphML(&buf); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Keys []struct {
			ID string `xml:"id,attr"`
		} `xml:"key"`
		Graph struct {
			Nodes []struct {
				ID   string `xml:"id,attr"`
				Data []struct {
					Key   string `xml:"key,attr"`
					Value string `xml:",chardata"`
				} `xml:"data"`
			} `xml:"node"`
			Edges []struct {
				Source string `xml:"source,attr"`
				Target string `xml:"target,attr"`
			} `xml:"edge"`
		} `xml:"graph"`
	}
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("GraphML is not well-formed: %v", err)
	}
	if len(doc.Graph.Nodes) != len(n.Nodes) || len(doc.Graph.Edges) != len(n.Edges) {
		t.Fatalf("GraphML has %d nodes, %d edges; want %d, %d", len(doc.Graph.Nodes), len(doc.Graph.Edges), len(n.Nodes), len(n.Edges))
	}
	ids := map[string]bool{}
	for _, nd := range doc.Graph.Nodes {
		ids[nd.ID] = true
	}
	for _, e := range doc.Graph.Edges {
		if !ids[e.Source] || !ids[e.Target] {
			t.Fatalf("edge %s → %s refers to a missing node", e.Source, e.Target)
		}
	}
	found := false
	for _, nd := range doc.Graph.Nodes {
		for _, d := range nd.Data {
			if d.Key == "label" && d.Value == "John \"JJ\" Miller & <Sons>\nLtd" {
				found = true
			}
		}
	}
	if !found {
		t.Error("label with special characters did not survive the round trip")
	}
}
