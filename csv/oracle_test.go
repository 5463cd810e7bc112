package csv

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/csv/internal/oracle"
)

// The differential fuzzers read the same bytes with this package's readers
// and with the frozen session-5 readers in internal/oracle, and require the
// same records (field by field, timestamps to the instant, offset and zone
// name), the same sources, and the same rejects: file, line, column, field
// and reason. The input arrives in pieces of a size taken from the data,
// so records straddle buffer refills.

// chunked returns pieces of at most n bytes per Read.
type chunked struct {
	data []byte
	n    int
}

func (c *chunked) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	k := min(len(p), c.n, len(c.data))
	copy(p, c.data[:k])
	c.data = c.data[k:]
	return k, nil
}

// source gives the input as one reader or in pieces of 1–64 bytes.
func source(data []byte, piece uint8) io.Reader {
	if piece == 0 {
		return bytes.NewReader(data)
	}
	return &chunked{data: data, n: int(piece%64) + 1}
}

// sameError compares an error of this package with the oracle's.
func sameError(t *testing.T, what string, got, want error) {
	t.Helper()
	if (got == nil) != (want == nil) {
		t.Fatalf("%s: got error %v, oracle %v", what, got, want)
	}
	if got == nil {
		return
	}
	if (got == io.EOF) != (want == io.EOF) {
		t.Fatalf("%s: got %v, oracle %v", what, got, want)
	}
	var g *RowError
	var w *oracle.RowError
	if errors.As(got, &g) != errors.As(want, &w) {
		t.Fatalf("%s: got %T %v, oracle %T %v", what, got, got, want, want)
	}
	if g != nil && (g.File != w.File || g.Line != w.Line || g.Column != w.Column || g.Field != w.Field || g.Reason != w.Reason) {
		t.Fatalf("%s:\n got    %#v\n oracle %#v", what, *g, *w)
	}
	if got.Error() != want.Error() {
		t.Fatalf("%s:\n got    %v\n oracle %v", what, got, want)
	}
}

// sameStamp compares two timestamps read from the same cell.
func sameStamp(a, b time.Time) bool {
	na, oa := a.Zone()
	nb, ob := b.Zone()
	return a.Equal(b) && oa == ob && na == nb && (a.Location() == time.UTC) == (b.Location() == time.UTC)
}

func FuzzTransferOracle(f *testing.F) {
	for _, s := range oracleTransferSeeds {
		f.Add([]byte(s), false, uint8(0))
		f.Add([]byte(s), true, uint8(7))
	}
	f.Fuzz(compareTransfers)
}

// compareTransfers reads data with both transfer readers (see above).
func compareTransfers(t *testing.T, data []byte, extra bool, piece uint8) {
	{
		opt := Options{AllowExtra: extra}
		got, err1 := NewTransferReader(source(data, piece), "t.csv", opt)
		want, err2 := oracle.NewTransferReader(source(data, piece), "t.csv", oracle.Options{AllowExtra: extra})
		sameError(t, "header", err1, err2)
		if err1 != nil {
			return
		}
		var buf []byte
		for n := 0; n <= len(data)+1; n++ {
			var a, b vigil.Transfer
			var ea error
			if n%2 == 1 {
				ea = got.ReadShared(&a, &buf)
			} else {
				ea = got.Read(&a)
			}
			eb := want.Read(&b)
			sameError(t, "row "+strconv.Itoa(n), ea, eb)
			if eb == io.EOF {
				return
			}
			if eb != nil {
				continue
			}
			if !sameStamp(a.Timestamp, b.Timestamp) {
				t.Fatalf("row %d: timestamp %v, oracle %v", n, a.Timestamp, b.Timestamp)
			}
			a.Timestamp, b.Timestamp = time.Time{}, time.Time{}
			if a != b {
				t.Fatalf("row %d:\n got    %+v\n oracle %+v", n, a, b)
			}
		}
		t.Fatal("the reader does not advance")
	}
}

func FuzzPartyOracle(f *testing.F) {
	for _, s := range oraclePartySeeds {
		f.Add([]byte(s), false, uint8(0))
		f.Add([]byte(s), true, uint8(5))
	}
	f.Fuzz(func(t *testing.T, data []byte, extra bool, piece uint8) {
		got, err1 := NewPartyReader(source(data, piece), "p.csv", Options{AllowExtra: extra})
		want, err2 := oracle.NewPartyReader(source(data, piece), "p.csv", oracle.Options{AllowExtra: extra})
		sameError(t, "header", err1, err2)
		if err1 != nil {
			return
		}
		for n := 0; n <= len(data)+1; n++ {
			var a, b vigil.Party
			ea, eb := got.Read(&a), want.Read(&b)
			sameError(t, "row "+strconv.Itoa(n), ea, eb)
			if eb == io.EOF {
				return
			}
			if eb == nil && a != b {
				t.Fatalf("row %d:\n got    %+v\n oracle %+v", n, a, b)
			}
		}
		t.Fatal("the reader does not advance")
	})
}

const fullTransferHeader = "transfer_id,timestamp,sender_id,sender_account,beneficiary_id,beneficiary_name,beneficiary_phone,beneficiary_account,beneficiary_city,beneficiary_country,beneficiary_birth_date,amount,currency,channel,provider,purpose\n"

var oracleTransferSeeds = []string{
	fullTransferHeader +
		"T0000001,2024-01-01T11:00:16+11:00,P0021174,029-105 25547128,,Manoj Reddy,+91 631 4695221,,,IN,,151,AUD,wallet,TapPay Wallet,school fees\n" +
		"T0000002,2024-01-01T11:00:25+11:00,P2020373,,,Olivia Blaackwood,,,LA,US,,571,AUD,remittance,Pacific Remit,\n" +
		"T0000003,2024-01-01T11:00:55+11:00,P2095370,092-605 70336123,,Neha K. Menon,,764064670029,,IN,,1858.80,AUD,bank,Harbour Bank,transfer to own account\n" +
		"T0000004,2024-01-01T11:00:56+11:00,P3195894,,,\"CHUKWU, Amaka\",+2349054515681,,PH City,NG,1990-04,508,aud,Remittance,GlobeLink Money Transfer,\"rent, food\"\n" +
		"T0000005,2024-01-02T00:00:00Z,P1,, B1 ,Muñoz José,,,Cebu,ph,1990,0.5,PHP,,,\n" +
		"T0000006,0001-01-01T00:00:00Z,P1,,B1,,,,,PH,,1,PHP,,,\n" +
		"T0000006,0001-01-01T10:00:00+10:00,P1,,B1,,,,,PH,,1,PHP,,,\n" +
		"T0000006,0001-01-01T00:00:00.000000001Z,P1,,B1,,,,,PH,,0000000000001.1,PHP,,,\n" +
		"T0000006,2001-01-01T00:00:00-00:00,P1,,B1,,,,,PH,,999999999999.999999,PHP,,,\n" +
		"T0000006,2001-01-01T00:00:00-00:00,P1,,B1,,,,,PH,,1.,PHP,,,\n" +
		"T0000006,2001-01-01T00:00:00-00:00,P1,,B1,,,,,PH,,.5,PHP,,,\n" +
		"T0000006,2001-01-01T00:00:00-00:00,P1,,B1,,,,,PH,,0.0,PHP,,,\n" +
		"T0000006,2001-01-01T00:00:00-00:00,P1,,B1,,,,,PH,,1.1234567,PHP,,,\n" +
		"T0000007,2024-01-02T00:00:00.123456789-03:30,P1,,B1,,,,,PH,,1,PHP,card,,\r\n" +
		"T0000008,2024-02-30T00:00:00Z,P1,,B1,,,,,PH,,1,PHP,card,,\n" +
		"T0000009,2024-01-02 00:00:00Z,P1,,,,,,,PH,,1,PHP,card,,\n" +
		",2024-01-02T00:00:00Z,P1,,B1,,,,,PH,,1,PHP,,,\n" +
		"T10,2024-01-02T00:00:00Z,P1,,B1,,,,,PH,,1,PHP,,\n" +
		"T11,2024-01-02T00:00:00Z,P1,,B1,,,,,PH,,1,PHP,,,,\n" +
		"T12,2024-01-02T00:00:00Z,P1,,B1,,,,,XX,,1,PHP,,,\n" +
		"T13,2024-01-02T00:00:00Z,P1,,B1,,,,,PH,,-1,PHP,,,\n" +
		"T14,2024-01-02T00:00:00Z,P1,,B1,,,,,PH,,1,PHX,,,\n" +
		"T15,2024-01-02T00:00:00Z,P1,,B1,,,,,PH,,1,PHP,cash,,\n" +
		"T16,2024-01-02T00:00:00Z,P1,,B1,na\"me,,,,PH,,1,PHP,,,\n" +
		"T17,2024-01-02T00:00:00Z,P1,,B1,\"a\"\"b\" ,,,,PH,,1,PHP,,,\n" +
		"T18,2024-01-02T00:00:00Z,P1,,B1,\"multi\nline\",,,,PH,,1,PHP,,,\n" +
		"T19,2024-01-02T00:00:00Z,P1,,B1,x\ry,,,,PH,,1,PHP,,,\n" +
		"\n\r\n" +
		"T20,2024-01-02T00:00:00Z,P1,,B1,\tpadded\t,,,,PH,,+1,PHP,,,\n" +
		"T21,2024-01-02T00:00:00Z,P1,,B1,\xff,,,,PH,,1,PHP,,,\n" +
		"T22,2024-01-02T00:00:00Z,P1,,B1,,,,,PH,,1,PHP,,,",
	transferHeader +
		"T1,2024-03-01T22:15:00+10:00,P1,Maria Cristina Santos,+639171234567,PH,50,AUD,remittance,school fees\n" +
		"T2,2024-03-02T01:05:30.25Z,P1,\"SANTOS, MARIA\",0917 123 4567,ph,49.90,eur,Wallet,\"medical \"\"x\"\"\ny\"\n" +
		"T3,2024-03-03T04:00:00-05:30,P2,Juan,,PH,-5,USD,,\n" +
		"T4,2024-03-03T04:00:00-05:30,P2,Juan,,PH,5,USD,,\nT5,x\n" +
		"T6,2024-03-04T04:00:00-05:30,P3,Ana,,PH,7,USD,,\"unterminated\n",
	"purpose,currency,amount,beneficiary_country,beneficiary_id,sender_id,timestamp,transfer_id,extra\n" +
		"x,EUR,1,PH,B,S,2024-03-04T04:00:00+05:30,T1,y\n",
	"\xef\xbb\xbftransfer_id,timestamp,sender_id,beneficiary_name,beneficiary_country,amount,currency\r\n" +
		"T1,2024-03-04T04:00:00+05:30,S, Ana ,PH,1.000001,EUR\r\n",
}

var oraclePartySeeds = []string{
	"party_id,kind,full_name,birth_date,gender,nationality,country,city,address,postcode,phone,email,id_number\n" +
		"P0000010,person,Andreas Schröder,1976-11-20,M,DE,AU,Perth,6/92 Albert St,6036,+61466562111,andreas.schroder@mail.example.com,W78259010\n" +
		"P0000036,person,Graham Martin,1993-10-15,M,AU,AU,Sydney,197 Jacaranda St,2079,+61426505604,gmartin1671@inbox.example.org,N81683030\n" +
		"P1,Organisation,\"ACME, Ltd\",,,,au,,,,,,\n" +
		"P2,robot,X,,,,,,,,,,\n" +
		"P3,person,,,,,,,,,,,\n" +
		"P4,person,Y,1990-13,,,,,,,,,\n" +
		"P5,person,Y,,Q,,,,,,,,\n" +
		"P6,person,Y,,,ZZ,,,,,,,\n" +
		"P7,person,Y,,,,,,,,\n",
	"party_id,full_name\nP1,Ana\n,Ana\nP2,\"B\"\"\"\n",
}

// TestOracleQuotedCells builds rows of canonical transfers.csv from cells
// written in every way the fast path must take or leave to the general
// parser (quoted with commas, empty quoted, doubled quotes, spaces around
// quotes, a quote inside a plain cell, long cells that carry a quoted cell
// across a 64-byte block, CRLF) and compares both readers on them.
func TestOracleQuotedCells(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 29))
	names := []string{"Ana", `"SANTOS, Maria"`, `""`, `"a""b"`, `" x "`, `"x" `, ` "x"`, `x"y"`, `"x"y`,
		`"` + strings.Repeat("long, ", 12) + `"`, strings.Repeat("w", 70), `"é, ü"`, "Muñoz", `"\tpad\t"`, `"`}
	row := func(i int) string {
		cells := []string{"T" + strconv.Itoa(i), "2024-03-01T22:15:00+10:00", "P1", "",
			"", names[rng.IntN(len(names))], "", "", names[rng.IntN(len(names))], "PH", "", "5", "EUR",
			"wallet", names[rng.IntN(len(names))], names[rng.IntN(len(names))]}
		if rng.IntN(4) == 0 {
			cells[rng.IntN(len(cells))] = strings.Repeat("z", rng.IntN(64))
		}
		end := "\n"
		if rng.IntN(5) == 0 {
			end = "\r\n"
		}
		return strings.Join(cells, ",") + end
	}
	for range 300 {
		var b strings.Builder
		b.WriteString(fullTransferHeader)
		for i := range 1 + rng.IntN(12) {
			b.WriteString(row(i))
		}
		compareTransfers(t, []byte(b.String()), false, uint8(rng.IntN(3)*20))
	}
}
