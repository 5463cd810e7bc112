package vigil

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// FindingKind names what produced a finding: one of the JSON-lines outputs
// of vigil match, vigil trace, vigil correlate and vigil dedupe.
type FindingKind string

const (
	FindingMatch   FindingKind = "match"    // a lead matched to a party (vigil match)
	FindingTrace   FindingKind = "trace"    // a party ranked by a trace from seeds (vigil trace)
	FindingHandle  FindingKind = "links"    // a call-log handle attributed to a party (vigil correlate)
	FindingCluster FindingKind = "clusters" // records that are one person (vigil dedupe)
)

// ValidFindingKind reports whether k is a known finding kind.
func ValidFindingKind(k FindingKind) bool {
	switch k {
	case FindingMatch, FindingTrace, FindingHandle, FindingCluster:
		return true
	}
	return false
}

// Audit actions of the findings (the other actions are in audit.go).
const (
	AuditImportFindings = "import_findings"
	AuditViewFindings   = "view_findings"
)

// MatchField is one field's comparison in a lead match: its agreement
// level, its weight in bits and the two normalised values compared.
type MatchField struct {
	Level string  `json:"level"`
	Bits  float64 `json:"bits"`
	Lead  string  `json:"lead,omitempty"`
	Party string  `json:"party,omitempty"`
	TF    float64 `json:"tf,omitempty"` // share of records with this value, when term-frequency adjusted
}

// LeadMatch is one line of vigil match: a lead and one candidate party, or
// the lead alone (PartyID nil) when no party reached "possible".
type LeadMatch struct {
	LeadID    string                `json:"lead_id"`
	PartyID   *string               `json:"party_id"`
	Score     float64               `json:"score"`
	Bits      float64               `json:"bits"`
	PriorBits float64               `json:"prior_bits"`
	Decision  string                `json:"decision"` // match, possible or non-match
	Veto      string                `json:"veto,omitempty"`
	Fields    map[string]MatchField `json:"fields"`
}

// DedupePair is one scored pair of records inside a dedupe cluster.
type DedupePair struct {
	A        string                `json:"a"`
	B        string                `json:"b"`
	Score    float64               `json:"score"`
	Bits     float64               `json:"bits"`
	Decision string                `json:"decision"`
	Veto     string                `json:"veto,omitempty"`
	Fields   map[string]MatchField `json:"fields"`
}

// DedupeCluster is one line of vigil dedupe: party records that are one
// person, with the pairs that joined them.
type DedupeCluster struct {
	ClusterID string       `json:"cluster_id"`
	PartyIDs  []string     `json:"party_ids"`
	Pairs     []DedupePair `json:"pairs"`
}

// Finding is one imported result of match, trace, correlate or dedupe,
// kept in the store so that the workspace can show it and cases can cite
// it. Its identity is its natural key, so importing the same file twice
// stores nothing new. Exactly one of Match, Trace, Handle, Cluster is set,
// as Kind says.
type Finding struct {
	ID   string      `json:"finding_id"` // "F-" and 16 hex digits of the hash of Kind and Key
	Kind FindingKind `json:"kind"`
	// Key is the natural key: match "lead|party", trace "seeds|party",
	// links "account|handle", clusters the sorted party ids.
	Key string `json:"key"`
	// Leads are the lead or seed ids the finding is about (match: the lead;
	// trace: the seeds reached); links: the device owner's handle.
	Leads []string `json:"leads,omitempty"`
	// PartyIDs are the domestic parties concerned: the matched, traced or
	// attributed party, or every record of a cluster. Empty for a
	// non-match and for a handle attributed to no one.
	PartyIDs []string `json:"party_ids,omitempty"`
	Score    float64  `json:"score"`
	Decision string   `json:"decision"` // match/possible/non-match; direct_payer/second_degree/relative; attributed/unattributed; duplicate
	// Explanation says in words why: the fields that agreed and disagreed,
	// the trace facts, the coincidences behind an attribution.
	Explanation []string  `json:"explanation"`
	Source      string    `json:"source"` // file:line it was imported from
	RunAt       time.Time `json:"run_at"` // when the run wrote the file (its modification time)
	ImportedAt  time.Time `json:"imported_at"`

	Match   *LeadMatch     `json:"match,omitempty"`
	Trace   *TracedParty   `json:"trace,omitempty"`
	Handle  *HandleLink    `json:"handle,omitempty"`
	Cluster *DedupeCluster `json:"cluster,omitempty"`
}

// FindingID returns the identifier of the finding of kind with natural key.
func FindingID(kind FindingKind, key string) string {
	h := sha256.Sum256([]byte(string(kind) + "\x00" + key))
	return "F-" + hex.EncodeToString(h[:8])
}

// Title is a one-line description of the finding for lists and case titles.
func (f *Finding) Title() string {
	parties := strings.Join(f.PartyIDs, ", ")
	switch f.Kind {
	case FindingMatch:
		if parties == "" {
			return "Lead " + strings.Join(f.Leads, ", ") + ": no matching party"
		}
		return "Lead " + strings.Join(f.Leads, ", ") + " " + f.Decision + " " + parties
	case FindingTrace:
		return "Trace from " + strings.Join(f.Leads, ", ") + ": " + parties + " (" + strings.ReplaceAll(f.Decision, "_", " ") + ")"
	case FindingHandle:
		if f.Handle != nil {
			if parties == "" {
				return "Handle " + f.Handle.Handle + ": not attributed"
			}
			return "Handle " + f.Handle.Handle + " attributed to " + parties
		}
	case FindingCluster:
		return "Duplicate records " + parties
	}
	return string(f.Kind) + " " + f.Key
}

// EvidenceKind is the kind of case evidence the finding becomes: a lead
// match, trace result or dedupe link is a match; a handle is an attribution.
func (f *Finding) EvidenceKind() string {
	if f.Kind == FindingHandle {
		return EvidenceAttribution
	}
	return EvidenceMatch
}

// Validate checks the finding's invariants.
func (f *Finding) Validate() error {
	n := 0
	for _, set := range []bool{f.Match != nil, f.Trace != nil, f.Handle != nil, f.Cluster != nil} {
		if set {
			n++
		}
	}
	switch {
	case !ValidFindingKind(f.Kind):
		return Errorf(EINVALID, "finding kind %q is not one of match, trace, links, clusters", f.Kind)
	case f.Key == "":
		return Errorf(EINVALID, "finding has no natural key")
	case f.ID != FindingID(f.Kind, f.Key):
		return Errorf(EINVALID, "finding id %q does not belong to its kind and key", f.ID)
	case n != 1:
		return Errorf(EINVALID, "finding %s must carry exactly one result", f.ID)
	case f.Source == "":
		return Errorf(EINVALID, "finding %s has no provenance", f.ID)
	case math.IsNaN(f.Score) || math.IsInf(f.Score, 0):
		return Errorf(EINVALID, "finding %s: score is not a number", f.ID)
	}
	return nil
}

// FindingFilter selects findings. Nil fields are not filtered on.
type FindingFilter struct {
	Kind    *FindingKind
	PartyID *string // findings concerning this party
	LeadID  *string // findings about this lead or seed
	Offset  int
	Limit   int // 0: no limit
}

// FindingImport counts what an import did.
type FindingImport struct {
	Inserted  int `json:"inserted"`
	Updated   int `json:"updated"`   // same key, different result: replaced, provenance updated
	Unchanged int `json:"unchanged"` // same key and result: nothing written
}

// FindingService stores findings. Callers check roles; reading a finding
// is party-level information (analysts, investigators, supervisors), not
// case content.
type FindingService interface {
	// PutFindings stores findings atomically, idempotent by natural key:
	// an identical finding changes nothing, a changed one replaces the old
	// (with its new provenance). EINVALID when one does not validate.
	PutFindings(ctx context.Context, fs []*Finding) (FindingImport, error)
	// FindFindingByID returns ENOTFOUND when there is no such finding.
	FindFindingByID(ctx context.Context, id string) (*Finding, error)
	// FindFindings returns matching findings, best score first, and the total.
	FindFindings(ctx context.Context, f FindingFilter) ([]*Finding, int, error)
}

// DetectFindingKind tells the kind of a JSON line of match, trace,
// correlate or dedupe output from its keys.
func DetectFindingKind(line []byte) (FindingKind, error) {
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(line, &keys); err != nil {
		return "", Errorf(EINVALID, "not a JSON object: %v", err)
	}
	has := func(k string) bool { _, ok := keys[k]; return ok }
	switch {
	case has("lead_id") && has("decision"):
		return FindingMatch, nil
	case has("cluster_id"):
		return FindingCluster, nil
	case has("handle") && has("account"):
		return FindingHandle, nil
	case has("party_id") && has("rank"):
		return FindingTrace, nil
	}
	return "", Errorf(EINVALID, "not a line of vigil match, trace, correlate or dedupe output (give --kind)")
}

// ReadFindings reads JSON lines of kind (empty: detected from the first
// line) from r, named name in provenance and errors, and calls fn with the
// finding of each line in order. runAt is the time of the run that wrote
// the file. A bad line is EINVALID naming name:line:column and the reason.
func ReadFindings(r io.Reader, name string, kind FindingKind, runAt time.Time, fn func(*Finding) error) error {
	if kind != "" && !ValidFindingKind(kind) {
		return Errorf(EINVALID, "kind %q is not one of match, trace, links, clusters", kind)
	}
	runAt = runAt.UTC().Truncate(time.Second)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		if kind == "" {
			k, err := DetectFindingKind(b)
			if err != nil {
				return Errorf(EINVALID, "%s:%d:1: %s", name, line, ErrorMessage(err))
			}
			kind = k
		}
		f, err := parseFinding(kind, b)
		if err != nil {
			col := 1
			var se *json.SyntaxError
			var te *json.UnmarshalTypeError
			switch {
			case asErr(err, &se):
				col = int(se.Offset)
			case asErr(err, &te):
				col = int(te.Offset)
			}
			return Errorf(EINVALID, "%s:%d:%d: %s", name, line, col, reason(err))
		}
		f.Source = name + ":" + strconv.Itoa(line)
		f.RunAt = runAt
		if err := f.Validate(); err != nil {
			return Errorf(EINVALID, "%s:%d:1: %s", name, line, ErrorMessage(err))
		}
		if err := fn(f); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return Errorf(EINVALID, "%s:%d: %v", name, line+1, err)
	}
	return nil
}

func asErr[T error](err error, target *T) bool {
	t, ok := err.(T)
	if ok {
		*target = t
	}
	return ok
}

func reason(err error) string {
	if e, ok := err.(*Error); ok {
		return e.Message
	}
	return err.Error()
}

// decodeStrict decodes one JSON object, refusing trailing data.
func decodeStrict(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return Errorf(EINVALID, "more than one JSON value on the line")
	}
	return nil
}

func finite(what string, xs ...float64) error {
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return Errorf(EINVALID, "%s is not a finite number", what)
		}
	}
	return nil
}

func parseFinding(kind FindingKind, b []byte) (*Finding, error) {
	f := &Finding{Kind: kind}
	switch kind {
	case FindingMatch:
		var m LeadMatch
		if err := decodeStrict(b, &m); err != nil {
			return nil, err
		}
		if m.LeadID == "" {
			return nil, Errorf(EINVALID, "lead_id is required")
		}
		if m.Decision != "match" && m.Decision != "possible" && m.Decision != "non-match" {
			return nil, Errorf(EINVALID, "decision %q is not match, possible or non-match", m.Decision)
		}
		if err := finite("score", m.Score, m.Bits); err != nil {
			return nil, err
		}
		party := ""
		if m.PartyID != nil {
			party = *m.PartyID
			f.PartyIDs = []string{party}
		}
		f.Key, f.Leads, f.Score, f.Decision, f.Match = m.LeadID+"|"+party, []string{m.LeadID}, m.Score, m.Decision, &m
		f.Explanation = explainFields(m.Decision, m.Score, m.Bits, m.Veto, m.Fields)
	case FindingTrace:
		var t TracedParty
		if err := decodeStrict(b, &t); err != nil {
			return nil, err
		}
		if t.PartyID == "" {
			return nil, Errorf(EINVALID, "party_id is required")
		}
		if err := finite("score", t.Score, t.Evidence.PPR); err != nil {
			return nil, err
		}
		seeds := append([]string(nil), t.Evidence.Seeds...)
		sort.Strings(seeds)
		f.Key, f.Leads, f.PartyIDs, f.Score, f.Decision, f.Trace = strings.Join(seeds, ",")+"|"+t.PartyID, seeds, []string{t.PartyID}, t.Score, t.Evidence.Relation, &t
		if f.Decision == "" {
			f.Decision = "degree " + strconv.Itoa(t.Degree)
		}
		f.Explanation = append(f.Explanation, fmt.Sprintf("rank %d, degree %d, path %s", t.Rank, t.Degree, strings.Join(t.Path, " → ")))
		f.Explanation = append(f.Explanation, t.Evidence.Facts...)
	case FindingHandle:
		var h HandleLink
		if err := decodeStrict(b, &h); err != nil {
			return nil, err
		}
		if h.Handle == "" {
			return nil, Errorf(EINVALID, "handle is required")
		}
		if err := finite("confidence", h.Confidence, h.PValue, h.Expected); err != nil {
			return nil, err
		}
		f.Key, f.Score, f.Handle, f.Decision = h.Account+"|"+h.Handle, h.Confidence, &h, "unattributed"
		if h.Account != "" {
			f.Leads = []string{h.Account}
		}
		if h.PartyID != nil && *h.PartyID != "" {
			f.PartyIDs, f.Decision = []string{*h.PartyID}, "attributed"
		}
		f.Explanation = append(f.Explanation, fmt.Sprintf("%d of %d sessions paired with a payment (%.1f expected by chance, p = %.2g)", h.Matched, h.Sessions, h.Expected, h.PValue))
		if h.Reason != "" {
			f.Explanation = append(f.Explanation, h.Reason)
		}
		if h.Identity != "" {
			f.Explanation = append(f.Explanation, "the handle names the candidate by "+h.Identity)
		}
	case FindingCluster:
		var c DedupeCluster
		if err := decodeStrict(b, &c); err != nil {
			return nil, err
		}
		if len(c.PartyIDs) < 2 {
			return nil, Errorf(EINVALID, "a cluster needs at least two party_ids")
		}
		ids := append([]string(nil), c.PartyIDs...)
		sort.Strings(ids)
		for i, id := range ids {
			if id == "" || (i > 0 && ids[i-1] == id) {
				return nil, Errorf(EINVALID, "party_ids must be distinct and not empty")
			}
		}
		best := 0.0
		for _, p := range c.Pairs {
			if err := finite("pair score", p.Score, p.Bits); err != nil {
				return nil, err
			}
			best = math.Max(best, p.Score)
			ex := explainFields(p.Decision, p.Score, p.Bits, p.Veto, p.Fields)
			ex[0] = p.A + " and " + p.B + ": " + ex[0]
			f.Explanation = append(f.Explanation, strings.Join(ex, "; "))
		}
		f.Key, f.PartyIDs, f.Score, f.Decision, f.Cluster = strings.Join(ids, ","), ids, best, "duplicate", &c
	default:
		return nil, Errorf(EINVALID, "kind %q is not one of match, trace, links, clusters", kind)
	}
	f.ID = FindingID(f.Kind, f.Key)
	return f, nil
}

// explainFields puts a Fellegi–Sunter score in words: the decision and the
// fields by weight, strongest first.
func explainFields(decision string, score, bits float64, veto string, fields map[string]MatchField) []string {
	out := []string{fmt.Sprintf("%s, score %.4f (%.2f bits)", decision, score, bits)}
	if veto != "" {
		out = append(out, "veto: "+veto)
	}
	names := make([]string, 0, len(fields))
	for k := range fields {
		names = append(names, k)
	}
	sort.Slice(names, func(i, j int) bool {
		a, b := math.Abs(fields[names[i]].Bits), math.Abs(fields[names[j]].Bits)
		if a != b {
			return a > b
		}
		return names[i] < names[j]
	})
	for _, k := range names {
		fs := fields[k]
		s := fmt.Sprintf("%s %s (%+.2f bits)", strings.ReplaceAll(k, "_", " "), fs.Level, fs.Bits)
		if fs.Lead != "" || fs.Party != "" {
			s += fmt.Sprintf(": %q vs %q", fs.Lead, fs.Party)
		}
		out = append(out, s)
	}
	return out
}
