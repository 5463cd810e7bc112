// Package sample makes realistic transfer rows for the CSV benchmarks:
// a few thousand senders, name and phone variants, mostly small amounts,
// several currencies and offsets, a share of cells that need quoting. It is
// test material only; the synthetic world of the demo is package synth.
package sample

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/vigilfiu/vigil"
)

// Transfers calls fn with n transfers, the same sequence for the same n.
// The transfer passed to fn is reused between calls.
func Transfers(n int, fn func(*vigil.Transfer) error) error {
	rng := rand.New(rand.NewPCG(7, 11))
	given := []string{"Maria Cristina", "Juan", "Ana", "Jose", "Rosa", "Mark Anthony", "Jenny", "Ricardo"}
	surnames := []string{"Santos", "Reyes", "Cruz", "Bautista", "Garcia", "Mendoza", "Dela Cruz", "Villanueva"}
	cities := []string{"Cebu City", "Manila", "Davao", "Pampanga", "Quezon City", "Taguig"}
	purposes := []string{"school fees", "medical", "family support", "", "gift", "bills", "rent, food"}
	providers := []string{"RemitCo", "PayFast", "WalletX", "BankOne"}
	currencies := []string{"AUD", "EUR", "USD", "GBP"}
	zones := []*time.Location{time.FixedZone("", 10*3600), time.FixedZone("", 8*3600), time.UTC, time.FixedZone("", -5*3600)}
	channels := []vigil.Channel{vigil.ChannelRemittance, vigil.ChannelRemittance, vigil.ChannelWallet, vigil.ChannelBank, ""}
	start := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	var t vigil.Transfer
	for i := range n {
		t = vigil.Transfer{}
		t.ID = fmt.Sprintf("T%09d", i)
		t.Timestamp = start.Add(time.Duration(rng.Int64N(2*365*24*3600)) * time.Second).In(zones[rng.IntN(len(zones))])
		t.SenderID = fmt.Sprintf("P%06d", rng.IntN(20000))
		if rng.IntN(3) == 0 {
			t.SenderAccount = fmt.Sprintf("AU%08d", rng.IntN(1e8))
		}
		name := given[rng.IntN(len(given))] + " " + surnames[rng.IntN(len(surnames))]
		switch rng.IntN(4) {
		case 0:
			name = surnames[rng.IntN(len(surnames))] + ", " + given[rng.IntN(len(given))]
		case 1:
			name = "Ma. " + name
		}
		t.BeneficiaryName = name
		if rng.IntN(2) == 0 {
			t.BeneficiaryPhone = fmt.Sprintf("+63917%07d", rng.IntN(1e7))
		}
		if rng.IntN(5) == 0 {
			t.BeneficiaryAccount = fmt.Sprintf("09%09d", rng.IntN(1e9))
		}
		t.BeneficiaryCity = cities[rng.IntN(len(cities))]
		t.BeneficiaryCountry = "PH"
		if rng.IntN(10) == 0 {
			t.BeneficiaryBirthDate = vigil.Date{Year: 1970 + rng.IntN(40), Month: 1 + rng.IntN(12), Day: 1 + rng.IntN(28)}
		}
		if rng.IntN(2) == 0 {
			t.Amount = vigil.NewAmount(int64(5*(3+rng.IntN(40))), 0)
		} else {
			t.Amount = vigil.NewAmount(int64(10+rng.IntN(400)), int64(rng.IntN(100))*10000)
		}
		t.Currency = currencies[rng.IntN(len(currencies))]
		t.Channel = channels[rng.IntN(len(channels))]
		t.Provider = providers[rng.IntN(len(providers))]
		t.Purpose = purposes[rng.IntN(len(purposes))]
		if err := fn(&t); err != nil {
			return err
		}
	}
	return nil
}
