package vigil

import "time"

// SeedCandidate is one beneficiary a seed may be, with the score of the
// resolution and the reasons behind it. Candidates at or above the trace's
// threshold are picked; the others are listed, never silently dropped.
type SeedCandidate struct {
	SeedID        string   `json:"seed_id"`
	BeneficiaryID string   `json:"beneficiary_id"`
	Name          string   `json:"name"` // the beneficiary's most frequent name variant
	Score         float64  `json:"score"`
	Picked        bool     `json:"picked"`
	Reasons       []string `json:"reasons"`
	Transfers     int      `json:"transfers"` // transfers to the beneficiary
	Payers        int      `json:"payers"`    // distinct domestic senders
}

// TraceEdge is the evidence of one sender's payments to one beneficiary:
// what an investigator quotes.
type TraceEdge struct {
	BeneficiaryID   string    `json:"beneficiary_id"`
	BeneficiaryName string    `json:"beneficiary_name"`
	Seed            string    `json:"seed,omitempty"` // seed lead id when the beneficiary is a seed
	Count           int       `json:"count"`
	Total           Amount    `json:"total"`
	Currency        string    `json:"currency"` // "" when mixed
	First           time.Time `json:"first"`
	Last            time.Time `json:"last"`
	SmallShare      float64   `json:"small_share"` // share of transfers of at most 200 units
	RoundShare      float64   `json:"round_share"` // share of whole multiples of 5
	LateShare       float64   `json:"late_share"`  // share sent 22:00–05:59 at the sender's offset
	MedianGapDays   float64   `json:"median_gap_days"`
	Purposes        []string  `json:"purposes,omitempty"`
	Tie             string    `json:"tie,omitempty"` // shared_surname, relative, family_like
	Weight          float64   `json:"weight"`        // typology-weighted strength used by the ranking
	TransferIDs     []string  `json:"transfer_ids"`  // in time order
	Truncated       int       `json:"transfer_ids_truncated,omitempty"`
}

// TraceEvidence explains a traced party's place in the ranking.
type TraceEvidence struct {
	Relation string      `json:"relation"` // direct_payer, second_degree or relative
	Seeds    []string    `json:"seeds"`    // seed lead ids reached
	PPR      float64     `json:"ppr"`      // personalised PageRank mass
	Via      []string    `json:"via,omitempty"`
	Edges    []TraceEdge `json:"edges"`
	Facts    []string    `json:"facts"` // plain-language statements
}

// TracedParty is one line of a trace: a domestic sender ranked by how
// closely it is tied to the seeds through suspicious payments.
type TracedParty struct {
	PartyID  string        `json:"party_id"`
	Name     string        `json:"name,omitempty"`
	Score    float64       `json:"score"` // in [0,1], PPR relative to the top
	Rank     int           `json:"rank"`
	Degree   int           `json:"degree"` // 1 paid a seed, 2 shares a recipient with a payer of a seed
	Path     []string      `json:"path"`   // seed lead, beneficiary, [party, beneficiary,] party
	Evidence TraceEvidence `json:"evidence"`
}

// Pairing is one session of a seized device paired with one payment.
type Pairing struct {
	EventID    string    `json:"event_id"`
	TransferID string    `json:"transfer_id"`
	EventAt    time.Time `json:"event_at"`
	PaidAt     time.Time `json:"paid_at"`
	LagS       int64     `json:"lag_s"` // session time minus payment time, seconds
	Amount     Amount    `json:"amount"`
	Currency   string    `json:"currency"`
}

// HandleLink attributes one counterpart handle of a seized device to the
// domestic party whose payments coincide with its sessions, or to no one
// (PartyID nil) when no payer stands out from chance.
type HandleLink struct {
	Account    string    `json:"account"` // the device owner's handle
	Handle     string    `json:"handle"`
	PartyID    *string   `json:"party_id"`
	Confidence float64   `json:"confidence"`
	Sessions   int       `json:"sessions"`
	Matched    int       `json:"matched"`  // sessions paired with a payment of the party
	Expected   float64   `json:"expected"` // pairs expected by chance
	PValue     float64   `json:"p_value"`  // after correction for the payers tried
	Candidate  string    `json:"candidate,omitempty"`
	RunnerUp   string    `json:"runner_up,omitempty"`
	RunnerUpK  int       `json:"runner_up_matched,omitempty"`
	Pairs      []Pairing `json:"pairs"`
	Identity   string    `json:"identity,omitempty"` // how the handle names the candidate (phone, e-mail, name)
	Reason     string    `json:"reason"`
}
