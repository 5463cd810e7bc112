package csv

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/vigilfiu/vigil"
)

// sampleTransfers makes n realistic transfers: a few thousand senders,
// name and phone variants, mostly small amounts, several currencies and
// offsets, a share of quoted cells.
func sampleTransfers(n int) []vigil.Transfer {
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
	out := make([]vigil.Transfer, n)
	for i := range out {
		t := &out[i]
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
	}
	return out
}

func sampleTransfersCSV(tb testing.TB, n int) []byte {
	var buf bytes.Buffer
	w := NewTransferWriter(&buf)
	for i, t := range sampleTransfers(n) {
		if err := w.Write(&t); err != nil {
			tb.Fatal(i, err)
		}
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func BenchmarkTransferReader(b *testing.B) {
	const rows = 200_000
	data := sampleTransfersCSV(b, rows)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	total := 0
	var cpu time.Duration
	for b.Loop() {
		c0 := cpuTime()
		r, err := NewTransferReader(bytes.NewReader(data), "transfers.csv", Options{})
		if err != nil {
			b.Fatal(err)
		}
		var t vigil.Transfer
		n := 0
		for {
			err := r.Read(&t)
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != rows {
			b.Fatalf("read %d rows, want %d", n, rows)
		}
		total += n
		cpu += cpuTime() - c0
	}
	b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "rows/s")
	if cpu > 0 {
		// CPU time of the whole process (GC included) per row: the rate
		// one dedicated core would reach.
		b.ReportMetric(float64(total)/cpu.Seconds(), "rows/cpu-s")
	}
}

func BenchmarkTransferWriter(b *testing.B) {
	ts := sampleTransfers(100_000)
	b.ReportAllocs()
	total := 0
	for b.Loop() {
		w := NewTransferWriter(io.Discard)
		for i := range ts {
			if err := w.Write(&ts[i]); err != nil {
				b.Fatal(err)
			}
		}
		w.Flush()
		total += len(ts)
	}
	b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "rows/s")
}
