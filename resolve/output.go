package resolve

import (
	"bufio"
	"encoding/json"
	"io"
)

// MatchLine is one line of `vigil match` output: a lead and one candidate
// party, or the lead alone (PartyID null) when no party reaches
// "possible".
type MatchLine struct {
	LeadID    string   `json:"lead_id"`
	PartyID   *string  `json:"party_id"`
	Score     float64  `json:"score"`
	Bits      float64  `json:"bits"`
	PriorBits float64  `json:"prior_bits"`
	Decision  Decision `json:"decision"`
	Veto      string   `json:"veto,omitempty"`
	// ListShare and Rivals (a fitted lead list, see Scored) are what the
	// score is computed from with Bits and PriorBits: o / (1 − list_share
	// + o + rivals), o = 2^(prior_bits + bits).
	ListShare float64 `json:"list_share,omitempty"`
	Rivals    float64 `json:"rivals,omitempty"`
	// SamePerson names the other record of the same person (see Scored).
	SamePerson string                `json:"same_person,omitempty"`
	Fields     map[string]FieldScore `json:"fields"`
}

// WriteMatches writes one JSON line per lead and candidate, best first,
// and a non-match line with a null party_id for a lead without candidates.
// results[i] belongs to leads[i].
func WriteMatches(w io.Writer, leads []Record, results [][]Scored) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	enc := json.NewEncoder(bw)
	for i, c := range results {
		if len(c) == 0 {
			if err := enc.Encode(MatchLine{LeadID: leads[i].ID, Decision: DecisionNonMatch, Fields: map[string]FieldScore{}}); err != nil {
				return err
			}
			continue
		}
		for _, s := range c {
			id := s.PartyID
			if err := enc.Encode(MatchLine{LeadID: leads[i].ID, PartyID: &id, Score: round4(s.Score), Bits: s.Bits,
				PriorBits: s.PriorBits, Decision: s.Decision, Veto: s.Veto, ListShare: s.ListShare, Rivals: s.Rivals, SamePerson: s.SamePerson, Fields: s.Fields}); err != nil {
				return err
			}
		}
	}
	return bw.Flush()
}

func round4(x float64) float64 {
	if x > 0.9999 && x < 1 {
		return 0.9999 // never print certainty
	}
	return float64(int64(x*10000+0.5)) / 10000
}

// ClusterLine is one line of `vigil dedupe` output: a cluster of records
// that are one person, with the matched pairs that joined them.
type ClusterLine struct {
	ClusterID string        `json:"cluster_id"`
	PartyIDs  []string      `json:"party_ids"`
	Pairs     []ClusterPair `json:"pairs"`
}

// ClusterPair explains one matched pair inside a cluster.
type ClusterPair struct {
	A        string                `json:"a"`
	B        string                `json:"b"`
	Score    float64               `json:"score"`
	Bits     float64               `json:"bits"`
	Decision Decision              `json:"decision"`
	Veto     string                `json:"veto,omitempty"`
	Fields   map[string]FieldScore `json:"fields"`
}

// WriteClusters writes the clusters of more than one record, one JSON line
// each, named by their first record's id, with the pairs (match and
// possible) inside them. It returns the number of lines written.
func WriteClusters(w io.Writer, records []Record, res *DedupeResult) (int, error) {
	bw := bufio.NewWriterSize(w, 1<<16)
	enc := json.NewEncoder(bw)
	clusterOf := make([]int32, len(records))
	for c, members := range res.Clusters {
		for _, i := range members {
			clusterOf[i] = int32(c)
		}
	}
	pairs := make(map[int32][]Pair)
	for _, p := range res.Pairs {
		if c := clusterOf[p.A]; c == clusterOf[p.B] {
			pairs[c] = append(pairs[c], p)
		}
	}
	n := 0
	for c, members := range res.Clusters {
		if len(members) < 2 {
			continue
		}
		line := ClusterLine{ClusterID: records[members[0]].ID}
		for _, i := range members {
			line.PartyIDs = append(line.PartyIDs, records[i].ID)
		}
		for _, p := range pairs[int32(c)] {
			line.Pairs = append(line.Pairs, ClusterPair{A: records[p.A].ID, B: records[p.B].ID, Score: round4(p.Score),
				Bits: p.Bits, Decision: p.Decision, Veto: p.Veto, Fields: res.Explain(p.A, p.B)})
		}
		if err := enc.Encode(line); err != nil {
			return n, err
		}
		n++
	}
	return n, bw.Flush()
}
