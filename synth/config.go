package synth

import (
	"math/rand/v2"
	"time"

	"github.com/vigilfiu/vigil"
)

// Config is what a caller chooses about a world. Zero values take the
// defaults: 20,000 customers, seed 1, start 2024-01-01, 24 months.
type Config struct {
	Customers int       // domestic customers (persons), before duplicates and decoys
	Seed      int64     // same seed, same bytes
	Start     time.Time // first day (its calendar date is used, in each customer's zone)
	Months    int       // length of the transfer history
}

// Defaults of Config.
const (
	DefaultCustomers = 20000
	DefaultSeed      = 1
	DefaultMonths    = 24
)

func (c Config) withDefaults() (Config, error) {
	if c.Customers == 0 {
		c.Customers = DefaultCustomers
	}
	if c.Seed == 0 {
		c.Seed = DefaultSeed
	}
	if c.Months == 0 {
		c.Months = DefaultMonths
	}
	if c.Start.IsZero() {
		c.Start = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	switch {
	case c.Customers < 200:
		return c, vigil.Errorf(vigil.EINVALID, "synth: --customers must be at least 200 (got %d): smaller worlds hold too few buyers to be realistic", c.Customers)
	case c.Customers > 5_000_000:
		return c, vigil.Errorf(vigil.EINVALID, "synth: --customers must be at most 5,000,000 (got %d)", c.Customers)
	case c.Months < 6 || c.Months > 120:
		return c, vigil.Errorf(vigil.EINVALID, "synth: --months must be between 6 and 120 (got %d)", c.Months)
	}
	return c, nil
}

// Params are the per-world parameters. Each is drawn from a plausible range
// by the seed, so that detection is never tuned to one fixed world; the
// drawn values are written to truth/params.csv. docs/synth.md gives the
// published figure (or the assumption) behind every range.
type Params struct {
	// Segment shares of the customer base.
	BuyerShare, FamilyShare, WebcamShare, RomanceShare, SponsorShare, SelfShare float64

	// Buyers.
	PriceMedianAUD float64 // median session price before escalation, AUD
	PriceSigma     float64 // log-normal spread of session prices
	RoundShare     float64 // share of buyer amounts that are round (multiple of 5 or 10)
	PesoShare      float64 // share of the others sized to a round peso amount
	LateShare      float64 // share of buyer transfers sent 22:00–02:59 local time
	RemitShare     float64 // share of buyer transfers via money-service businesses
	CoverUsers     float64 // share of buyers who sometimes state a cover purpose
	PHShare        float64 // share of facilitators (and so of buyer flows) in the Philippines
	HeavyShare     float64 // share of buyers who are heavy (25+ sessions)
	ModerateShare  float64 // share who are moderate (5–24)
	Escalation     float64 // mean relative price rise over a heavy buyer's history
	FacPerBuyer    float64 // facilitators per domestic buyer
	AlsoGenuine    float64 // share of buyers who also send genuine family or partner money
	ForeignPerFac  float64 // mean foreign buyers per facilitator

	// Look-alikes.
	WebcamDirect float64 // share of webcam customers paying performers directly
	FamilyLate   float64 // share of family transfers sent late at night
	PartnerShare float64 // share of ordinary customers supporting a partner abroad

	// Seized devices and the partner list.
	CallShare  float64 // share of a buyer's payments to a seized facilitator followed by a session
	LeadShare  float64 // share of the seized facilitators' domestic buyers on the partner list
	DecoyShare float64 // share of listed buyers given a namesake customer
	DupShare   float64 // share of customers with a second record
	PHPPerAUD  float64 // exchange rate used to size peso amounts
}

func uniform(r *rand.Rand, lo, hi float64) float64 { return lo + (hi-lo)*r.Float64() }

func drawParams(r *rand.Rand) Params {
	return Params{
		BuyerShare:   uniform(r, 0.010, 0.018),
		FamilyShare:  uniform(r, 0.15, 0.22),
		WebcamShare:  uniform(r, 0.025, 0.045),
		RomanceShare: uniform(r, 0.006, 0.012),
		SponsorShare: uniform(r, 0.02, 0.04),
		SelfShare:    uniform(r, 0.04, 0.07),

		PriceMedianAUD: uniform(r, 45, 57),
		PriceSigma:     uniform(r, 0.40, 0.60),
		RoundShare:     uniform(r, 0.50, 0.70),
		PesoShare:      uniform(r, 0.3, 0.6),
		LateShare:      uniform(r, 0.40, 0.65),
		RemitShare:     uniform(r, 0.55, 0.65),
		CoverUsers:     uniform(r, 0.30, 0.55),
		PHShare:        uniform(r, 0.80, 0.92),
		HeavyShare:     uniform(r, 0.10, 0.18),
		ModerateShare:  uniform(r, 0.30, 0.40),
		Escalation:     uniform(r, 0.4, 1.2),
		FacPerBuyer:    uniform(r, 0.35, 0.50),
		AlsoGenuine:    uniform(r, 0.15, 0.30),
		ForeignPerFac:  uniform(r, 4, 12),

		WebcamDirect: uniform(r, 0.25, 0.45),
		FamilyLate:   uniform(r, 0.04, 0.10),
		PartnerShare: uniform(r, 0.02, 0.05),

		CallShare:  uniform(r, 0.80, 0.92),
		LeadShare:  uniform(r, 0.6, 0.8),
		DecoyShare: uniform(r, 0.25, 0.40),
		DupShare:   uniform(r, 0.008, 0.015),
		PHPPerAUD:  uniform(r, 36, 39),
	}
}

// paramList is Params as ordered name/value pairs for truth/params.csv.
func (p Params) list() [][2]any {
	return [][2]any{
		{"buyer_share", p.BuyerShare}, {"family_share", p.FamilyShare}, {"webcam_share", p.WebcamShare},
		{"romance_share", p.RomanceShare}, {"sponsor_share", p.SponsorShare}, {"self_share", p.SelfShare},
		{"price_median_aud", p.PriceMedianAUD}, {"price_sigma", p.PriceSigma}, {"round_share", p.RoundShare},
		{"peso_share", p.PesoShare}, {"late_share", p.LateShare}, {"remit_share", p.RemitShare},
		{"cover_users", p.CoverUsers}, {"ph_share", p.PHShare}, {"heavy_share", p.HeavyShare},
		{"moderate_share", p.ModerateShare}, {"escalation", p.Escalation}, {"fac_per_buyer", p.FacPerBuyer},
		{"also_genuine", p.AlsoGenuine}, {"foreign_per_fac", p.ForeignPerFac}, {"webcam_direct", p.WebcamDirect},
		{"family_late", p.FamilyLate}, {"partner_share", p.PartnerShare}, {"call_share", p.CallShare},
		{"lead_share", p.LeadShare}, {"decoy_share", p.DecoyShare}, {"dup_share", p.DupShare}, {"php_per_aud", p.PHPPerAUD},
	}
}
