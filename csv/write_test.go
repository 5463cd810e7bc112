package csv

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vigilfiu/vigil"
)

func TestTransferRoundTrip(t *testing.T) {
	in := sampleTransfers(2000)
	in[0].Purpose = "rent, \"food\"\r\nand more"
	in[1].BeneficiaryName = "Peña, José"
	in[2].BeneficiaryID, in[2].BeneficiaryName = "P9", ""
	var buf bytes.Buffer
	w := NewTransferWriter(&buf)
	for i := range in {
		if err := w.Write(&in[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	out, rej, err := readTransfers(t, buf.String(), Options{})
	if err != nil || len(rej) != 0 {
		t.Fatalf("err %v, rejected %v", err, rej)
	}
	if len(out) != len(in) {
		t.Fatalf("read %d, wrote %d", len(out), len(in))
	}
	for i := range in {
		if !transferKind.same(&in[i], &out[i]) {
			t.Fatalf("row %d:\n%+v\n%+v", i, in[i], out[i])
		}
	}
	// The quoted purpose spans two lines, so the next row's source is line 4.
	if out[1].Source != "transfers.csv:4" {
		t.Errorf("source after a two-line row: %q", out[1].Source)
	}
	// Line numbers count on correctly across 9, 99, 999 (the reader counts
	// them up in place).
	for i := 1; i < len(out); i++ {
		if want := "transfers.csv:" + strconv.Itoa(i+3); out[i].Source != want {
			t.Fatalf("row %d source %q, want %q", i, out[i].Source, want)
		}
	}
}

func TestWritersHeaderOnlyAndRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	if err := NewCallWriter(&buf).Flush(); err != nil {
		t.Fatal(err)
	}
	if buf.String() != "event_id,timestamp,account,counterpart,platform,direction,kind,duration_s\n" {
		t.Errorf("empty calls file: %q", buf.String())
	}
	r, err := NewCallReader(&buf, "calls.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	var e vigil.CallEvent
	if err := r.Read(&e); err != io.EOF {
		t.Errorf("header-only file: %v", err)
	}

	buf.Reset()
	pw := NewPartyWriter(&buf)
	parties := []vigil.Party{
		{ID: "P1", Kind: vigil.PartyPerson, FullName: "John \"Jack\" Smith", BirthDate: vigil.Date{Year: 1961, Month: 5}, Gender: "M", Country: "AU", Address: "12 Hay St,\nPerth"},
		{ID: "P2", Kind: vigil.PartyOrganisation, FullName: "Acme", BirthDate: vigil.Date{Year: 1999}},
	}
	for i := range parties {
		pw.Write(&parties[i])
	}
	pw.Flush()
	r2, err := NewPartyReader(&buf, "parties.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range parties {
		var p vigil.Party
		if err := r2.Read(&p); err != nil {
			t.Fatal(err)
		}
		if !partyKind.same(&p, &parties[i]) {
			t.Errorf("party %d: %+v, want %+v", i, p, parties[i])
		}
	}

	buf.Reset()
	lw := NewLeadWriter(&buf)
	lead := vigil.Lead{ID: "S1", FullName: "Ma. Cristina Santos", Phone: "0917 123 4567", Handle: "mcs", Country: "PH", BirthDate: vigil.Date{Year: 1985, Month: 4, Day: 9}}
	lw.Write(&lead)
	lw.Flush()
	leads, rej, err := func() ([]vigil.Lead, []*RowError, error) {
		lr, err := NewLeadReader(&buf, "seeds.csv", Options{})
		if err != nil {
			return nil, nil, err
		}
		var l vigil.Lead
		err = lr.Read(&l)
		return []vigil.Lead{l}, nil, err
	}()
	if err != nil || len(rej) != 0 || !leadKind.same(&leads[0], &lead) {
		t.Errorf("lead round trip: %+v %v", leads, err)
	}

	buf.Reset()
	cw := NewCallWriter(&buf)
	call := vigil.CallEvent{ID: "E1", Timestamp: time.Date(2024, 3, 1, 22, 40, 0, 5e8, time.FixedZone("", 8*3600)), Account: "fac", Counterpart: "b77", Direction: vigil.DirectionIn, Kind: vigil.KindVideo, DurationS: 1260}
	cw.Write(&call)
	cw.Flush()
	cr, _ := NewCallReader(&buf, "calls.csv", Options{})
	var got vigil.CallEvent
	if err := cr.Read(&got); err != nil || !callKind.same(&got, &call) {
		t.Errorf("call round trip: %+v %v", got, err)
	}
}

func TestFXRates(t *testing.T) {
	rates, err := ReadFXRates(strings.NewReader("\xEF\xBB\xBFRate,Currency\r\n0.61,aud\r\n0.0155,PHP\r\n1,EUR\r\n0.61,AUD\r\n"), "rates.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rates) != 3 || rates["AUD"] != 0.61 || rates["PHP"] != 0.0155 {
		t.Errorf("rates %v", rates)
	}
	eur, ok := rates.ToEUR(vigil.NewAmount(100, 0), "AUD")
	if !ok || eur < 60.99 || eur > 61.01 {
		t.Errorf("100 AUD = %v EUR (%v)", eur, ok)
	}
	if v, ok := rates.ToEUR(vigil.NewAmount(5, 0), "EUR"); !ok || v != 5 {
		t.Errorf("EUR to EUR: %v %v", v, ok)
	}
	if _, ok := rates.ToEUR(vigil.NewAmount(5, 0), "GBP"); ok {
		t.Error("GBP converted without a rate")
	}
	bad := []struct{ text, want string }{
		{"currency,rate\nAUD,0.61\nAUD,0.62\n", "rates.csv:3:1: currency: AUD has two different rates (lines 2 and 3)"},
		{"currency,rate\nAUD,-0.61\n", "rates.csv:2:2: rate: not a positive decimal"},
		{"currency,rate\nAUD,6.1e-1\n", "rates.csv:2:2: rate: not a positive decimal"},
		{"currency,rate\nAUD,0\n", "rates.csv:2:2: rate: not a positive decimal"},
		{"currency,rate\nEUR,1.1\n", "rates.csv:2:2: rate: the rate of EUR must be 1"},
		{"currency,rate\nAUSD,1\n", "rates.csv:2:1: currency: not an ISO 4217"},
		{"currency,per_eur\nAUD,1\n", "rates.csv:1:2: per_eur: header: unknown column"},
		{"currency,rate\nAUD,\n", "rates.csv:2:2: rate: required"},
	}
	for _, c := range bad {
		_, err := ReadFXRates(strings.NewReader(c.text), "rates.csv", Options{})
		var re *RowError
		if !errors.As(err, &re) || !strings.HasPrefix(re.Error(), c.want) {
			t.Errorf("%q: got %v, want %s…", c.text, err, c.want)
		}
	}
	var buf bytes.Buffer
	if err := WriteFXRates(&buf, rates); err != nil || buf.String() != "currency,rate\nAUD,0.61\nEUR,1\nPHP,0.0155\n" {
		t.Errorf("written: %q %v", buf.String(), err)
	}
}

func TestRecordLongerThanLimitStops(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 9 MiB input")
	}
	text := transferHeader + "T1,2024-03-01T22:15:00+10:00,P1,\"" + strings.Repeat("x", maxRecord+1024)
	r, err := NewTransferReader(strings.NewReader(text), "transfers.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	var tr vigil.Transfer
	err = r.Read(&tr)
	var re *RowError
	if err == nil || errors.As(err, &re) || !strings.Contains(err.Error(), "transfers.csv:2: the record starting on this line is longer than 8 MiB") {
		t.Fatalf("got %v, want a fatal error naming line 2", err)
	}
	if err := r.Read(&tr); err != io.EOF {
		t.Errorf("after a fatal error: %v", err)
	}
}
