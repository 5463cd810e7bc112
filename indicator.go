package vigil

// Typology names the pattern of crime an alert points to.
type Typology string

const (
	// TypologyLiveStreaming is payment for live-streamed child sexual abuse.
	TypologyLiveStreaming Typology = "live_streaming_csa"
	// TypologyRomanceScam is a victim of a romance or confidence scam.
	TypologyRomanceScam Typology = "romance_scam"
	// TypologyNone is no typology: the sender looks like an honest customer.
	TypologyNone Typology = "none"
)

// Indicator describes one published red flag (or counter-indicator) in the
// catalogue: what it means, how it is parameterised and where it comes from.
// Indicators are data interpreted by the detect engine, not code branches.
type Indicator struct {
	Code        string             `json:"code" yaml:"code"`               // stable, e.g. "LSC-CORRIDOR-LOWVALUE"
	Name        string             `json:"name" yaml:"name"`               // short plain-language title
	Description string             `json:"description" yaml:"description"` // what fires it, in words
	Typology    Typology           `json:"typology" yaml:"typology"`
	Counter     bool               `json:"counter,omitempty" yaml:"counter,omitempty"` // lowers suspicion
	Params      map[string]float64 `json:"params,omitempty" yaml:"params,omitempty"`
	Sources     []string           `json:"sources" yaml:"sources"` // published sources, e.g. "AUSTRAC 2019, indicator 3"
}

// Hit is one indicator firing for one sender: its contribution to the score
// (log-odds), a plain-language detail and the transfers behind it.
type Hit struct {
	Code         string   `json:"code"`
	Contribution float64  `json:"contribution"`
	Detail       string   `json:"detail"`
	TransferIDs  []string `json:"transfer_ids"`
}
