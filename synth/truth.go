package synth

import (
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/vigilfiu/vigil"
)

// Truth is the ground truth of a generated world, read back from
// dir/truth/ by ReadTruth. Evaluations compare the product's output with
// it; the product itself must never read it.
type Truth struct {
	// Segment maps every party id to buyer, family, webcam, romance,
	// sponsor, self or ordinary. A second record has its person's segment.
	Segment map[string]string
	// Recipient maps every transfer id to the id of its true recipient.
	Recipient map[string]string
	// RecipientRole maps every recipient id to facilitator, relative,
	// webcam_platform, scammer, charity, self or other.
	RecipientRole map[string]string
	// Seized lists the seized facilitator devices, in seeds.csv order.
	Seized []Seizure
	// LeadParty maps every lead id of leads.csv to the party id of the
	// person's first record, "" when the lead is no domestic customer.
	LeadParty map[string]string
	// LeadDecoy maps a lead id to the party id of a namesake customer who
	// must NOT be matched; leads without a planted namesake are absent.
	LeadDecoy map[string]string
	// PartyCluster maps every party id to the id of its person's first
	// record: records of one person (duplicates) share a cluster id, and a
	// party alone maps to itself.
	PartyCluster map[string]string
}

// Seizure is one seized facilitator device.
type Seizure struct {
	SeedLeadID  string            // lead_id in seeds.csv
	RecipientID string            // the facilitator (a recipient id of the truth)
	Account     string            // device owner handle (calls.csv account)
	Buyers      []string          // domestic buyers' party ids (first records) that paid this facilitator, sorted
	HandleParty map[string]string // counterpart handle → party id, "" when no domestic customer
	HandleKind  map[string]string // counterpart handle → buyer, foreign_buyer, relative, local_contact or noise
	// HandlePaid counts, per buyer handle, the sessions placed within
	// minutes of one of its party's payments to this facilitator: a handle
	// with fewer than two can hardly be attributed by anyone.
	HandlePaid map[string]int
}

// ReadTruth reads the ground truth that Generate wrote under dir/truth/.
// Errors name file:line:column and the reason.
func ReadTruth(dir string) (*Truth, error) {
	t := &Truth{Segment: map[string]string{}, Recipient: map[string]string{}, RecipientRole: map[string]string{},
		LeadParty: map[string]string{}, LeadDecoy: map[string]string{}, PartyCluster: map[string]string{}}
	byID := map[string]int{}
	files := []struct {
		name string
		cols []string
		fn   func(rec []string) string
	}{
		{"segments.csv", []string{"party_id", "segment", "cluster_id"}, func(r []string) string {
			if !slices.Contains(Segments, r[1]) {
				return "segment: unknown segment " + quote(r[1])
			}
			t.Segment[r[0]] = r[1]
			t.PartyCluster[r[0]] = r[2]
			return ""
		}},
		{"recipients.csv", []string{"recipient_id", "role", "name", "country", "phone", "city"}, func(r []string) string {
			t.RecipientRole[r[0]] = r[1]
			return ""
		}},
		{"transfers.csv", []string{"transfer_id", "recipient_id"}, func(r []string) string {
			t.Recipient[r[0]] = r[1]
			return ""
		}},
		{"seizures.csv", []string{"seed_lead_id", "recipient_id", "account"}, func(r []string) string {
			byID[r[0]] = len(t.Seized)
			t.Seized = append(t.Seized, Seizure{SeedLeadID: r[0], RecipientID: r[1], Account: r[2], HandleParty: map[string]string{}, HandleKind: map[string]string{}, HandlePaid: map[string]int{}})
			return ""
		}},
		{"seizure_buyers.csv", []string{"seed_lead_id", "party_id"}, func(r []string) string {
			i, ok := byID[r[0]]
			if !ok {
				return "seed_lead_id: " + quote(r[0]) + " is not in seizures.csv"
			}
			t.Seized[i].Buyers = append(t.Seized[i].Buyers, r[1])
			return ""
		}},
		{"handles.csv", []string{"seed_lead_id", "handle", "platform", "party_id", "kind", "paid_sessions"}, func(r []string) string {
			i, ok := byID[r[0]]
			if !ok {
				return "seed_lead_id: " + quote(r[0]) + " is not in seizures.csv"
			}
			n, err := strconv.Atoi(r[5])
			if err != nil || n < 0 {
				return "paid_sessions: " + quote(r[5]) + " is not a count"
			}
			t.Seized[i].HandlePaid[r[1]] = n
			t.Seized[i].HandleParty[r[1]] = r[3]
			t.Seized[i].HandleKind[r[1]] = r[4]
			return ""
		}},
		{"leads.csv", []string{"lead_id", "party_id", "decoy_party_id", "kind"}, func(r []string) string {
			t.LeadParty[r[0]] = r[1]
			if r[2] != "" {
				t.LeadDecoy[r[0]] = r[2]
			}
			return ""
		}},
	}
	for _, f := range files {
		path := filepath.Join(dir, "truth", f.name)
		fh, err := os.Open(path)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return nil, vigil.Errorf(vigil.ENOTFOUND, "synth: %s is missing: is %s a world written by vigil synth?", path, dir)
			}
			return nil, vigil.Errorf(vigil.EINVALID, "synth: %v", err)
		}
		err = readTable(fh, path, f.cols, f.fn)
		fh.Close()
		if err != nil {
			return nil, err
		}
	}
	return t, nil
}

func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }

// readTable reads a truth CSV whose header is exactly cols (in order) and
// calls fn for every row; the first column must be non-empty. fn returns a
// reason for a bad row ("field: reason"), or "".
func readTable(r io.Reader, file string, cols []string, fn func(rec []string) string) error {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	cr.FieldsPerRecord = len(cols)
	head, err := cr.Read()
	if err == io.EOF {
		return vigil.Errorf(vigil.EINVALID, "%s:1:1: empty file, want the header %s", file, strings.Join(cols, ","))
	}
	if err != nil {
		return csvErr(file, err)
	}
	for i, c := range cols {
		if strings.TrimPrefix(head[i], "\ufeff") != c {
			return vigil.Errorf(vigil.EINVALID, "%s:1:%d: header: column %d is %q, want %q", file, i+1, i+1, head[i], c)
		}
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return csvErr(file, err)
		}
		line, _ := cr.FieldPos(0)
		if rec[0] == "" {
			return vigil.Errorf(vigil.EINVALID, "%s:%d:1: %s: empty", file, line, cols[0])
		}
		if reason := fn(rec); reason != "" {
			return vigil.Errorf(vigil.EINVALID, "%s:%d:1: %s", file, line, reason)
		}
	}
}

func csvErr(file string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return vigil.Errorf(vigil.EINVALID, "%s:%d:%d: %v", file, pe.Line, pe.Column, pe.Err)
	}
	return vigil.Errorf(vigil.EINVALID, "%s: %v", file, err)
}

func sortByID[T any](s []T, key func(T) string) {
	slices.SortFunc(s, func(a, b T) int { return strings.Compare(key(a), key(b)) })
}
